"""Transfers of a case between teams (issue 14 item 5, decision 0046).

The sending worker or manager asks (``transfer_request``), writing the handover; the
receiving team's manager accepts (``transfer_accept``: the case moves to the receiving team,
waiting in its queue or allocated there and then) or returns it with a reason
(``transfer_return``: the case stays where it was). Each writes its change event, a
chronology entry and a notice, in one transaction.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.services import save_change, save_new, snapshot
from safeguard.casework import services as casework
from safeguard.casework.models import Case
from safeguard.core.concurrency import expect_version
from safeguard.core.errors import ApplicationError
from safeguard.notices.services import notify
from safeguard.transfers import permissions, selectors
from safeguard.transfers.models import Transfer, TransferStatus
from safeguard.transfers.permissions import Action


def _require(user, action: Action, obj) -> None:
    if not permissions.can(user, action, obj):
        raise PermissionDenied("You cannot do this on this transfer")


def _days(n: int) -> str:
    return f"{n} working day{'s' if n != 1 else ''}"


@transaction.atomic
def transfer_request(
    *,
    by,
    case: Case,
    to_team,
    summary: str,
    risks: str,
    outstanding_work: str,
    next_due: str = "",
    on: date | None = None,
) -> Transfer:
    """Ask for the case to move to ``to_team``, with the handover. The case stays with its
    team until the receiving manager accepts; a case has at most one transfer waiting.
    ``on`` is the day it was asked for (today unless a record is entered late: the demo)."""
    _require(by, Action.REQUEST, case)
    # Locking the case makes two requests at once wait for each other: the second then sees
    # the first (and the database's constraint stands behind this check).
    locked = Case.objects.select_for_update(of=("self",)).select_related("team").get(pk=case.pk)
    if locked.closure_date is not None:
        raise ApplicationError("The case is closed: it cannot be transferred")
    if locked.team is None:
        raise ApplicationError(
            "The case has no responsible team: allocate it before transferring it"
        )
    waiting = locked.transfers.filter(status=TransferStatus.PENDING).select_related("to_team")
    if (pending := waiting.first()) is not None:
        raise ApplicationError(
            f"A transfer of this case to {pending.to_team} is already waiting for its "
            "manager: it must be accepted or returned before another is asked for"
        )
    if to_team is None:
        raise ApplicationError("Choose the team to transfer the case to", field="to_team")
    if to_team.pk == locked.team_id:
        raise ApplicationError(
            f"The case is already with {to_team}: choose another team", field="to_team"
        )
    if to_team.agency.authority_id != locked.authority_id or not to_team.agency.is_social_care:
        raise ApplicationError("Choose a social care team of the authority", field="to_team")
    for field, value, message in (
        ("summary", summary, "Write a summary of the case"),
        ("risks", risks, "Describe the risks"),
        ("outstanding_work", outstanding_work, "Describe the outstanding work"),
    ):
        if not (value or "").strip():
            raise ApplicationError(message, field=field)
    today = on or timezone.localdate()
    casework.check_step_date(locked, today, label="date of the request", field="requested_on")
    transfer = Transfer(
        case=locked,
        from_team=locked.team,
        to_team=to_team,
        requested_on=today,
        summary=summary.strip(),
        risks=risks.strip(),
        outstanding_work=outstanding_work.strip(),
        next_due=(next_due or "").strip(),
    )
    save_new(transfer, by=by, person_id=locked.child_id)
    casework.chronology_add(
        by=by,
        child=locked.child,
        case=locked,
        event_date=today,
        what=f"Transfer from {locked.team} to {to_team} requested by {by}",
        source_agency=casework.agency_name(by),
        source=transfer,
    )
    notify(
        users=selectors.receiving_managers(to_team),
        subject="A case transfer is waiting for you",
        body=(
            f"{by} asks for a case to move from {locked.team} to {to_team}. Read the handover, "
            "then accept the case or return it with your reason."
        ),
        url=reverse("transfers:detail", args=[transfer.pk]),
    )
    return transfer


def _decision_day(transfer: Transfer, on: date | None) -> date:
    day = on or timezone.localdate()
    casework.check_step_date(transfer.case, day, label="date of the decision", field="on")
    if day < transfer.requested_on:
        raise ApplicationError(
            f"The decision cannot be before the transfer was asked for "
            f"({transfer.requested_on:%d %B %Y})",
            field="on",
        )
    return day


def _locked(transfer: Transfer, version: int | None) -> Transfer:
    locked = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("from_team", "to_team", "case__child", "case__team", "created_by")
        .get(pk=transfer.pk)
    )
    expect_version(locked, version)
    if locked.status != TransferStatus.PENDING:
        raise ApplicationError(
            f"This transfer was already {TransferStatus(locked.status).label.lower()}"
        )
    return locked


def _tell_sender(transfer: Transfer, *, by, subject: str, body: str, also=()) -> None:
    notify(
        users=[transfer.created_by, *also],
        subject=subject,
        body=body,
        url=reverse("transfers:detail", args=[transfer.pk]),
    )


@transaction.atomic
def transfer_accept(
    *,
    by,
    transfer: Transfer,
    worker=None,
    reason: str = "",
    version: int | None = None,
    on: date | None = None,
) -> Transfer:
    """Accept the transfer: the case moves to the receiving team, its allocation (if any)
    ends, and it waits in the receiving team's queue, or is allocated at once to ``worker``
    of that team (with ``reason``, or the transfer as the reason). The sender is told."""
    _require(by, Action.DECIDE, transfer)
    locked = _locked(transfer, version)
    case = locked.case
    if case.closure_date is not None:
        raise ApplicationError("The case was closed: return the transfer instead")
    if case.team_id != locked.from_team_id:
        raise ApplicationError(
            f"The case has moved to {case.team} since the transfer was asked for: return it"
        )
    previous = case.allocations.filter(end_date__isnull=True).select_related("worker").first()
    today = _decision_day(locked, on)
    casework.case_team_move(by=by, case=case, team=locked.to_team, on=today)
    if worker is not None:
        casework.case_allocate(
            by=by,
            case=case,
            worker=worker,
            team=locked.to_team,
            start_date=today,
            reason=reason.strip() or f"Accepted on transfer from {locked.from_team}",
        )
    before = snapshot(locked)
    locked.status = TransferStatus.ACCEPTED
    locked.decided_by, locked.decided_on, locked.allocated_to = by, today, worker
    save_change(locked, by=by, before=before, person_id=case.child_id)
    took = _days(locked.working_days)
    held = f", allocated to {worker}" if worker is not None else ", unallocated in its queue"
    casework.chronology_add(
        by=by,
        child=case.child,
        case=case,
        event_date=today,
        what=f"Transfer to {locked.to_team} accepted by {by}{held} ({took})",
        source_agency=casework.agency_name(by),
        source=casework.EndMarker(locked),
    )
    _tell_sender(
        locked,
        by=by,
        subject="Your case transfer was accepted",
        body=f"{by} accepted the case into {locked.to_team} after {took}.",
        also=[previous.worker] if previous is not None else [],
    )
    return locked


@transaction.atomic
def transfer_return(
    *, by, transfer: Transfer, reason: str, version: int | None = None, on: date | None = None
) -> Transfer:
    """Return the transfer with a reason: the case stays with the sending team, as it has
    been all along. The sender is told."""
    _require(by, Action.DECIDE, transfer)
    locked = _locked(transfer, version)
    if not (reason or "").strip():
        raise ApplicationError("Give the reason for returning the transfer", field="reason")
    day = _decision_day(locked, on)
    before = snapshot(locked)
    locked.status = TransferStatus.RETURNED
    locked.decided_by, locked.decided_on = by, day
    locked.return_reason = reason.strip()
    save_change(locked, by=by, before=before, person_id=locked.case.child_id)
    casework.chronology_add(
        by=by,
        child=locked.case.child,
        case=locked.case,
        event_date=locked.decided_on,
        what=f"Transfer to {locked.to_team} returned by {by}: the case stays with "
        f"{locked.from_team}",
        source_agency=casework.agency_name(by),
        outcome=locked.return_reason,
        source=casework.EndMarker(locked),
    )
    _tell_sender(
        locked,
        by=by,
        subject="Your case transfer was returned",
        body=f"{by} returned the transfer to {locked.to_team}: the case stays with "
        f"{locked.from_team}. Their reason is on the transfer.",
    )
    return locked
