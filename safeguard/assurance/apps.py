from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "safeguard.assurance"
    label = "assurance"
    verbose_name = "Quality assurance"
