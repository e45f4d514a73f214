"""Permission-matrix rows for the operations pages (see safeguard/testing/matrix.py).

The set-up list names the installation's weaknesses: system administrators only. ``/health/``
is for load balancers and monitoring: anyone, signed in or not (it says only ok or failed).
"""

from safeguard.testing.matrix import row

ADMINISTRATORS = row(302, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200, 302, 403, 403, 403)

# The administration pages: the authority's own system administrators (the other authority's
# social worker is refused like any social worker; a team of another authority is not found).
ADMINISTER = ADMINISTRATORS

MATRIX = {
    "operations:setup": ("get", None, "", ADMINISTRATORS),
    "operations:health": ("get", None, "", [200] * 15),
    "operations:teams": ("get", None, "", ADMINISTER),
    "operations:team": ("get", "team_a", "", ADMINISTER),
    "operations:team-new": ("get", None, "", ADMINISTER),
    "operations:agency-new": ("get", None, "", ADMINISTER),
    "operations:history": ("get", None, "", ADMINISTER),
    "operations:jobs": ("get", None, "", ADMINISTRATORS),
    "operations:staff": ("get", None, "", ADMINISTER),
    "operations:account": ("get", "sw_amy", "", ADMINISTER),
    "operations:account-role": ("get", "sw_amy", "", ADMINISTER),
}


def team_target(world):
    return {"team_id": world.team_a.pk}


def account_target(world):
    return {"user_id": world.sw_amy.pk}


TARGETS = {"team_a": team_target, "sw_amy": account_target}
