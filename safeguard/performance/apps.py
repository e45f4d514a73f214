from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "safeguard.performance"
    label = "performance"
    verbose_name = "Performance"
