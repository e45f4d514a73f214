from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "safeguard.documents"
    label = "documents"
    verbose_name = "Documents"

    def ready(self):
        # The person page's record history shows this app's events to those who may open the
        # child's documents (people.history, decision 0022).
        from safeguard.documents.permissions import sees_documents
        from safeguard.people import history

        history.register("documents", sees_documents)

        # Files no document names (a failed save, a dead process) are removed each night.
        from datetime import time

        from safeguard.core import schedule
        from safeguard.documents.services import orphans_clean

        schedule.register(
            schedule.Job(
                name="clean-documents",
                title="Remove document files no record names",
                run=orphans_clean,
                at=time(3, 10),
            )
        )
