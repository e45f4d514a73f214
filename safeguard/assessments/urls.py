from django.urls import path

from safeguard.assessments import views

app_name = "assessments"

urlpatterns = [
    path(
        "cases/<uuid:case_id>/assessments/new/",
        views.assessment_start,
        name="start",
    ),
    path("assessments/<uuid:assessment_id>/", views.assessment_detail, name="detail"),
    path("assessments/<uuid:assessment_id>/write/", views.assessment_write, name="write"),
    path("assessments/<uuid:assessment_id>/seen/", views.assessment_seen, name="seen"),
    path(
        "assessments/<uuid:assessment_id>/authorise/",
        views.assessment_authorise,
        name="authorise",
    ),
]
