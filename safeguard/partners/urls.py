from django.urls import path

from safeguard.partners import views

app_name = "partners"

urlpatterns = [
    path("lookup/", views.lookup, name="lookup"),
]
