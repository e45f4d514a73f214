from django.urls import path

from safeguard.earlyhelp import views

app_name = "earlyhelp"

urlpatterns = [
    path("early-help/start/", views.start, name="start"),
    path("early-help/start/new-child/", views.start_new_child, name="start-new-child"),
    path(
        "early-help/handovers/<uuid:handover_id>/acknowledge/",
        views.handover_acknowledge,
        name="handover-acknowledge",
    ),
    path("people/<uuid:person_id>/early-help/new/", views.eha_new, name="eha-new"),
    path("early-help/<uuid:eha_id>/", views.eha_detail, name="eha-detail"),
    path("early-help/<uuid:eha_id>/complete/", views.eha_complete, name="eha-complete"),
    path(
        "people/<uuid:person_id>/team-around-the-family/new/",
        views.taf_new,
        name="taf-new",
    ),
    path("team-around-the-family/<uuid:taf_id>/", views.taf_detail, name="taf-detail"),
    path(
        "team-around-the-family/<uuid:taf_id>/reviews/new/",
        views.taf_review_new,
        name="taf-review-new",
    ),
    path("team-around-the-family/<uuid:taf_id>/end/", views.taf_end, name="taf-end"),
]
