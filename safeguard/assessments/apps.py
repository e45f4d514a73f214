from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "safeguard.assessments"
    label = "assessments"
    verbose_name = "Assessments"

    def ready(self):
        # The person page's record history shows this app's events to those who see the
        # case file (people.history, issue 11 item 2).
        from safeguard.assessments.permissions import sees_history
        from safeguard.people import history

        history.register("assessments", sees_history)

        from safeguard.assessments.services import register_checks

        register_checks()

        # Submitted assessments wait in the managers' one queue (decision 0041).
        from safeguard.assessments.selectors import waiting_for_authorisation
        from safeguard.casework.selectors import register_queue_source

        register_queue_source(waiting_for_authorisation)

        # The directory of services (issue 19): the latest completed assessment's factors are
        # matched, as needs, against services.
        from safeguard.assessments.directory_hooks import assessment_needs
        from safeguard.directory.matching import register_needs_source

        register_needs_source(assessment_needs)
