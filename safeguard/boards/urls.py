from django.urls import path

from safeguard.boards import views

app_name = "boards"

urlpatterns = [
    path("boards/", views.bodies, name="bodies"),
    path("boards/new/", views.body_new, name="body-new"),
    path("boards/<uuid:body_id>/", views.body, name="body"),
    path("boards/<uuid:body_id>/change/", views.body_change, name="body-change"),
    path("boards/<uuid:body_id>/end/", views.body_end, name="body-end"),
    path("boards/<uuid:body_id>/challenges/", views.challenges, name="challenges"),
    path("boards/packs/<uuid:pack_id>/", views.pack, name="pack"),
    path("boards/packs/<uuid:pack_id>/pack.pdf", views.pack_pdf, name="pack-pdf"),
    path("boards/packs/<uuid:pack_id>/commentary/", views.commentary, name="commentary"),
    path("boards/packs/<uuid:pack_id>/publish/", views.publish, name="publish"),
    path("boards/packs/<uuid:pack_id>/correct/", views.correct, name="correct"),
    path(
        "boards/challenges/<uuid:challenge_id>/answer/",
        views.challenge_answer,
        name="challenge-answer",
    ),
    path(
        "boards/challenges/<uuid:challenge_id>/close/",
        views.challenge_close,
        name="challenge-close",
    ),
]
