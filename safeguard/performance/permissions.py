"""Who may see performance figures, and whose.

The dashboard is for managers, performance analysts and directors (service managers here):
team managers, service managers and performance analysts of children's social care. They see
the authority's figures; service managers and analysts see every team and worker; a team
manager sees the teams they belong to and the workers in them. Social workers and partners
do not see the dashboard. The children behind a figure are listed only to a user who may see
those children (``people.permissions.visible_to``), and each listing is logged.
"""

from safeguard.accounts.models import Role, Team, User

DASHBOARD_ROLES = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.PERFORMANCE_ANALYST})
WHOLE_SERVICE_ROLES = frozenset({Role.SERVICE_MANAGER, Role.PERFORMANCE_ANALYST})


def _dashboard_user(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.agency_id
        and user.agency.is_social_care
        and user.role in DASHBOARD_ROLES
    )


def visible_to(user):
    """The teams whose figures ``user`` may see."""
    if not _dashboard_user(user):
        return Team.objects.none()
    teams = Team.objects.filter(
        agency__authority_id=user.agency.authority_id, agency__kind="csc"
    )
    if user.role in WHOLE_SERVICE_ROLES:
        return teams
    return teams.filter(pk__in=user.teams.values("pk"))


def can(user, action: str, obj=None) -> bool:
    """``view`` the dashboard; ``view_team`` a Team's figures; ``view_worker`` a User's;
    ``view_children`` the children behind a figure."""
    if not _dashboard_user(user):
        return False
    if action in ("view", "view_children"):
        return True
    if action == "view_team":
        return isinstance(obj, Team) and visible_to(user).filter(pk=obj.pk).exists()
    if action == "view_worker":
        return (
            isinstance(obj, User)
            and obj.agency_id is not None
            and obj.agency.authority_id == user.agency.authority_id
            and (
                user.role in WHOLE_SERVICE_ROLES
                or obj.teams.filter(pk__in=visible_to(user).values("pk")).exists()
            )
        )
    return False
