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

        # Household changes become chronology events on each child of the household
        # (decision 0048), in the transaction of the change.
        from safeguard.casework.services import household_change_recorded
        from safeguard.people.signals import household_changed

        household_changed.connect(household_change_recorded, dispatch_uid="casework-household")

        # The person page reads each case's plan status with the cases (decision 0048).
        from safeguard.casework.selectors import with_plan_status
        from safeguard.people.selectors import register_person_page_read

        register_person_page_read("cases", with_plan_status)
