from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "safeguard.notices"
    label = "notices"
    verbose_name = "Notices"
