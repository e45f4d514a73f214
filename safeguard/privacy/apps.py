from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "safeguard.privacy"
    label = "privacy"
    verbose_name = "Data protection"

    def ready(self):
        # The person page's record history (people.history, issue 11 item 2). Imported here:
        # the policy reads models, which cannot be imported before the app registry is ready.
        from safeguard.people import history
        from safeguard.privacy.permissions import sees_history

        history.register("privacy", sees_history)

        # Service managers are reminded each month of the records due for review.
        from datetime import time

        from safeguard.core import schedule
        from safeguard.privacy.reminders import remind_every_authority

        schedule.register(
            schedule.Job(
                name="retention-reminders",
                title="Remind service managers of records due for retention review",
                run=remind_every_authority,
                at=time(6, 0),
                every=schedule.MONTHLY,
            )
        )
