from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "safeguard.protection"
    label = "protection"
    verbose_name = "Protection"

    def ready(self):
        # The person page's record history shows this app's events to those who see the
        # case file (people.history, issue 11 item 2).
        from safeguard.people import history
        from safeguard.protection.permissions import sees_history

        history.register("protection", sees_history)

        from safeguard.protection.services import register_checks

        register_checks()

        # Each step's chronology entry links to the step's page (issue 16 item 5).
        from safeguard.casework.selectors import register_step_page

        for source_type, url_name in (
            ("protection.strategydiscussion", "protection:strategy-detail"),
            ("protection.section47enquiry", "protection:section47-detail"),
            ("protection.childprotectionconference", "protection:conference-detail"),
            ("protection.childprotectionplan", "protection:plan-detail"),
            # A child in need plan is casework's, its page this app's (decision 0068).
            ("casework.cinplan", "protection:cin-plan-detail"),
        ):
            register_step_page(source_type, url_name)
