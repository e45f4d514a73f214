"""Who may move a case between teams (decision 0046).

- **Request** a transfer: the worker the case is allocated to, or a manager of the sending
  team (a team manager in it or its line manager, or a service manager), on a case they may
  record on.
- **Accept or return** it: a manager of the receiving team (its named manager, its line
  manager by ``casework.selectors.team_line_manager``, or a team manager in it), or a service
  manager of the authority; never the person who asked for it (nobody authorises their own
  work).
- **See** a transfer: those who read the case file's narrative (a handover is narrative).
- **List** transfers with their times: team and service managers.

Partner staff, analysts, chairs and administrators do none of these.
"""

from enum import StrEnum

from django.db.models import Exists, OuterRef, Q, QuerySet

from safeguard.accounts.roles import MANAGER_ROLES, Role, is_social_care_staff
from safeguard.casework import permissions as casework
from safeguard.casework.selectors import team_line_manager
from safeguard.transfers.models import Transfer


class Action(StrEnum):
    VIEW = "view"
    REQUEST = "request"
    DECIDE = "decide"
    LIST = "list"


def visible_to(user) -> QuerySet[Transfer]:
    """Transfers of the cases ``user`` may see, for those who may list them."""
    if not is_social_care_staff(user, roles=MANAGER_ROLES):
        return Transfer.objects.none()
    # Asked of each transfer's case (a correlated EXISTS), not by listing every case the user
    # may see: the lists filter to a few transfers first (pending, the user's teams).
    return Transfer.objects.filter(Exists(casework.visible_to(user).filter(pk=OuterRef("case_id"))))


def _manages_team(user, team) -> bool:
    if team is None:
        return False
    if user.role == Role.SERVICE_MANAGER:
        return True
    if user.role != Role.TEAM_MANAGER:
        return False
    if team.manager_id == user.pk or user.teams.filter(pk=team.pk).exists():
        return True
    manager = team_line_manager(team)
    return manager is not None and manager.pk == user.pk


def can(user, action: Action, obj=None, *, authority_id=None) -> bool:
    """May ``user`` do ``action``: on a case (``REQUEST``), on a transfer (``VIEW``,
    ``DECIDE``), or in ``authority_id`` (``LIST``)?"""
    action = Action(action)
    if action == Action.LIST:
        return is_social_care_staff(user, roles=MANAGER_ROLES, authority_id=authority_id)
    if obj is None:
        return False
    if action == Action.REQUEST:
        case = obj
        if not casework.can(user, casework.Action.RECORD, case):
            return False
        if user.role in MANAGER_ROLES:
            return _manages_team(user, case.team)
        return case.allocations.filter(end_date__isnull=True, worker_id=user.pk).exists()
    transfer: Transfer = obj
    if action == Action.VIEW:
        return casework.can(user, casework.Action.READ_NARRATIVE, transfer.case)
    if action == Action.DECIDE:
        if transfer.created_by_id == user.pk:
            return False
        if not casework.can(user, casework.Action.AUTHORISE, transfer.case):
            return False
        return _manages_team(user, transfer.to_team)
    return False


def teams_managed_filter(user) -> Q:
    """The transfers a team manager's list shows: to or from a team they belong to or
    manage; a service manager sees the authority's."""
    if user.role == Role.SERVICE_MANAGER:
        return Q()
    # A subquery, not a list: the list's own query stays one statement.
    member = user.teams.values("pk")
    teams = Q(from_team__manager=user) | Q(to_team__manager=user)
    return teams | Q(from_team__in=member) | Q(to_team__in=member)
