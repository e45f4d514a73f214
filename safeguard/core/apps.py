from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safeguard.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from safeguard.core import limits

        limits.connect()

        # Typing kept for a form nobody came back to is removed after a while (decision 0071).
        from datetime import time

        from django.conf import settings

        from safeguard.core import drafts, schedule

        schedule.register(
            schedule.Job(
                name="clean-drafts",
                title="Remove drafts untouched for a month",
                run=lambda: drafts.drafts_remove_stale(days=settings.SAFEGUARD_DRAFT_DAYS),
                at=time(3, 0),
            )
        )
