from django.urls import path

from safeguard.workforce import views

app_name = "workforce"

urlpatterns = [
    path("caseloads/", views.boards, name="boards"),
    path("caseloads/teams/<int:team_id>/", views.board, name="board"),
    path("caseloads/teams/<int:team_id>/posts/", views.posts, name="posts"),
    path("caseloads/teams/<int:team_id>/posts/new/", views.post_new, name="post-new"),
    path("caseloads/posts/<uuid:post_id>/fill/", views.post_fill, name="post-fill"),
    path("caseloads/posts/<uuid:post_id>/vacate/", views.post_vacate, name="post-vacate"),
    path("workforce/", views.rates, name="rates"),
]
