from django.urls import path

from safeguard.quality import views

app_name = "quality"

urlpatterns = [
    path("data-quality/mine/", views.mine, name="mine"),
    path("data-quality/team/", views.team, name="team"),
    path("data-quality/", views.summary, name="summary"),
]
