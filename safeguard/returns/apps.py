from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "safeguard.returns"
    label = "returns"
    verbose_name = "Statutory returns"

    def ready(self):
        # A job started from the web is run by the worker's task, which calls the services:
        # they are handed the task here instead of importing it (services/jobs.py).
        from safeguard.returns import services, tasks

        services.runs_jobs_with(tasks.run_return_job)
