from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "safeguard.operations"
    label = "operations"
    verbose_name = "Operations"
