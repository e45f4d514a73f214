from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "safeguard.protection"
    label = "protection"
    verbose_name = "Protection"

    def ready(self):
        from safeguard.protection.services import register_checks

        register_checks()
