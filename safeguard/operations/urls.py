from django.urls import path

from safeguard.operations import views

app_name = "operations"

urlpatterns = [
    path("setup/", views.setup, name="setup"),
    path("health/", views.health, name="health"),
    path("administration/teams/", views.teams, name="teams"),
    path("administration/agencies/new/", views.agency_new, name="agency-new"),
    path("administration/agencies/<int:agency_id>/", views.agency, name="agency"),
    path("administration/teams/new/", views.team_new, name="team-new"),
    path("administration/teams/<int:team_id>/", views.team, name="team"),
    path("administration/staff/", views.staff, name="staff"),
    path("administration/staff/<int:user_id>/", views.account, name="account"),
    path("administration/staff/<int:user_id>/role/", views.account_role, name="account-role"),
    path("administration/staff/new/", views.account_new, name="account-new"),
    path("administration/thresholds/", views.thresholds, name="thresholds"),
    path("administration/thresholds/new/", views.threshold_level_new, name="threshold-level-new"),
    path("administration/thresholds/<int:number>/", views.threshold_level, name="threshold-level"),
    path(
        "administration/thresholds/<int:number>/change/",
        views.threshold_level_change,
        name="threshold-level-change",
    ),
    path(
        "administration/thresholds/<int:number>/retire/",
        views.threshold_level_retire,
        name="threshold-level-retire",
    ),
    path(
        "administration/thresholds/<int:number>/indicators/new/",
        views.threshold_indicator_new,
        name="threshold-indicator-new",
    ),
    path(
        "administration/thresholds/indicators/<int:indicator_id>/",
        views.threshold_indicator,
        name="threshold-indicator",
    ),
    path("administration/standards/", views.standards, name="standards"),
    path("administration/retention/", views.retention_rules, name="retention"),
    path(
        "administration/retention/<str:record_type>/",
        views.retention_rule,
        name="retention-rule",
    ),
    path("administration/history/", views.history, name="history"),
    path("administration/jobs/", views.jobs, name="jobs"),
]
