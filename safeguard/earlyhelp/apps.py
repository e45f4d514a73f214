from django.apps import AppConfig


class EarlyHelpConfig(AppConfig):
    name = "safeguard.earlyhelp"
    label = "earlyhelp"
    verbose_name = "Early help"

    def ready(self):
        # The person page's record history (people.history, issue 11 item 2).
        from safeguard.earlyhelp.permissions import sees_history
        from safeguard.people import history

        history.register("earlyhelp", sees_history)
