from django.apps import AppConfig


class TimescalesConfig(AppConfig):
    name = "safeguard.timescales"
    label = "timescales"
    verbose_name = "Timescales"

    def ready(self):
        # The case page (casework, below this app) shows the timescales panel when asked to.
        from safeguard.casework.views import register_case_page_context

        register_case_page_context(lambda request, case: {"timescales": True})
        # ... with the child's last sighting read in the case's own query.
        from safeguard.casework.views import register_case_page_read
        from safeguard.timescales.selectors import with_last_seen_by

        register_case_page_read(with_last_seen_by)

        # The outstanding items table follows every step in the step's transaction (decision
        # 0028).
        from safeguard.timescales import projection

        projection.connect()

        # ... and is worked out again each night (decision 0028), by the scheduler (0071).
        from safeguard.core import schedule
        from safeguard.timescales import tasks

        schedule.register(
            schedule.Job(
                name=tasks.JOB, title="Work out what is due again", run=tasks.rebuild_due
            )
        )
