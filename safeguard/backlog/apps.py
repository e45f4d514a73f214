from django.apps import AppConfig


class BacklogConfig(AppConfig):
    name = "safeguard.backlog"
    label = "backlog"
    verbose_name = "Backlog review"
