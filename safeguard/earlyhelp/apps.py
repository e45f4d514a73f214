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

        # The person page reads each team's last review with the teams (its next review due).
        from safeguard.earlyhelp.selectors import with_last_review
        from safeguard.people.selectors import register_person_page_read

        register_person_page_read("teams_around_family", with_last_review)
