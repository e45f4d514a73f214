from django.urls import path

from safeguard.governance import views

app_name = "governance"

urlpatterns = [
    path("governance/", views.plan_list, name="plans"),
    path("governance/plans/new/", views.plan_new, name="plan-new"),
    path("governance/plans/<uuid:plan_id>/", views.plan_detail, name="plan"),
    path("governance/plans/<uuid:plan_id>/edit/", views.plan_edit, name="plan-edit"),
    path(
        "governance/plans/<uuid:plan_id>/objectives/new/",
        views.objective_new,
        name="objective-new",
    ),
    path("governance/plans/<uuid:plan_id>/actions/new/", views.action_new, name="action-new"),
    path("governance/plans/<uuid:plan_id>/highlights/", views.highlights, name="highlights"),
    path("governance/actions/<uuid:action_id>/", views.action_detail, name="action"),
    path(
        "governance/actions/<uuid:action_id>/progress/", views.action_update, name="action-update"
    ),
    path(
        "governance/actions/<uuid:action_id>/sign-off/",
        views.action_sign_off,
        name="action-sign-off",
    ),
    path("governance/actions/<uuid:action_id>/serve/", views.action_serve, name="action-serve"),
    path(
        "governance/actions/<uuid:action_id>/evidence/new/",
        views.evidence_new,
        name="evidence-new",
    ),
    path(
        "governance/evidence/<uuid:evidence_id>/file",
        views.evidence_file,
        name="evidence-file",
    ),
    path("governance/risks/", views.risk_list, name="risks"),
    path("governance/risks/new/", views.risk_new, name="risk-new"),
    path("governance/risks/<uuid:risk_id>/", views.risk_edit, name="risk-edit"),
]
