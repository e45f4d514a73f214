from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "safeguard.protection"
    label = "protection"
    verbose_name = "Protection"

    def ready(self):
        # The person page's record history shows this app's events to those who see the
        # case file (people.history, issue 11 item 2).
        from safeguard.people import history
        from safeguard.protection.permissions import sees_history

        history.register("protection", sees_history)

        from safeguard.protection.services import register_checks

        register_checks()
