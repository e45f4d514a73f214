from django.urls import path

from safeguard.supervision import views

app_name = "supervision"

urlpatterns = [
    path("supervision/overdue/", views.overdue, name="overdue"),
    path("supervision/workers/<int:worker_id>/", views.record, name="record"),
    path(
        "supervision/workers/<int:worker_id>/sessions/new/", views.session_new, name="session-new"
    ),
    path("supervision/workers/<int:worker_id>/frequency/", views.frequency, name="frequency"),
    path("supervision/sessions/<uuid:session_id>/", views.session_detail, name="session"),
    path("supervision/sessions/<uuid:session_id>/sign/", views.session_sign, name="sign"),
]
