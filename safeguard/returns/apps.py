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

        # Finished returns' files are not kept for ever: they name every child in them.
        from datetime import time

        from django.conf import settings

        from safeguard.core import schedule

        schedule.register(
            schedule.Job(
                name="clean-return-files",
                title="Remove the files of returns finished long ago",
                run=lambda: services.files_remove_old(days=settings.SAFEGUARD_RETURN_FILES_DAYS),
                at=time(3, 20),
            )
        )
