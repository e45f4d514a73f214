from django.urls import path

from safeguard.operations import views

app_name = "operations"

urlpatterns = [
    path("setup/", views.setup, name="setup"),
    path("health/", views.health, name="health"),
]
