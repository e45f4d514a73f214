from django.urls import path

from safeguard.workforce import views

app_name = "workforce"

urlpatterns = [
    path("caseloads/", views.boards, name="boards"),
    path("caseloads/teams/<int:team_id>/", views.board, name="board"),
]
