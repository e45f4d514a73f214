from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safeguard.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from safeguard.accounts import signals  # noqa: F401 (connects the receivers)
