"""Reads of transfers. A transfer page gets its transfer only through ``access_transfer``,
which reads the case through ``casework.selectors.access_case`` (the child's access logged)
and applies this app's policy."""

from datetime import date
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404

from safeguard.accounts.models import Team, User
from safeguard.accounts.roles import Role
from safeguard.casework import selectors as casework
from safeguard.casework.forms import social_care_staff
from safeguard.casework.models import Case
from safeguard.casework.permissions import Action as CaseAction
from safeguard.people.selectors import show_rows
from safeguard.timescales.models import DueEntry
from safeguard.timescales.rules import RULES_BY_ID
from safeguard.transfers import permissions
from safeguard.transfers.models import Transfer, TransferStatus
from safeguard.transfers.permissions import Action

# How many of a case's next due items the handover is pre-filled with.
DUE_LINES = 10


def access_case_to_transfer(*, user, case_id: UUID, request=None) -> Case:
    """The case, for ``user`` to ask for its transfer (``Action.REQUEST``)."""
    case = casework.access_case(
        user=user, case_id=case_id, request=request, action=CaseAction.RECORD, related=("team",)
    )
    if not permissions.can(user, Action.REQUEST, case):
        raise PermissionDenied(
            "Only the case's allocated worker or a manager of its team can ask for a transfer"
        )
    return case


@transaction.atomic
def access_transfer(*, user, transfer_id: UUID, request=None, action=Action.VIEW) -> Transfer:
    """The transfer with its case (read through ``access_case``: the child's access is
    logged): 404 to those who may not know of it, 403 to those who may see but not act."""
    transfer = (
        Transfer.objects.select_related(
            "from_team", "to_team", "created_by", "decided_by", "allocated_to"
        )
        .filter(pk=transfer_id)
        .first()
    )
    if transfer is None:
        raise Http404("No such transfer")
    transfer.case = casework.access_case(
        user=user,
        case_id=transfer.case_id,
        request=request,
        action=CaseAction.VIEW if action == Action.VIEW else CaseAction.AUTHORISE,
        related=("team",),
    )
    if not permissions.can(user, Action.VIEW, transfer):
        raise PermissionDenied("A transfer's handover is for staff working with the child")
    if action != Action.VIEW and not permissions.can(user, action, transfer):
        raise PermissionDenied("Only a manager of the receiving team can decide this transfer")
    return transfer


def pending_transfer(case: Case) -> Transfer | None:
    return case.transfers.filter(status=TransferStatus.PENDING).select_related("to_team").first()


def due_lines(case: Case) -> str:
    """The case's next due items, one a line ("Child in need visit: due 3 March 2027"), to
    pre-fill the handover: from the due table (decision 0028), soonest first."""
    rules = RULES_BY_ID.get(case.authority.rule_set, {})
    entries = DueEntry.objects.filter(case=case).order_by("due_date", "rule_id")[:DUE_LINES]
    today = date.today()
    lines = []
    for entry in entries:
        rule = rules.get(entry.rule_id)
        label = rule.label if rule is not None else entry.rule_id
        late = " (overdue)" if entry.due_date < today else ""
        lines.append(f"{label}: due {entry.due_date.day} {entry.due_date:%B %Y}{late}")
    return "\n".join(lines)


def receiving_teams(case: Case) -> list[Team]:
    """The teams a case may move to: the authority's social care teams but its own."""
    return [t for t in casework.allocation_teams(case) if t.pk != case.team_id]


def receiving_managers(team: Team) -> list[User]:
    """Who is told of a transfer into ``team``: its line manager, else its team managers,
    else the authority's service managers, so that a transfer never arrives unseen."""
    manager = casework.team_line_manager(team)
    if manager is not None:
        return [manager]
    members = list(team.members.filter(role=Role.TEAM_MANAGER, is_active=True))
    if members:
        return members
    return list(
        User.objects.filter(
            agency__authority_id=team.agency.authority_id,
            role=Role.SERVICE_MANAGER,
            is_active=True,
        )
    )


def _listed(user):
    return (
        permissions.visible_to(user)
        .filter(permissions.teams_managed_filter(user))
        .select_related("case__child", "from_team", "to_team", "created_by", "decided_by")
    )


def transfers_for(*, user, request=None, limit: int = 200):
    """The transfers a manager's list shows, newest first, with their times: rows whose
    child the manager may not see are left out and counted (``show_rows``). A fixed number of
    queries whatever the number of transfers."""
    rows = list(_listed(user).order_by("-requested_on", "-created_at")[:limit])
    return show_rows(user=user, rows=rows, child=lambda t: t.case.child, request=request)


def incoming_for(*, user, request=None, limit: int = 50):
    """The transfers waiting for ``user`` to accept or return, oldest first: into the teams
    they belong to or manage (every team, for a service manager), never their own requests.
    One query, and the access log of the children shown (``show_rows``)."""
    waiting = _listed(user).filter(status=TransferStatus.PENDING).exclude(created_by=user)
    if user.role != Role.SERVICE_MANAGER:
        waiting = waiting.filter(
            Q(to_team__members=user)
            | Q(to_team__manager=user)
            | Q(to_team__manager__isnull=True, to_team__parent__manager=user)
        ).distinct()
    rows = list(waiting.order_by("requested_on", "created_at")[:limit])
    return show_rows(user=user, rows=rows, child=lambda t: t.case.child, request=request)


def receiving_staff(transfer: Transfer):
    """Who may be allocated the case on acceptance: the receiving team's case holders."""
    return social_care_staff(transfer.case.authority).filter(teams=transfer.to_team)


__all__ = [
    "access_case_to_transfer",
    "access_transfer",
    "due_lines",
    "incoming_for",
    "pending_transfer",
    "receiving_managers",
    "receiving_staff",
    "receiving_teams",
    "transfers_for",
]
