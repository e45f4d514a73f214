from django.apps import AppConfig


class EarlyHelpConfig(AppConfig):
    name = "safeguard.earlyhelp"
    label = "earlyhelp"
    verbose_name = "Early help"
