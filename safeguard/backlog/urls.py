from django.urls import path

from safeguard.backlog import views

app_name = "backlog"

urlpatterns = [
    path("backlog/", views.exercise_list, name="exercises"),
    path("backlog/open/", views.exercise_open, name="open"),
    path("backlog/<uuid:exercise_id>/", views.exercise_detail, name="exercise"),
    path("backlog/<uuid:exercise_id>/summary/", views.exercise_summary, name="summary"),
    path(
        "backlog/<uuid:exercise_id>/cases/<uuid:item_id>/assign/",
        views.case_assign,
        name="assign",
    ),
    path(
        "backlog/<uuid:exercise_id>/cases/<uuid:item_id>/review/",
        views.case_review,
        name="review",
    ),
]
