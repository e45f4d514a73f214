"""Who may see data-quality errors.

Social care staff of the authority see the errors on a record they may open, and their own
list. A team's list and the summary are for team managers, service managers and analysts.
"""

from safeguard.accounts.models import SOCIAL_CARE_ROLES, Role

MANAGER_ROLES = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.PERFORMANCE_ANALYST})


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


def can_see_panel(user, person) -> bool:
    return _social_care(user) and person.authority_id == user.agency.authority_id


def can_see_team(user, team) -> bool:
    return (
        _social_care(user)
        and user.role in MANAGER_ROLES
        and team.agency.authority_id == user.agency.authority_id
    )


def can_see_summary(user) -> bool:
    return _social_care(user) and user.role in MANAGER_ROLES
