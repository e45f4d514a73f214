"""The performance pages, by feature: the dashboard (``dashboard``), one indicator with its
trend and teams (``indicator``), the children behind a figure (``drilldown``), demand
(``demand``), the early help figures (``early_help``) and the partner figures by agency
(``partners``); ``choice`` reads the period and scope every page is asked for.
Every table downloads as CSV (``?format=csv``)."""

from safeguard.performance.views.dashboard import dashboard
from safeguard.performance.views.demand import demand, demand_children
from safeguard.performance.views.drilldown import children
from safeguard.performance.views.early_help import early_help_children, early_help_figures
from safeguard.performance.views.indicator import indicator_detail
from safeguard.performance.views.partners import partners, partners_csv, partners_pdf_report
from safeguard.performance.views.targets import target_agree, targets

__all__ = [
    "children",
    "dashboard",
    "demand",
    "demand_children",
    "early_help_children",
    "early_help_figures",
    "indicator_detail",
    "partners",
    "partners_csv",
    "partners_pdf_report",
    "target_agree",
    "targets",
]
