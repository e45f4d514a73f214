from django.urls import path

from safeguard.privacy import views

app_name = "privacy"

urlpatterns = [
    path("people/<uuid:person_id>/access-history/", views.access_history, name="access-history"),
    path(
        "people/<uuid:person_id>/access-history.csv",
        views.access_history_csv,
        name="access-history-csv",
    ),
    path("people/<uuid:person_id>/retention/", views.person_retention, name="person-retention"),
    path("people/<uuid:person_id>/retention/holds/new/", views.hold_place, name="hold-place"),
    path(
        "people/<uuid:person_id>/retention/holds/<uuid:hold_id>/lift/",
        views.hold_lift,
        name="hold-lift",
    ),
    path("people/<uuid:person_id>/retention/marks/new/", views.mark_add, name="mark-add"),
    path("people/<uuid:person_id>/subject-access/new/", views.sar_create, name="sar-create"),
    path("privacy/subject-access/", views.sar_list, name="sar-list"),
    path("privacy/subject-access/<uuid:sar_id>/", views.sar_detail, name="sar-detail"),
    path("privacy/subject-access/<uuid:sar_id>/extend/", views.sar_extend, name="sar-extend"),
    path("privacy/subject-access/<uuid:sar_id>/close/", views.sar_close, name="sar-close"),
    path("privacy/subject-access/<uuid:sar_id>/download/", views.sar_download, name="sar-download"),
    path("privacy/retention/", views.retention_report, name="retention-report"),
    path("privacy/retention.csv", views.retention_report_csv, name="retention-report-csv"),
]
