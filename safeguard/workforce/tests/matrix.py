"""Permission-matrix rows for the caseload boards (see safeguard/testing/matrix.py)."""

from safeguard.testing.matrix import row

MATRIX = {
    # The list of the boards a user may see: any social care member (the analyst and the
    # service manager: every team's; the social worker and the team manager: their own
    # team's; another authority's social worker: their own authority's, here none); never
    # partners or administrators.
    "workforce:boards": (
        "get",
        None,
        "",
        row(302, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 302, 200, 200, 403),
    ),
    # Team A's board: its social worker and team manager, the service manager and the
    # analyst; never partners, administrators or another authority.
    "workforce:board": (
        "get",
        "workforce.team_a",
        "",
        row(302, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403),
    ),
}

TARGETS = {"workforce.team_a": lambda world: {"team_id": world.team_a.pk}}
