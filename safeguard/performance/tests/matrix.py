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
    # Targets (decision 0084): read by those who see the dashboard; proposed by service
    # managers and analysts; agreed by a service manager who did not propose it (the
    # matrix's target was proposed by the analyst). Agreeing is a POST, redirected either way.
    "performance:targets": ("get", None, "", DASHBOARD),
    "performance:target-agree": (
        "post",
        "target",
        "",
        row(302, 403, 302, 302, 302, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403),
    ),
}


def _target(world):
    from safeguard.performance.services import target_set

    made = target_set(
        by=world.analyst_eve, indicator_id="referrals", value="100", tolerance="10",
        direction="higher",
    )  # fmt: skip
    return {"target_id": made.pk}


TARGETS = {
    "kpi_referrals": lambda world: {"kpi_id": "referrals"},
    "figure_steps": lambda world: {"figure_id": "steps"},
    "target": _target,
}
