from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "safeguard.assurance"
    label = "assurance"
    verbose_name = "Quality assurance"

    def ready(self):
        # The inspector's read-only grant to the people and casework policies (decision 0042).
        from safeguard.assurance import grants

        grants.register()

        # The child's case page (casework, below this app) shows the actions case-file audits
        # set on it, read in the case's own query.
        from safeguard.assurance import selectors
        from safeguard.casework.views import register_case_page_context, register_case_page_read

        register_case_page_read(selectors.with_audit_actions)
        register_case_page_context(
            lambda request, case: {
                "audit_actions": selectors.case_audit_actions(user=request.user, case=case)
            }
        )

        # The audit programme's month is drawn each night (decision 0062).
        from datetime import time

        from safeguard.assurance import tasks
        from safeguard.core import schedule

        schedule.register(
            schedule.Job(
                name=tasks.JOB,
                title="Draw the month's case-file audits",
                run=tasks.draw_tonight,
                at=time(2, 15),
            )
        )
