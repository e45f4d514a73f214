"""Permission-matrix rows for the "what is due" pages (see safeguard/testing/matrix.py)."""

from safeguard.testing.matrix import SOCIAL_CARE_PAGE, row

MATRIX = {
    "timescales:mine": ("get", None, "", SOCIAL_CARE_PAGE),
    # Team A of the authority: the other authority's social worker may not see it.
    "timescales:team": ("get", "team_a", "", row(302, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 302, 403, 200, 403)),
    # A team's unallocated queue: like the team's due list (issue 14).
    "timescales:team-unallocated": ("get", "team_a", "", row(302, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 302, 403, 200, 403)),
    "timescales:service": ("get", None, "", row(302, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403)),
    # Children not seen within their standard: the whole service for those who oversee work,
    # their own teams for any other social care member (another authority's: their own).
    "timescales:unseen": ("get", None, "", SOCIAL_CARE_PAGE),
    # Decided but not started: a worker's own, or the whole service's for those who oversee.
    "timescales:next-steps": ("get", None, "", SOCIAL_CARE_PAGE),
    # Unallocated cases: for those who oversee work, as the service's due list.
    "timescales:unallocated": ("get", None, "", row(302, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403)),
    # The early help queue (issue 19 item 5): team and service managers, and the partner
    # practitioners of the agencies that lead early help (their own agency's work only).
    "timescales:early-help-queue": ("get", None, "", row(302, 403, 200, 200, 403, 403, 200, 200, 200, 403, 403, 302, 403, 403, 403)),
}

TARGETS = {"team_a": lambda world: {"team_id": world.team_a.pk}}
