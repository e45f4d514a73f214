from django.urls import path

from safeguard.core.db import reporting_reads
from safeguard.performance import views

app_name = "performance"

urlpatterns = [
    path("performance/", views.dashboard, name="dashboard"),
    # Before the indicator routes: "demand" is not an indicator.
    path("performance/demand/", views.demand, name="demand"),
    path("performance/demand/children/", views.demand_children, name="demand-children"),
    # Partner figures by agency (decision 0070), before the indicator routes too.
    path("performance/partners/", views.partners, name="partners"),
    path("performance/partners.csv", views.partners_csv, name="partners-csv"),
    path("performance/partners.pdf", views.partners_pdf_report, name="partners-pdf"),
    # Figures for a preventative strategy (decision 0082), before the indicator routes too.
    path("performance/early-help/", views.early_help_figures, name="early-help"),
    path(
        "performance/early-help/<slug:figure_id>/children/",
        views.early_help_children,
        name="early-help-children",
    ),
    # The authority's targets (decision 0084), before the indicator routes too.
    path("performance/targets/", views.targets, name="targets"),
    path("performance/targets/<uuid:target_id>/agree/", views.target_agree, name="target-agree"),
    path("performance/<slug:kpi_id>/", views.indicator_detail, name="indicator"),
    path("performance/<slug:kpi_id>/children/", views.children, name="children"),
]

# Every performance page reads from the reporting replica, if there is one (decision 0072).
for _pattern in urlpatterns:
    _pattern.callback = reporting_reads(_pattern.callback)
