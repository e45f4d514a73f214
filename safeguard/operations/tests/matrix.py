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
    "operations:health": ("get", None, "", [200] * 16),
    "operations:teams": ("get", None, "", ADMINISTER),
    "operations:team": ("get", "team_a", "", ADMINISTER),
    "operations:team-new": ("get", None, "", ADMINISTER),
    "operations:agency-new": ("get", None, "", ADMINISTER),
    "operations:history": ("get", None, "", ADMINISTER),
    "operations:jobs": ("get", None, "", ADMINISTRATORS),
    "operations:staff": ("get", None, "", ADMINISTER),
    "operations:account": ("get", "sw_amy", "", ADMINISTER),
    "operations:account-role": ("get", "sw_amy", "", ADMINISTER),
    "operations:account-new": ("get", None, "", ADMINISTER),
    # The threshold of need, local standards and retention rules (decision 0074).
    "operations:thresholds": ("get", None, "", ADMINISTER),
    "operations:threshold-level-new": ("get", None, "", ADMINISTER),
    "operations:threshold-level": ("get", "level_3", "", ADMINISTER),
    "operations:threshold-level-change": ("get", "level_3", "", ADMINISTER),
    "operations:threshold-indicator-new": ("get", "level_3", "", ADMINISTER),
    "operations:threshold-indicator": ("get", "indicator", "", ADMINISTER),
    "operations:standards": ("get", None, "", ADMINISTER),
    "operations:retention": ("get", None, "", ADMINISTER),
    "operations:retention-rule": ("get", "child_protection", "", ADMINISTER),
    # Retiring a level; renaming an agency (decision 0077).
    "operations:threshold-level-retire": ("get", "level_3", "", ADMINISTER),
    "operations:agency": ("get", "agency_a", "", ADMINISTER),
}


def team_target(world):
    return {"team_id": world.team_a.pk}


def agency_target(world):
    return {"agency_id": world.team_a.agency_id}


def account_target(world):
    return {"user_id": world.sw_amy.pk}


def _level(world):
    from safeguard.referrals.models import ThresholdIndicator, ThresholdLevel

    level, _ = ThresholdLevel.objects.get_or_create(
        authority=world.authority, number=3, name="Child in need", implied_outcome="referral"
    )
    indicator, _ = ThresholdIndicator.objects.get_or_create(level=level, text="Neglect")
    return level, indicator


def level_target(world):
    return {"number": _level(world)[0].number}


def indicator_target(world):
    return {"indicator_id": _level(world)[1].pk}


def retention_target(world):
    return {"record_type": "child_protection"}


TARGETS = {
    "team_a": team_target,
    "agency_a": agency_target,
    "sw_amy": account_target,
    "level_3": level_target,
    "indicator": indicator_target,
    "child_protection": retention_target,
}
