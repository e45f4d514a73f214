from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "safeguard.quality"
    label = "quality"
    verbose_name = "Data quality"

    def ready(self):
        # A save to any of a child's records rechecks that child after the commit.
        from safeguard.quality import signals

        signals.connect()

        # Every child is checked again each night: some errors come from the passing of time.
        from datetime import time

        from safeguard.core import schedule
        from safeguard.quality.services import check_every_authority

        schedule.register(
            schedule.Job(
                name="check-quality",
                title="Check every child's records for data quality",
                run=check_every_authority,
                at=time(2, 30),
            )
        )
