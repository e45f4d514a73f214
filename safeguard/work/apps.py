from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "safeguard.work"
    label = "work"
    verbose_name = "My work"
