"""Permission-matrix rows for the performance dashboard (see safeguard/testing/matrix.py).

Managers (team and service) and performance analysts of the authority's social care see it;
social workers, partners, administrators and other authorities' staff do not.
"""

from safeguard.testing.matrix import row

DASHBOARD = row(302, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403)

MATRIX = {
    "performance:dashboard": ("get", None, "", DASHBOARD),
    "performance:indicator": ("get", "kpi_referrals", "", DASHBOARD),
    "performance:children": ("get", "kpi_referrals", "?part=denominator", DASHBOARD),
    "performance:demand": ("get", None, "", DASHBOARD),
    "performance:demand-children": ("get", None, "?table=funnel&key=contacts", DASHBOARD),
    # Partner figures by agency (decision 0070): those who see the dashboard.
    "performance:partners": ("get", None, "", DASHBOARD),
    "performance:partners-csv": ("get", None, "", DASHBOARD),
    "performance:partners-pdf": ("get", None, "", DASHBOARD),
    # Figures for a preventative strategy (decision 0082): those who see the dashboard.
    "performance:early-help": ("get", None, "", DASHBOARD),
    "performance:early-help-children": ("get", "figure_steps", "", DASHBOARD),
}

TARGETS = {
    "kpi_referrals": lambda world: {"kpi_id": "referrals"},
    "figure_steps": lambda world: {"figure_id": "steps"},
}
