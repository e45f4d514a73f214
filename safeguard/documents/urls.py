from django.urls import path

from safeguard.documents import views

app_name = "documents"

urlpatterns = [
    path("people/<uuid:person_id>/documents/", views.document_list, name="list"),
    path("people/<uuid:person_id>/documents/new/", views.document_upload, name="upload"),
    path("documents/<uuid:document_id>/download/", views.document_download, name="download"),
]
