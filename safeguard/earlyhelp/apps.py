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

        # The directory of services (issue 19): the latest assessment's needs are matched
        # against services, and those who record the child's early help may refer them.
        from safeguard.directory.matching import register_needs_source
        from safeguard.directory.permissions import register_referrer
        from safeguard.earlyhelp.directory_hooks import early_help_needs, may_refer

        register_needs_source(early_help_needs)
        register_referrer(may_refer)
