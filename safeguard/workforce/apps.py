from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "safeguard.workforce"
    label = "workforce"
    verbose_name = "Workforce"

    def ready(self):
        # The allocation form (casework, below this app) shows each candidate's caseload.
        from safeguard.casework.views import register_candidate_loads
        from safeguard.workforce.selectors import describe_candidates

        register_candidate_loads(describe_candidates)
