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
