from django.urls import path

from safeguard.timescales import views

app_name = "timescales"

urlpatterns = [
    path("due/", views.mine, name="mine"),
    path("due/teams/<int:team_id>/", views.team, name="team"),
    path("due/teams/<int:team_id>/unallocated/", views.team_unallocated, name="team-unallocated"),
    path("due/service/", views.service, name="service"),
    path("due/next-steps/", views.next_steps, name="next-steps"),
    path("due/unallocated/", views.unallocated, name="unallocated"),
    path("unseen/", views.unseen, name="unseen"),
    path("early-help/queue/", views.early_help_queue, name="early-help-queue"),
]
