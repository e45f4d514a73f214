from django.urls import path

from safeguard.operations import views

app_name = "operations"

urlpatterns = [
    path("setup/", views.setup, name="setup"),
    path("health/", views.health, name="health"),
    path("administration/teams/", views.teams, name="teams"),
    path("administration/agencies/new/", views.agency_new, name="agency-new"),
    path("administration/teams/new/", views.team_new, name="team-new"),
    path("administration/teams/<int:team_id>/", views.team, name="team"),
    path("administration/staff/", views.staff, name="staff"),
    path("administration/staff/<int:user_id>/", views.account, name="account"),
    path("administration/staff/<int:user_id>/role/", views.account_role, name="account-role"),
    path("administration/history/", views.history, name="history"),
    path("administration/jobs/", views.jobs, name="jobs"),
]
