from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "safeguard.assurance"
    label = "assurance"
    verbose_name = "Quality assurance"

    def ready(self):
        # The inspector's read-only grant to the people and casework policies (decision 0042).
        from safeguard.assurance import grants

        grants.register()
