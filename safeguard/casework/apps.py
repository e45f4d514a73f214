from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "safeguard.casework"
    label = "casework"
    verbose_name = "Casework"
