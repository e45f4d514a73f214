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
