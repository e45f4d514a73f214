from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "safeguard.procedures"
    label = "procedures"
    verbose_name = "Procedures and learning"
