"""Who may see the lists of what is due.

Any social care member of the authority may see their own list and any team's (colleagues
cover for each other: the 2009 inspection found records closed to colleagues when the case
holder was away). The whole service's list, unallocated cases included, is for managers and
performance analysts.
"""

from safeguard.accounts.models import SOCIAL_CARE_ROLES, Role

SERVICE_ROLES = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.PERFORMANCE_ANALYST})


def _social_care(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.agency_id
        and user.agency.is_social_care
        and user.role in SOCIAL_CARE_ROLES
    )


def can_see_own(user) -> bool:
    return _social_care(user)


def can_see_team(user, team) -> bool:
    return _social_care(user) and team.agency.authority_id == user.agency.authority_id


def can_see_service(user) -> bool:
    return _social_care(user) and user.role in SERVICE_ROLES
