from django.urls import path

from safeguard.procedures import views

app_name = "procedures"

urlpatterns = [
    path("procedures/", views.procedure_list, name="list"),
    path("procedures/new/", views.procedure_publish, name="publish"),
    path("procedures/<uuid:procedure_id>/", views.procedure_detail, name="detail"),
    path(
        "procedures/<uuid:procedure_id>/acknowledge/",
        views.procedure_acknowledge,
        name="acknowledge",
    ),
    path("procedures/<uuid:procedure_id>/new-version/", views.procedure_revise, name="revise"),
    path("procedures/<uuid:procedure_id>/report/", views.procedure_report, name="report"),
    path(
        "procedures/<uuid:procedure_id>/report.csv",
        views.procedure_report_csv,
        name="report-csv",
    ),
]
