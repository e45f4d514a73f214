from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "safeguard.assessments"
    label = "assessments"
    verbose_name = "Assessments"

    def ready(self):
        from safeguard.assessments.services import register_checks

        register_checks()
