from django.urls import path

from safeguard.protection import views

app_name = "protection"

urlpatterns = [
    path(
        "cases/<uuid:case_id>/strategy-discussions/new/",
        views.strategy_discussion_new,
        name="strategy-new",
    ),
    path(
        "strategy-discussions/<uuid:discussion_id>/",
        views.strategy_discussion_detail,
        name="strategy-detail",
    ),
    path("section-47/<uuid:enquiry_id>/", views.section47_detail, name="section47-detail"),
    path(
        "conferences/<uuid:conference_id>/",
        views.conference_detail,
        name="conference-detail",
    ),
    path(
        "strategy-discussions/<uuid:discussion_id>/section-47/new/",
        views.section47_new,
        name="s47-new",
    ),
    path(
        "section-47/<uuid:enquiry_id>/conclude/",
        views.section47_conclude,
        name="s47-conclude",
    ),
    path("section-47/<uuid:enquiry_id>/icpc/new/", views.icpc_new, name="icpc-new"),
    path("plans/<uuid:plan_id>/core-groups/new/", views.core_group_new, name="core-group-new"),
    path("plans/<uuid:plan_id>/reviews/new/", views.review_conference_new, name="review-new"),
    path("plans/<uuid:plan_id>/end/", views.plan_end, name="plan-end"),
    path("plans/<uuid:plan_id>/", views.plan_detail, name="plan-detail"),
    path("plans/<uuid:plan_id>/write/", views.plan_write, name="plan-write"),
    path("plans/<uuid:plan_id>/actions/new/", views.plan_action_new, name="action-new"),
    path(
        "actions/<uuid:action_id>/progress/",
        views.plan_action_progress,
        name="action-progress",
    ),
    # Child in need plans' outcomes, actions and reviews (decision 0068).
    path("cin-plans/<uuid:plan_id>/", views.cin_plan_detail, name="cin-plan-detail"),
    path("cin-plans/<uuid:plan_id>/write/", views.cin_plan_write, name="cin-plan-write"),
    path(
        "cin-plans/<uuid:plan_id>/actions/new/",
        views.cin_plan_action_new,
        name="cin-action-new",
    ),
    path("cin-plans/<uuid:plan_id>/reviews/new/", views.cin_review_new, name="cin-review-new"),
    path(
        "conferences/<uuid:conference_id>/minutes/",
        views.minutes_circulated,
        name="minutes",
    ),
    path("cases/<uuid:case_id>/challenges/new/", views.challenge_new, name="challenge-new"),
    path(
        "challenges/<uuid:challenge_id>/resolve/",
        views.challenge_resolve,
        name="challenge-resolve",
    ),
    path("challenges/", views.challenges_open, name="challenges"),
]
