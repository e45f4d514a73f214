"""Who may see performance figures, and whose.

The dashboard is for managers, performance analysts and directors (service managers here):
those of children's social care who oversee work (``OVERSIGHT_ROLES``: team managers,
service managers and performance analysts). They see the authority's figures; those who
answer for the whole service (``SERVICE_WIDE_ROLES``: service managers and analysts) see
every team and worker; a team manager sees the teams they belong to and the workers in them.
Social workers and partners do not see the dashboard. The children behind a figure are
listed only to a user who may see those children (``people.permissions.visible_to``), and
each listing is logged.

Targets (decision 0084) are proposed by service managers and performance analysts and count
once a service manager other than the one who proposed them agrees them: nobody agrees their
own target.
"""

from enum import StrEnum

from django.db.models import QuerySet

from safeguard.accounts.models import Team, User
from safeguard.accounts.roles import (
    OVERSIGHT_ROLES,
    SERVICE_WIDE_ROLES,
    Role,
    is_social_care_staff,
)
from safeguard.accounts.selectors import social_care_teams


class Action(StrEnum):
    VIEW = "view"  # the dashboard, an indicator, demand
    VIEW_TEAM = "view_team"  # a Team's figures
    VIEW_WORKER = "view_worker"  # a worker's (User's) figures
    VIEW_CHILDREN = "view_children"  # the children behind a figure
    SET_TARGET = "set_target"  # propose a new version of an indicator's target
    AGREE_TARGET = "agree_target"  # agree a proposed target (obj: the Target)


def visible_to(user) -> QuerySet[Team]:
    """The teams whose figures ``user`` may see."""
    if not is_social_care_staff(user, roles=OVERSIGHT_ROLES):
        return Team.objects.none()
    teams = social_care_teams(user.agency.authority_id)
    if user.role in SERVICE_WIDE_ROLES:
        return teams
    return teams.filter(pk__in=user.teams.values("pk"))


def can(user, action: Action, obj=None) -> bool:
    if not is_social_care_staff(user, roles=OVERSIGHT_ROLES):
        return False
    match action:
        case Action.VIEW | Action.VIEW_CHILDREN:
            return True
        case Action.SET_TARGET:
            # Targets are the whole service's: service managers and performance analysts.
            return user.role in SERVICE_WIDE_ROLES
        case Action.AGREE_TARGET:
            # A service manager agrees a target, never one they set (decision 0084).
            return (
                user.role == Role.SERVICE_MANAGER
                and obj is not None
                and obj.authority_id == user.agency.authority_id
                and obj.set_by_id != user.pk
                and obj.agreed_at is None
            )
        case Action.VIEW_TEAM:
            return isinstance(obj, Team) and visible_to(user).filter(pk=obj.pk).exists()
        case Action.VIEW_WORKER:
            return (
                isinstance(obj, User)
                and obj.agency_id is not None
                and obj.agency.authority_id == user.agency.authority_id
                and (
                    user.role in SERVICE_WIDE_ROLES
                    or obj.teams.filter(pk__in=visible_to(user).values("pk")).exists()
                )
            )
    return False
