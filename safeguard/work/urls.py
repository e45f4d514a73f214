from django.urls import path

from safeguard.work import views

app_name = "work"

urlpatterns = [
    path("", views.home, name="home"),
]
