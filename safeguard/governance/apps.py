from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "safeguard.governance"
    label = "governance"
    verbose_name = "Improvement plans and governance"
