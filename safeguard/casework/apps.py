from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "safeguard.casework"
    label = "casework"
    verbose_name = "Casework"

    def ready(self):
        # The person page's record history shows this app's events to those who see the
        # case file (people.history, issue 11 item 2).
        from safeguard.casework.permissions import sees_case_file
        from safeguard.people import history

        history.register("casework", sees_case_file)
