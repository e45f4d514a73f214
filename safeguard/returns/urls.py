from django.urls import path

from safeguard.returns import views

app_name = "returns"

urlpatterns = [
    path("returns/", views.job_list, name="jobs"),
    path("returns/cin-census/export/", views.start_cin_export, name="cin-export"),
    path("returns/annex-a/export/", views.start_annex_a_export, name="annex-a-export"),
    path("returns/cin-census/import/", views.start_cin_import, name="cin-import"),
    path("returns/jobs/<uuid:job_id>/", views.job, name="job"),
    path("returns/jobs/<uuid:job_id>/status/", views.job_status, name="job-status"),
    path("returns/jobs/<uuid:job_id>/download/", views.download, name="download"),
]
