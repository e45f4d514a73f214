from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "safeguard.privacy"
    label = "privacy"
    verbose_name = "Data protection"
