from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "safeguard.transfers"
    label = "transfers"
    verbose_name = "Transfers between teams"

    def ready(self):
        # The person page's record history shows a transfer's events to those who see the
        # case file (people.history, decision 0022).
        from safeguard.casework.permissions import sees_case_file
        from safeguard.people import history

        history.register("transfers", sees_case_file)
