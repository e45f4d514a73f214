from django.urls import path

from safeguard.performance import views

app_name = "performance"

urlpatterns = [
    path("performance/", views.dashboard, name="dashboard"),
    path("performance/<slug:kpi_id>/", views.indicator_detail, name="indicator"),
    path("performance/<slug:kpi_id>/children/", views.children, name="children"),
]
