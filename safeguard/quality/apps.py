from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "safeguard.quality"
    label = "quality"
    verbose_name = "Data quality"

    def ready(self):
        # A save to any of a child's records rechecks that child after the commit.
        from safeguard.quality import signals

        signals.connect()
