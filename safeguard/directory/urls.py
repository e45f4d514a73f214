from django.urls import path

from safeguard.directory import views

app_name = "directory"

urlpatterns = [
    path("directory/", views.search, name="search"),
    path("directory/new/", views.service_new, name="service-new"),
    path("directory/export/", views.export, name="export"),
    path("directory/import/", views.import_file, name="import"),
    path("directory/editors/", views.editors, name="editors"),
    path("directory/editors/<int:editor_id>/end/", views.editor_end, name="editor-end"),
    path("directory/<uuid:service_id>/", views.service_detail, name="service"),
    path("directory/<uuid:service_id>/change/", views.service_change, name="service-change"),
    path("directory/<uuid:service_id>/check/", views.service_check, name="service-check"),
    path("directory/<uuid:service_id>/end/", views.service_end, name="service-end"),
]
