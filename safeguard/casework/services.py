"""Changes to cases: opening, allocation, visits, notes, decisions, child in need plans,
the chronology and closure.

Every service takes ``by=``, runs in one transaction, refuses bad input or an impossible
sequence with an ``ApplicationError`` that says why (nothing is stored), and writes its
change event. Steps recorded by higher apps (assessments, protection) use ``check_step_date``
and ``chronology_add`` from here, so the rules are the same for every step.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from hashlib import sha256

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import DEFAULT_AUTHORISED_DECISIONS, AgencyKind
from safeguard.accounts.roles import RECORDING_ROLES, is_social_care_staff
from safeguard.audit.models import ChangeVerb
from safeguard.audit.services import record_change, save_change, save_new, snapshot
from safeguard.casework import permissions
from safeguard.casework.codes import (
    AFTER_ASSESSMENT_REASONS,
    ClosureReason,
    LegalStatus,
    PrimaryNeed,
    Priority,
    ReferralSource,
)
from safeguard.casework.models import (
    Absence,
    AbsenceKind,
    Allocation,
    AuthorisationRequest,
    AuthorisationStatus,
    Case,
    CaseNote,
    CaseSummary,
    ChronologyAnnotation,
    ChronologyEntry,
    CINPlan,
    CINPlanReview,
    DirectWork,
    DutySpell,
    LookedAfterPeriod,
    ManagementDecision,
    Prioritised,
    UnallocatedReview,
    Visit,
)
from safeguard.casework.permissions import Action
from safeguard.casework.selectors import case_holder
from safeguard.core.concurrency import StaleRecord, expect_version, save_versioned
from safeguard.core.errors import ApplicationError
from safeguard.core.models import DatedSpan
from safeguard.notices.services import notify
from safeguard.people.models import ADULT_AGE, Involvement, Residence
from safeguard.people.signals import JOINED

ALLOCATED_ROLE = "Allocated social worker"


# --- Shared rules -----------------------------------------------------------------------------


def check_priority(priority: str, reason: str, *, previous: str | None = None) -> None:
    """The rules for setting a priority (RAG) on a contact or case: one of red, amber or
    green; a reason for red, and for any change from ``previous`` (the priority it had; empty
    or None when it is first set)."""
    if priority not in Priority.values:
        raise ApplicationError("Choose the priority: red, amber or green", field="priority")
    if not reason.strip():
        if priority == Priority.RED:
            raise ApplicationError(
                "Enter the reason for the priority: a red priority needs one",
                field="priority_reason",
            )
        if previous and priority != previous:
            raise ApplicationError(
                f"Enter the reason for changing the priority from "
                f"{Priority(previous).label.lower()} to {Priority(priority).label.lower()}",
                field="priority_reason",
            )


def set_priority(record: Prioritised, *, by, priority: str, reason: str) -> None:
    """Put the priority on ``record`` (not saved: the caller saves it with its change event),
    naming who set it and when."""
    record.priority = priority
    record.priority_reason = reason.strip()
    record.priority_set_by = by
    record.priority_set_at = timezone.now()


def priority_entry(priority: str, reason: str) -> str:
    """The chronology's words for a priority set or changed."""
    words = f"Priority changed to {Priority(priority).label.lower()}"
    if reason.strip():
        words = f"{words}: {reason.strip()}"
    limit = ChronologyEntry._meta.get_field("what").max_length
    return words if len(words) <= limit else words[: limit - 1] + "…"


def require(user, action: Action, case: Case) -> None:
    if not permissions.can(user, action, case):
        raise PermissionDenied("You cannot do this on this case")


def check_date(day: date | None, *, label: str, field: str = "") -> None:
    if day is None:
        raise ApplicationError(f"Enter the {label}", field=field or None)
    if day > timezone.localdate():
        raise ApplicationError(f"The {label} cannot be in the future", field=field or None)


def check_step_date(case: Case, day: date | None, *, label: str, field: str = "") -> None:
    """A step's date: given, not in the future, not before the referral, not after closure."""
    check_date(day, label=label, field=field)
    if day < case.referral_date:
        raise ApplicationError(
            f"The {label} cannot be before the referral ({case.referral_date:%d %B %Y})",
            field=field or None,
        )
    if case.closure_date is not None and day > case.closure_date:
        raise ApplicationError(
            f"The case was closed on {case.closure_date:%d %B %Y}: reopen it with a new referral",
            field=field or None,
        )


# --- Chronology -------------------------------------------------------------------------------


def chronology_add(
    *,
    by,
    child,
    event_date: date,
    what: str,
    case: Case | None = None,
    source_agency: str = "",
    impact: str = "",
    outcome: str = "",
    source=None,
) -> ChronologyEntry:
    """Add an entry to the child's chronology. ``source`` is the step the entry comes from;
    a step has at most one entry, which this updates if it already exists."""
    source_type = source._meta.label_lower if source is not None else ""
    source_id = str(source.pk) if source is not None else ""
    if not what.strip():
        raise ApplicationError("Enter what happened", field="what")
    check_date(event_date, label="date of the event", field="event_date")
    if source is not None:
        existing = ChronologyEntry.objects.filter(
            source_type=source_type, source_id=source_id
        ).first()
        if existing is not None:
            before = snapshot(existing)
            existing.event_date, existing.what = event_date, what
            existing.outcome = outcome or existing.outcome
            save_change(existing, by=by, before=before, person_id=child.pk)
            return existing
    entry = ChronologyEntry(
        child=child,
        case=case,
        event_date=event_date,
        what=what.strip(),
        source_agency=source_agency,
        impact=impact,
        outcome=outcome,
        source_type=source_type,
        source_id=source_id,
    )
    save_new(entry, by=by, person_id=child.pk)
    return entry


@transaction.atomic
def chronology_entry_add(*, by, case: Case, **fields) -> ChronologyEntry:
    """A worker's own chronology entry (not made by a step)."""
    require(by, Action.RECORD, case)
    return chronology_add(by=by, child=case.child, case=case, **fields)


@transaction.atomic
def chronology_annotate(*, by, entry: ChronologyEntry, text: str) -> ChronologyAnnotation:
    if entry.case is not None:
        require(by, Action.RECORD, entry.case)
    if not text.strip():
        raise ApplicationError("Enter the annotation", field="text")
    note = ChronologyAnnotation(entry=entry, text=text.strip())
    save_new(note, by=by, person_id=entry.child_id)
    return note


# --- Opening, allocation ----------------------------------------------------------------------


def case_open(
    *,
    by,
    child,
    referral_date: date,
    referral_source: str,
    primary_need: str = "",
    priority: str = "",
    priority_reason: str = "",
    team=None,
) -> Case:
    """Open a child-in-need episode, the one way a case is made. Called by the referral
    service, inside its transaction. ``team`` is the team answerable for the case until
    someone is allocated (its unallocated queue): by default the first social care team, by
    name, of whoever opens it. ``primary_need`` is the front door's working primary
    need (CIN census PrimaryNeedCode), replaced when an assessment is authorised.
    ``priority`` is the referral's priority, the case's at opening (the referral service
    checks it); empty leaves the case not rated."""
    if not permissions.can(by, Action.RECORD, authority_id=child.authority_id):
        raise PermissionDenied("You cannot open cases")
    check_date(referral_date, label="referral date", field="received_date")
    if referral_source not in ReferralSource.values:
        raise ApplicationError("Choose where the referral came from", field="source")
    if primary_need and primary_need not in PrimaryNeed.values:
        raise ApplicationError("Choose the primary need from the list", field="primary_need")
    birth = child.date_of_birth
    if birth and referral_date < birth:
        raise ApplicationError(
            "The referral date cannot be before the child was born", field="received_date"
        )
    # A child in need episode is for a child: under 18 on the referral date (an unborn child,
    # with only an expected date of birth, is one).
    age = child.age_on(referral_date)
    if age is not None and age >= ADULT_AGE:
        raise ApplicationError(
            f"{child.full_name} was {age} on {referral_date.day} {referral_date:%B %Y}: a child "
            "in need case is only for a child under 18. Refer an adult to adult social care",
            field="received_date",
        )
    open_case = Case.objects.filter(child=child, closure_date__isnull=True).first()
    if open_case is not None:
        raise ApplicationError(
            f"{child.full_name} already has an open case (referred "
            f"{open_case.referral_date:%d %B %Y}): record a contact or case note on it instead "
            "of a new referral"
        )
    later = (
        Case.objects.filter(child=child, referral_date__gt=referral_date).exists()
        or Case.objects.filter(child=child, closure_date__gt=referral_date).exists()
    )
    if later:
        raise ApplicationError(
            "The referral date falls inside or before an earlier case of this child",
            field="received_date",
        )
    if team is None:
        team = opening_team(by)
    elif team.agency.authority_id != child.authority_id or not team.agency.is_social_care:
        raise ApplicationError("Choose a social care team of the authority", field="team")
    case = Case(
        child=child,
        authority_id=child.authority_id,
        referral_date=referral_date,
        referral_source=referral_source,
        primary_need=primary_need,
        team=team,
    )
    if priority:
        set_priority(case, by=by, priority=priority, reason=priority_reason)
    save_new(case, by=by, person_id=case.child_id)
    return case


def opening_team(user):
    """The team a case opened by ``user`` waits in until it is allocated: their first social
    care team by name, or None if they are in none."""
    return (
        user.teams.filter(agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
        .select_related("agency")
        .order_by("name", "pk")
        .first()
    )


@transaction.atomic
def case_priority_change(
    *, by, case: Case, priority: str, reason: str, version: int | None = None
) -> Case:
    """Change the case's priority (RAG), with a reason, always: by a team or service manager
    or the allocated worker (``Action.CHANGE_PRIORITY``). The change event keeps the before and
    after; the chronology says "Priority changed to red: reason"."""
    require(by, Action.CHANGE_PRIORITY, case)
    case = Case.objects.select_for_update().select_related("child").get(pk=case.pk)
    expect_version(case, version)
    if case.closure_date is not None:
        raise ApplicationError("The case is closed: its priority can no longer change")
    if priority == case.priority:
        raise ApplicationError(
            f"The priority is already {Priority(priority).label.lower()}", field="priority"
        )
    check_priority(priority, reason, previous=case.priority)
    before = snapshot(case)
    set_priority(case, by=by, priority=priority, reason=reason)
    save_change(case, by=by, before=before, person_id=case.child_id)
    chronology_add(
        by=by,
        child=case.child,
        case=case,
        event_date=timezone.localdate(),
        what=priority_entry(priority, reason),
        source_agency=agency_name(by),
    )
    return case


@transaction.atomic
def case_allocate(
    *,
    by,
    case: Case,
    worker,
    team,
    start_date: date,
    reason: str,
    version: int | None = None,
) -> Allocation:
    """Allocate the case to a worker in a team from ``start_date``, ending any current one,
    for ``reason`` (kept on the allocation and shown in the case's allocation history), and
    tell the worker (a notice, emailed). The team becomes the case's responsible team. What
    is due on the case moves with it: the due items are worked out again in this
    transaction, under the new worker and team.

    A reason is required, always: a missing or empty one is refused.

    The case's version covers its allocation: ``version`` is the case version the user saw,
    and allocating raises it, so that two managers allocating at once cannot both succeed.
    """
    require(by, Action.RECORD, case)
    if reason is None or not reason.strip():
        raise ApplicationError(
            "Give the reason for reallocating the case"
            if Allocation.objects.filter(case=case, end_date__isnull=True).exists()
            else "Give the reason for allocating the case",
            field="reason",
        )
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if version is not None and locked.version != version:
        now = Allocation.objects.filter(case=case, end_date__isnull=True).first()
        raise StaleRecord(now or locked, seen_version=version)
    check_step_date(case, start_date, label="allocation date", field="start_date")
    if not is_social_care_staff(worker, roles=RECORDING_ROLES, authority_id=case.authority_id):
        # Only those who record on a child's file hold cases: not analysts or administrators.
        raise ApplicationError("Choose an active social care worker", field="worker")
    if team.agency_id != worker.agency_id or not worker.teams.filter(pk=team.pk).exists():
        raise ApplicationError(f"{worker} is not a member of {team}", field="team")
    current = (
        Allocation.objects.select_for_update().filter(case=case, end_date__isnull=True).first()
    )
    if current is not None:
        if current.worker_id == worker.pk and current.team_id == team.pk:
            raise ApplicationError(f"The case is already allocated to {worker}", field="worker")
        if start_date < current.start_date:
            raise ApplicationError(
                "The allocation date is before the current allocation began", field="start_date"
            )
        before = snapshot(current)
        current.end_date = start_date
        save_change(current, by=by, before=before, verb=ChangeVerb.ENDED, person_id=case.child_id)
        for inv in Involvement.objects.filter(
            person=case.child,
            worker_id=current.worker_id,
            role=ALLOCATED_ROLE,
            end_date__isnull=True,
        ):
            inv_before = snapshot(inv)
            inv.end_date = start_date
            save_change(
                inv, by=by, before=inv_before, verb=ChangeVerb.ENDED, person_id=case.child_id
            )
    allocation = Allocation(
        case=case, worker=worker, team=team, start_date=start_date, reason=reason.strip()
    )
    save_new(allocation, by=by, person_id=case.child_id)
    if locked.team_id != team.pk:
        # The allocated team answers for the case from now on (its queue, if it waits again).
        before = snapshot(locked)
        locked.team = team
        save_change(locked, by=by, before=before, person_id=case.child_id)
    else:
        # The allocation's own change events record the change; the case's version moves on.
        save_versioned(locked)
    case.version, case.team_id = locked.version, locked.team_id
    # The person page and the worker's caseload read involvement: keep it in step.
    involvement = Involvement(
        person=case.child,
        agency=worker.agency,
        team=team,
        worker=worker,
        role=ALLOCATED_ROLE,
        start_date=start_date,
    )
    save_new(involvement, by=by, person_id=case.child_id)
    if worker.pk != getattr(by, "pk", None):
        _notify_allocated(allocation, by=by, previous=current)
    return allocation


@transaction.atomic
def case_team_move(*, by, case: Case, team, on: date) -> Case:
    """Make ``team`` the case's responsible team from ``on``, the case then waiting
    unallocated in its queue: the open allocation (and the worker's involvement) ends on
    ``on``. The one way a case changes team without an allocation: a transfer between teams
    accepted by the receiving manager (``transfers``, decision 0046), in its transaction.
    The case is in one team before and one team after, never none and never two."""
    require(by, Action.RECORD, case)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.closure_date is not None:
        raise ApplicationError("The case is closed: it can no longer move to another team")
    if team.agency.authority_id != locked.authority_id or not team.agency.is_social_care:
        raise ApplicationError("Choose a social care team of the authority", field="team")
    check_step_date(locked, on, label="date of the move", field="on")
    for current in Allocation.objects.select_for_update().filter(
        case=locked, end_date__isnull=True
    ):
        if on < current.start_date:
            raise ApplicationError(
                "The case cannot move before its current allocation began", field="on"
            )
        before = snapshot(current)
        current.end_date = on
        save_change(current, by=by, before=before, verb=ChangeVerb.ENDED, person_id=case.child_id)
        for inv in Involvement.objects.filter(
            person_id=locked.child_id,
            worker_id=current.worker_id,
            role=ALLOCATED_ROLE,
            end_date__isnull=True,
        ):
            inv_before = snapshot(inv)
            inv.end_date = on
            save_change(
                inv, by=by, before=inv_before, verb=ChangeVerb.ENDED, person_id=case.child_id
            )
    before = snapshot(locked)
    locked.team = team
    save_change(locked, by=by, before=before, person_id=case.child_id)
    case.version, case.team_id = locked.version, locked.team_id
    return locked


def tell_case_holder(case: Case, *, by, subject: str, body: str, url: str = ""):
    """Tell whoever holds ``case`` (``selectors.case_holder``: the allocated worker, or the
    team's manager while it waits) of something new on their child, unless they did it
    themselves: nothing about a child arrives unseen (issue 16 item 9). The notice names the
    child only by the link (a notice is emailed). Returns who was told, or None."""
    holder = case_holder(case)
    if holder is None or holder.pk == getattr(by, "pk", None):
        return None
    notify(
        users=[holder],
        subject=subject,
        body=body,
        url=url or reverse("casework:case-detail", args=[case.pk]),
    )
    return holder


def _notify_allocated(allocation: Allocation, *, by, previous: Allocation | None) -> None:
    """Tell the worker a case is theirs: whose, from when, by whom and why. The notice names
    the child only by the link (a notice is emailed: no name or detail in the message)."""
    what = "reallocated to you" if previous is not None else "allocated to you"
    body = (
        f"{by} allocated a case to you in {allocation.team} from {allocation.start_date:%d %B %Y}."
    )
    if allocation.reason:
        body += " The reason is on the case's allocation history."
    notify(
        users=[allocation.worker],
        subject=f"A case has been {what}",
        body=body,
        url=reverse("casework:case-detail", args=[allocation.case_id]),
    )


@transaction.atomic
def unallocated_review_record(
    *, by, case: Case, review_date: date, decision: str
) -> UnallocatedReview:
    """A manager's review of a case nobody holds, with their decision (keep it waiting, with
    what is to happen meanwhile; allocate it; close it): due every
    ``unallocated_review_wd`` working days while it waits (the ``unallocated_review``
    timescale, which this restarts). Only for a case open and unallocated on the day."""
    require(by, Action.AUTHORISE, case)
    check_step_date(case, review_date, label="date of the review", field="review_date")
    if case.referral_nfa:
        raise ApplicationError("The referral was closed with no further action")
    if not decision.strip():
        raise ApplicationError("Enter the decision on the case", field="decision")
    held = case.allocations.filter(DatedSpan.open_on(review_date))
    if held.exists():
        raise ApplicationError(
            f"The case was allocated on {review_date:%d %B %Y}: only a case nobody holds is "
            "reviewed here",
            field="review_date",
        )
    review = UnallocatedReview(
        case=case, review_date=review_date, decision=decision.strip(), reviewed_by=by
    )
    save_new(review, by=by, person_id=case.child_id)
    return review


# --- Visits, notes, decisions ------------------------------------------------------------------


@transaction.atomic
def visit_record(
    *,
    by,
    case: Case,
    kind: str,
    visit_date: date,
    child_seen: bool,
    child_seen_alone: bool = False,
    bedroom_seen: bool = False,
    notes: str = "",
    worker=None,
    present: str = "",
    announced: str = "",
    seen_alone_where: str = "",
    observations: str = "",
    child_views: str = "",
    analysis: str = "",
) -> Visit:
    require(by, Action.RECORD, case)
    check_step_date(case, visit_date, label="visit date", field="visit_date")
    if child_seen_alone and not child_seen:
        raise ApplicationError(
            "A child seen alone must also be recorded as seen", field="child_seen"
        )
    if seen_alone_where.strip() and not child_seen_alone:
        raise ApplicationError(
            "Say where the child was seen alone only if they were seen alone",
            field="seen_alone_where",
        )
    if child_views.strip() and not child_seen:
        raise ApplicationError(
            "The child's views in their own words need the child to have been seen",
            field="child_views",
        )
    visit = Visit(
        case=case,
        kind=kind,
        visit_date=visit_date,
        worker=worker or by,
        child_seen=child_seen,
        child_seen_alone=child_seen_alone,
        bedroom_seen=bedroom_seen,
        notes=notes,
        present=present.strip(),
        announced=announced,
        seen_alone_where=seen_alone_where.strip(),
        observations=observations.strip(),
        child_views=child_views.strip(),
        analysis=analysis.strip(),
    )
    save_new(visit, by=by, person_id=case.child_id)
    tell_case_holder(
        case,
        by=by,
        subject="A visit was recorded on a child you hold",
        body=f"{by} recorded a visit on {visit_date:%d %B %Y} on a case you hold.",
    )
    return visit


@transaction.atomic
def direct_work_record(
    *,
    by,
    case: Case,
    work_date: date,
    where: str,
    purpose: str,
    child_views: str,
    analysis: str = "",
    worker=None,
) -> DirectWork:
    """Record a session of direct work with the child (decision 0036)."""
    require(by, Action.RECORD, case)
    check_step_date(case, work_date, label="date of the direct work", field="work_date")
    for field, value, message in (
        ("where", where, "Say where the session took place"),
        ("purpose", purpose, "Say what the session was for and how it was done"),
        ("child_views", child_views, "Write the child's views in their own words"),
    ):
        if not value.strip():
            raise ApplicationError(message, field=field)
    work = DirectWork(
        case=case,
        work_date=work_date,
        worker=worker or by,
        where=where.strip(),
        purpose=purpose.strip(),
        child_views=child_views.strip(),
        analysis=analysis.strip(),
    )
    save_new(work, by=by, person_id=case.child_id)
    tell_case_holder(
        case,
        by=by,
        subject="Direct work was recorded with a child you hold",
        body=f"{by} recorded direct work of {work_date:%d %B %Y} with a child on a case you hold.",
    )
    return work


@transaction.atomic
def case_note_add(
    *, by, case: Case, note_date: date, subject: str, text: str, significant: bool = False
) -> CaseNote:
    require(by, Action.RECORD, case)
    check_step_date(case, note_date, label="date of the note", field="note_date")
    if not subject.strip():
        raise ApplicationError("Enter a subject", field="subject")
    if not text.strip():
        raise ApplicationError("Enter the note", field="text")
    note = CaseNote(
        case=case, note_date=note_date, subject=subject.strip(), text=text, significant=significant
    )
    save_new(note, by=by, person_id=case.child_id)
    tell_case_holder(
        case,
        by=by,
        subject="A case note was added on a child you hold",
        body=f"{by} added a case note dated {note_date:%d %B %Y} on a case you hold.",
    )
    if significant:
        chronology_add(
            by=by,
            child=case.child,
            case=case,
            event_date=note_date,
            what=subject.strip(),
            source_agency=agency_name(by),
            source=note,
        )
    return note


@transaction.atomic
def decision_record(
    *, by, case: Case, decision_date: date, decision: str, rationale: str = ""
) -> ManagementDecision:
    """A manager's decision, written on the child's file and the chronology."""
    require(by, Action.AUTHORISE, case)
    check_step_date(case, decision_date, label="date of the decision", field="decision_date")
    if not decision.strip():
        raise ApplicationError("Enter the decision", field="decision")
    item = ManagementDecision(
        case=case,
        decision_date=decision_date,
        decision=decision.strip(),
        rationale=rationale,
        decided_by=by,
    )
    save_new(item, by=by, person_id=case.child_id)
    chronology_add(
        by=by,
        child=case.child,
        case=case,
        event_date=decision_date,
        what=f"Management decision by {by}: {decision.strip()[:300]}",
        source_agency=agency_name(by),
        source=item,
    )
    return item


def agency_name(user) -> str:
    return user.agency.name if user.agency_id else ""


# --- Child in need plans ------------------------------------------------------------------------


@transaction.atomic
def cin_plan_start(*, by, case: Case, start_date: date, summary: str = "") -> CINPlan:
    require(by, Action.RECORD, case)
    check_step_date(case, start_date, label="plan start date", field="start_date")
    if case.cin_plans.filter(end_date__isnull=True).exists():
        raise ApplicationError("The child already has an open child in need plan")
    if case.cin_plans.filter(end_date__gt=start_date).exists():
        raise ApplicationError(
            "The start date falls inside an earlier child in need plan", field="start_date"
        )
    # A child is on a child protection plan or a child in need plan, never both (the CIN
    # census refuses overlapping plans). The reverse relation names the protection app's
    # plans without importing it.
    cp_open = case.cp_plans.filter(DatedSpan.open_on(start_date))
    if cp_open.exists():
        raise ApplicationError(
            "The child is on a child protection plan: a child in need plan can start only when "
            "a review conference ends it",
            field="start_date",
        )
    plan = CINPlan(case=case, start_date=start_date, summary=summary)
    save_new(plan, by=by, person_id=case.child_id)
    chronology_add(
        by=by,
        child=case.child,
        case=case,
        event_date=start_date,
        what="Child in need plan started",
        source_agency=agency_name(by),
        source=plan,
    )
    return plan


@transaction.atomic
def cin_plan_review_record(
    *, by, plan: CINPlan, review_date: date, outcome: str = ""
) -> CINPlanReview:
    require(by, Action.RECORD, plan.case)
    check_step_date(plan.case, review_date, label="review date", field="review_date")
    if review_date < plan.start_date:
        raise ApplicationError("The review cannot be before the plan started", field="review_date")
    if plan.end_date is not None and review_date > plan.end_date:
        raise ApplicationError("The plan had ended by then", field="review_date")
    review = CINPlanReview(plan=plan, review_date=review_date, outcome=outcome)
    save_new(review, by=by, person_id=plan.case.child_id)
    return review


@transaction.atomic
def cin_plan_write(
    *,
    by,
    plan: CINPlan,
    outcomes: str,
    contingency: str,
    version: int | None = None,
) -> CINPlan:
    """Write the child in need plan's outcomes and its contingency plan (decision 0068), as
    ``protection.services.plan_write`` does a child protection plan's."""
    require(by, Action.RECORD, plan.case)
    expect_version(plan, version)
    if plan.end_date is not None:
        raise ApplicationError("The plan has ended: it can no longer be changed")
    outcomes, contingency = outcomes.strip(), contingency.strip()
    if not outcomes:
        raise ApplicationError("Write the outcomes the plan is for", field="outcomes")
    if not contingency:
        raise ApplicationError("Write the contingency plan", field="contingency")
    before = snapshot(plan)
    plan.outcomes, plan.contingency = outcomes, contingency
    save_change(plan, by=by, before=before, person_id=plan.case.child_id)
    return plan


@transaction.atomic
def cin_plan_end(*, by, plan: CINPlan, end_date: date, version: int | None = None) -> CINPlan:
    require(by, Action.RECORD, plan.case)
    expect_version(plan, version)
    check_step_date(plan.case, end_date, label="plan end date", field="end_date")
    if plan.end_date is not None:
        raise ApplicationError("The plan has already ended")
    if end_date < plan.start_date:
        raise ApplicationError("The plan cannot end before it started", field="end_date")
    before = snapshot(plan)
    plan.end_date = end_date
    save_change(plan, by=by, before=before, verb=ChangeVerb.ENDED, person_id=plan.case.child_id)
    chronology_add(
        by=by,
        child=plan.case.child,
        case=plan.case,
        event_date=end_date,
        what="Child in need plan ended",
        source_agency=agency_name(by),
        source=EndMarker(plan),
    )
    return plan


# --- Periods of care (looked after, decision 0076) ---------------------------------------------


@transaction.atomic
def looked_after_start(*, by, case: Case, start_date: date, legal_status: str) -> LookedAfterPeriod:
    """The child became looked after on ``start_date`` under ``legal_status`` (an SSDA903
    code). Refused if the date is not a step date of the case (``check_step_date``), or if
    it falls inside, or before the end of, another period of care of the child on any of
    their cases: a child's periods never overlap."""
    require(by, Action.RECORD, case)
    check_step_date(
        case, start_date, label="date the child became looked after", field="start_date"
    )
    if legal_status not in LegalStatus.values:
        raise ApplicationError("Choose the legal status", field="legal_status")
    # The child's cases are locked so that two starts for one child cannot both pass the
    # overlap check (a period may be on any of the child's cases).
    list(Case.objects.select_for_update().filter(child_id=case.child_id).values_list("pk"))
    periods = LookedAfterPeriod.objects.filter(case__child_id=case.child_id)
    if periods.filter(end_date__isnull=True).exists():
        raise ApplicationError("The child is already looked after: end that period first")
    if periods.filter(end_date__gt=start_date).exists():
        raise ApplicationError(
            "The start date falls inside an earlier period of care", field="start_date"
        )
    period = LookedAfterPeriod(case=case, start_date=start_date, legal_status=legal_status)
    save_new(period, by=by, person_id=case.child_id)
    chronology_add(
        by=by,
        child=case.child,
        case=case,
        event_date=start_date,
        what=f"Became looked after ({legal_status}: {LegalStatus(legal_status).label})",
        source_agency=agency_name(by),
        source=period,
    )
    return period


@transaction.atomic
def looked_after_end(
    *, by, period: LookedAfterPeriod, end_date: date, reason: str, version: int | None = None
) -> LookedAfterPeriod:
    """The period of care ceased on ``end_date``, for ``reason`` (free text)."""
    require(by, Action.RECORD, period.case)
    expect_version(period, version)
    check_step_date(period.case, end_date, label="date the period of care ended", field="end_date")
    if period.end_date is not None:
        raise ApplicationError("The period of care has already ended")
    if end_date < period.start_date:
        raise ApplicationError("The period of care cannot end before it started", field="end_date")
    reason = reason.strip()
    if not reason:
        raise ApplicationError("Enter why the period of care ended", field="reason")
    limit = LookedAfterPeriod._meta.get_field("reason_ended").max_length
    if len(reason) > limit:
        raise ApplicationError(f"The reason must be {limit} characters or fewer", field="reason")
    before = snapshot(period)
    period.end_date, period.reason_ended = end_date, reason
    save_change(period, by=by, before=before, verb=ChangeVerb.ENDED, person_id=period.case.child_id)
    words = f"Stopped being looked after: {reason}"
    what_limit = ChronologyEntry._meta.get_field("what").max_length
    chronology_add(
        by=by,
        child=period.case.child,
        case=period.case,
        event_date=end_date,
        what=words if len(words) <= what_limit else words[: what_limit - 1] + "…",
        source_agency=agency_name(by),
        source=EndMarker(period),
    )
    return period


class EndMarker:
    """Lets an ending have its own chronology entry, apart from the start's."""

    def __init__(self, obj):
        self.pk = f"{obj.pk}:end"
        self._meta = obj._meta


# --- Closure ---------------------------------------------------------------------------------

# Higher apps (assessments, protection) register checks that say what is still open on a
# case; casework cannot import them, so they plug in here from their AppConfig.ready().
OpenWorkCheck = Callable[[Case, date], list[str]]
_OPEN_WORK_CHECKS: list[OpenWorkCheck] = []
_ASSESSED_CHECKS: list[Callable[[Case], bool]] = []
_LATEST_STEP_DATES: list[Callable[[Case], date | None]] = []


def register_open_work_check(check: OpenWorkCheck) -> None:
    if check not in _OPEN_WORK_CHECKS:
        _OPEN_WORK_CHECKS.append(check)


def register_assessed_check(check: Callable[[Case], bool]) -> None:
    if check not in _ASSESSED_CHECKS:
        _ASSESSED_CHECKS.append(check)


def register_latest_step_date(getter: Callable[[Case], date | None]) -> None:
    if getter not in _LATEST_STEP_DATES:
        _LATEST_STEP_DATES.append(getter)


def open_work(case: Case, on: date) -> list[str]:
    """What is still open on the case on ``on``: each item a sentence for the user."""
    reasons = []
    if (
        case.cin_plans.filter(end_date__isnull=True).exists()
        or case.cin_plans.filter(end_date__gt=on).exists()
    ):
        reasons.append("the child in need plan is still open")
    for check in _OPEN_WORK_CHECKS:
        reasons.extend(check(case, on))
    return reasons


def latest_step_date(case: Case) -> date:
    dates = [case.referral_date]
    for qs, field in (
        (case.visits, "visit_date"),
        (case.notes, "note_date"),
        (case.decisions, "decision_date"),
        (case.cin_plans, "start_date"),
    ):
        last = qs.order_by(f"-{field}").values_list(field, flat=True).first()
        if last:
            dates.append(last)
    dates.extend(d for getter in _LATEST_STEP_DATES if (d := getter(case)) is not None)
    return max(dates)


def _check_closure(case: Case, closure_date: date, reason: str) -> None:
    """The rules a closure meets when it is asked for and again when it is authorised."""
    if case.closure_date is not None:
        raise ApplicationError(f"The case was already closed on {case.closure_date:%d %B %Y}")
    check_step_date(case, closure_date, label="closure date", field="closure_date")
    if reason not in ClosureReason.values:
        raise ApplicationError("Choose the reason for closure (RC1 to RC9)", field="reason")
    still_open = open_work(case, closure_date)
    if still_open:
        raise ApplicationError("The case cannot be closed: " + "; ".join(still_open))
    last = latest_step_date(case)
    if closure_date < last:
        raise ApplicationError(
            f"The closure date cannot be before the last recorded step ({last:%d %B %Y})",
            field="closure_date",
        )
    if reason in AFTER_ASSESSMENT_REASONS and not any(check(case) for check in _ASSESSED_CHECKS):
        raise ApplicationError(
            f"{reason} is for cases closed after an assessment: "
            "this case has no completed assessment",
            field="reason",
        )


@transaction.atomic
def case_close(
    *, by, case: Case, closure_date: date, reason: str, version: int | None = None
) -> Case | AuthorisationRequest:
    """Ask to close the episode with a census reason, once nothing is left open on it. Where
    the authority has closure among its decisions needing authorisation (the default), this
    asks the case's line manager (``authorisation_request``) and the case stays open until
    they authorise it; otherwise the case closes now. Returns the request or the case."""
    require(by, Action.RECORD, case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    expect_version(case, version)
    _check_closure(case, closure_date, reason)
    kind = closure_kind(case.authority, reason)
    if kind is not None:
        return authorisation_request(
            by=by,
            case=case,
            kind=kind,
            summary=f"Closure on {closure_date:%d %B %Y}: {ClosureReason(reason).label} ({reason})",
            payload={"closure_date": closure_date.isoformat(), "reason": reason},
        )
    return _close(by=by, case=case, closure_date=closure_date, reason=reason)


def closure_kind(authority, reason: str) -> str | None:
    """Which decision right a closure for ``reason`` is, or None when the authority lets it
    close at once: a closure referring the family to early help (RC9) is the step-down to
    early help (issue 15 item 2); either right asks the manager when the authority has it on."""
    kinds = [STEP_DOWN] if reason == ClosureReason.RC9 else []
    kinds.append(CASE_CLOSURE)
    return next((k for k in kinds if needs_authorisation(authority, k)), None)


def _close_authorised(*, by, request: AuthorisationRequest) -> None:
    """Apply an authorised closure: the rules again, as things stand now."""
    case = Case.objects.select_for_update().get(pk=request.case_id)
    closure_date = date.fromisoformat(request.payload["closure_date"])
    reason = request.payload["reason"]
    _check_closure(case, closure_date, reason)
    _close(by=by, case=case, closure_date=closure_date, reason=reason)


def _close(*, by, case: Case, closure_date: date, reason: str) -> Case:
    before = snapshot(case)
    case.closure_date, case.closure_reason = closure_date, reason
    save_change(case, by=by, before=before, verb=ChangeVerb.ENDED, person_id=case.child_id)
    for allocation in case.allocations.filter(end_date__isnull=True):
        a_before = snapshot(allocation)
        allocation.end_date = closure_date
        save_change(
            allocation, by=by, before=a_before, verb=ChangeVerb.ENDED, person_id=case.child_id
        )
    # Only involvements that had begun by the closure end with it.
    for inv in Involvement.objects.filter(
        person=case.child, role=ALLOCATED_ROLE, end_date__isnull=True, start_date__lte=closure_date
    ):
        i_before = snapshot(inv)
        inv.end_date = closure_date
        save_change(inv, by=by, before=i_before, verb=ChangeVerb.ENDED, person_id=case.child_id)
    chronology_add(
        by=by,
        child=case.child,
        case=case,
        event_date=closure_date,
        what=f"Case closed: {ClosureReason(reason).label} ({reason})",
        source_agency=agency_name(by),
        source=EndMarker(case),
    )
    return case


# --- Cover: absences and the duty rota (decision 0044) ----------------------------------------

# How far from today an absence or a duty spell may be recorded, and how long a duty spell
# may run: wider dates are a typing slip (a year for 2 digits), not a plan.
COVER_WINDOW_DAYS = 366
DUTY_MAX_DAYS = 92


def _cover_member(team, worker) -> None:
    if (
        worker is None
        or not worker.is_active
        or worker.role not in RECORDING_ROLES
        or not worker.teams.filter(pk=team.pk).exists()
    ):
        raise ApplicationError(f"Choose a member of {team.name}", field="worker")


def _cover_dates(start_date, last_day, *, last_required: bool) -> date | None:
    """Check the first and last day (both within ``COVER_WINDOW_DAYS`` of today, in order)
    and return the span's end: the day after the last (``DatedSpan``: the first day it is no
    longer open)."""
    today = timezone.localdate()
    window = timedelta(days=COVER_WINDOW_DAYS)
    if start_date is None:
        raise ApplicationError("Enter the first day", field="start_date")
    if not today - window <= start_date <= today + window:
        raise ApplicationError("The first day must be within a year of today", field="start_date")
    if last_day is None:
        if last_required:
            raise ApplicationError("Enter the last day", field="last_day")
        return None
    if last_day < start_date:
        raise ApplicationError("The last day cannot be before the first", field="last_day")
    if last_day > start_date + window:
        raise ApplicationError("The last day must be within a year of the first", field="last_day")
    return last_day + timedelta(days=1)


def _overlaps(spans, start_date: date, end_date: date | None):
    """The spans of ``spans`` that share a day with ``start_date`` to ``end_date``."""
    spans = spans.filter(DatedSpan.open_on(start_date) | Q(start_date__gte=start_date))
    if end_date is not None:
        spans = spans.filter(start_date__lt=end_date)
    return spans


@transaction.atomic
def absence_record(
    *, by, team, worker, kind: str, start_date: date, last_day: date | None = None
) -> Absence:
    """Record that ``worker`` (a member of ``team``) is away from ``start_date`` to
    ``last_day`` (empty: not known yet), by their manager, or by the worker for their own
    planned leave (``permissions.may_record_absence``)."""
    if kind not in AbsenceKind.values:
        raise ApplicationError("Choose the kind of absence", field="kind")
    _cover_member(team, worker)
    if not permissions.may_record_absence(by, worker, kind, team):
        if worker.pk == by.pk:
            raise ApplicationError(
                "You record your own annual leave and training; your manager records other "
                "absences",
                field="kind",
            )
        raise PermissionDenied("Only their manager records another worker's absence")
    end_date = _cover_dates(start_date, last_day, last_required=False)
    if _overlaps(Absence.objects.filter(worker=worker), start_date, end_date).exists():
        raise ApplicationError(
            f"{worker} already has an absence recorded on some of these days", field="start_date"
        )
    absence = Absence(worker=worker, kind=kind, start_date=start_date, end_date=end_date)
    save_new(absence, by=by)
    return absence


@transaction.atomic
def absence_end(*, by, team, absence: Absence, last_day: date) -> Absence:
    """Set or change the last day of ``absence`` (a worker back from sickness, or leave cut
    short): by whoever may record such an absence."""
    worker = absence.worker
    if not permissions.may_record_absence(by, worker, absence.kind, team):
        raise PermissionDenied("Only their manager changes another worker's absence")
    end_date = _cover_dates(absence.start_date, last_day, last_required=True)
    others = Absence.objects.filter(worker=worker).exclude(pk=absence.pk)
    if _overlaps(others, absence.start_date, end_date).exists():
        raise ApplicationError(
            f"{worker} has another absence recorded on some of these days", field="last_day"
        )
    before = snapshot(absence)
    absence.end_date = end_date
    save_change(absence, by=by, before=before)
    return absence


@transaction.atomic
def duty_set(*, by, team, worker, start_date: date, last_day: date) -> DutySpell:
    """Put ``worker`` (a member of ``team`` who holds cases) on duty for ``team`` from
    ``start_date`` to ``last_day``: by the team's manager (or a manager above it). More than
    one worker may be on duty on a day; the same worker is not put on twice."""
    if not permissions.can(by, Action.SET_DUTY, team):
        raise PermissionDenied("Only the team's manager sets its duty rota")
    _cover_member(team, worker)
    end_date = _cover_dates(start_date, last_day, last_required=True)
    if (end_date - start_date).days > DUTY_MAX_DAYS:
        raise ApplicationError(
            f"A duty spell is at most {DUTY_MAX_DAYS} days: add the rest as another",
            field="last_day",
        )
    spells = DutySpell.objects.filter(team=team, worker=worker)
    if _overlaps(spells, start_date, end_date).exists():
        raise ApplicationError(
            f"{worker} is already on duty for {team.name} on some of these days",
            field="start_date",
        )
    spell = DutySpell(team=team, worker=worker, start_date=start_date, end_date=end_date)
    save_new(spell, by=by)
    return spell


# --- Decision rights (issue 15 item 2, decision 0041) ----------------------------------------

# The app that makes a decision registers its kind with what applies it once authorised:
# casework its closures (below), referrals no further action, earlyhelp step-down, protection
# the conclusion of a section 47 enquiry, each from its AppConfig.ready(). An authority lists
# the kinds it wants authorised (``LocalAuthority.decisions_needing_authorisation``).
CASE_CLOSURE = "case_closure"
# A closure that refers the family to early help (RC9): the step-down to early help.
STEP_DOWN = "step_down"


@dataclass(frozen=True)
class DecisionRight:
    kind: str
    label: str
    # apply(by=manager, request=AuthorisationRequest), in the transaction; None for a right
    # whose decision is its app's own record (an assessment's outcome, decision 0035).
    apply: Callable | None


_DECISION_RIGHTS: dict[str, DecisionRight] = {}


def register_decision_right(kind: str, *, label: str, apply: Callable | None) -> None:
    _DECISION_RIGHTS[kind] = DecisionRight(kind=kind, label=label, apply=apply)


def decision_rights() -> dict[str, DecisionRight]:
    """Every kind of decision an authority may ask to be authorised, by kind."""
    return dict(_DECISION_RIGHTS)


def decision_right_label(kind: str) -> str:
    right = _DECISION_RIGHTS.get(kind)
    return right.label if right is not None else kind.replace("_", " ").capitalize()


def needs_authorisation(authority, kind: str) -> bool:
    """Does ``authority`` want the case's line manager to authorise decisions of ``kind``?"""
    return kind in (authority.decisions_needing_authorisation or [])


@transaction.atomic
def authorisation_settings_update(*, by, authority, kinds: list[str]):
    """Set which decisions need a manager's authorisation in ``authority``: a service manager
    of the authority chooses among the registered kinds."""
    from safeguard.accounts.models import LocalAuthority

    if not permissions.can(by, Action.SET_AUTHORISATION_RULES, authority_id=authority.pk):
        raise PermissionDenied("Only a service manager sets which decisions need authorisation")
    unknown = sorted(set(kinds) - set(_DECISION_RIGHTS) - set(DEFAULT_AUTHORISED_DECISIONS))
    if unknown:
        raise ApplicationError(
            "Choose decisions from the list: " + ", ".join(unknown) + " is not one",
            field="kinds",
        )
    authority = LocalAuthority.objects.select_for_update().get(pk=authority.pk)
    before = snapshot(authority)
    authority.decisions_needing_authorisation = list(dict.fromkeys(kinds))
    if snapshot(authority) != before:
        authority.save(update_fields=["decisions_needing_authorisation"])
        record_change(by=by, verb=ChangeVerb.UPDATED, obj=authority, before=before)
    return authority


def authorisation_request(
    *, by, case: Case, kind: str, summary: str, payload: dict, reasons: str = "", authors=()
) -> AuthorisationRequest:
    """Ask the case's line manager to authorise a decision of ``kind``; called by the
    decision's own service (in its transaction) once its rules are met. ``authors`` are
    others whose work it is (besides ``by``): none of them may authorise it. The manager who
    will decide is told."""
    require(by, Action.RECORD, case)
    if kind not in _DECISION_RIGHTS or _DECISION_RIGHTS[kind].apply is None:
        raise ApplicationError(f"{kind} is not a decision that can be asked for")
    if case.authorisation_requests.filter(kind=kind, status=AuthorisationStatus.PENDING).exists():
        raise ApplicationError(
            f"{decision_right_label(kind)} is already waiting for a manager's authorisation"
        )
    allocated = allocated_worker_id(case)
    excluded = {by.pk, *authors} | ({allocated} if allocated else set())
    request = AuthorisationRequest(
        case=case,
        child=case.child,
        authority_id=case.authority_id,
        kind=kind,
        summary=summary[:500],
        reasons=reasons.strip(),
        payload={**payload, "authors": sorted(excluded - {by.pk})},
        requested_by=by,
        requested_at=timezone.now(),
    )
    save_new(request, by=by, person_id=case.child_id)
    manager = _authoriser(request)
    if manager is not None:
        notify(
            users=[manager],
            subject=f"{decision_right_label(kind)} waits for your authorisation",
            body=f"{by} asks you to authorise: {request.summary}.",
            url=reverse("casework:authorisation", args=[request.pk]),
        )
    return request


def allocated_worker_id(case: Case):
    return (
        case.allocations.filter(end_date__isnull=True)
        .order_by("-start_date")
        .values_list("worker_id", flat=True)
        .first()
    )


def _authoriser(request: AuthorisationRequest):
    from safeguard.casework.selectors import case_authoriser

    return case_authoriser(request.case, excluded=request.excluded_ids())


def check_authoriser(user, case: Case, *, excluded, label: str) -> None:
    """Refuse ``user`` unless they are the one who may authorise a decision on ``case``: the
    case's line manager, or the next manager up when the line manager asked for it or it is
    their work; any manager of the authority only where the line names nobody who may.
    Nobody authorises their own work."""
    from safeguard.casework.selectors import case_authoriser

    require(user, Action.AUTHORISE, case)
    if user.pk in excluded:
        raise ApplicationError(
            f"You asked for this {label.lower()} or it is your own work, so you cannot "
            "authorise it: it goes to the next manager up"
        )
    right = case_authoriser(case, excluded=excluded)
    if right is not None and right.pk != user.pk:
        raise ApplicationError(
            f"Only {right}, the manager of this case, can authorise this {label.lower()}"
        )


@transaction.atomic
def authorisation_decide(
    *,
    by,
    request: AuthorisationRequest,
    authorise: bool,
    reason: str = "",
    version: int | None = None,
) -> AuthorisationRequest:
    """The manager's answer to a request: authorise it (the decision takes effect now, through
    its kind's hook) or refuse it with reasons (nothing else changes). Either way the decision
    is written on the child's file as a management decision with its chronology entry, and
    whoever asked is told."""
    request = AuthorisationRequest.objects.select_for_update().get(pk=request.pk)
    expect_version(request, version)
    label = decision_right_label(request.kind)
    check_authoriser(by, request.case, excluded=request.excluded_ids(), label=label)
    if not request.is_pending:
        raise ApplicationError(
            f"This request was already {request.get_status_display().lower()} "
            f"by {request.decided_by}"
        )
    reason = reason.strip()
    if not authorise and not reason:
        raise ApplicationError(
            "Give your reasons for refusing, so the worker knows what to do next", field="reason"
        )
    if authorise:
        _DECISION_RIGHTS[request.kind].apply(by=by, request=request)
    before = snapshot(request)
    request.status = AuthorisationStatus.AUTHORISED if authorise else AuthorisationStatus.REFUSED
    request.decided_by, request.decided_at = by, timezone.now()
    request.decision_reason = reason
    save_change(request, by=by, before=before, person_id=request.child_id)
    verb = "authorised" if authorise else "refused"
    case = Case.objects.get(pk=request.case_id)
    today = timezone.localdate()
    decision = ManagementDecision(
        case=case,
        decision_date=today,
        decision=f"{label} {verb}: {request.summary} (asked by {request.requested_by})",
        rationale=reason,
        decided_by=by,
    )
    save_new(decision, by=by, person_id=case.child_id)
    chronology_add(
        by=by,
        child=case.child,
        case=case,
        event_date=today,
        what=f"Management decision by {by}: {label.lower()} {verb}"[:500],
        source_agency=agency_name(by),
        outcome=reason,
        source=decision,
    )
    notify(
        users=[request.requested_by],
        subject=f"{label} {verb}",
        body=f"{by} {verb} your request: {request.summary}."
        + (f" Reasons: {reason}" if reason else ""),
        url=reverse("casework:authorisation", args=[request.pk]),
    )
    return request


register_decision_right(CASE_CLOSURE, label="Case closure", apply=_close_authorised)
register_decision_right(STEP_DOWN, label="Step-down to early help", apply=_close_authorised)
# --- The case summary (issue 16 item 4, decision 0048) ----------------------------------------

CASE_SUMMARY_FIELDS = ("worries", "working_well", "next_steps", "risk_statement")


@transaction.atomic
def case_summary_save(
    *,
    by,
    case: Case,
    worries: str,
    working_well: str,
    next_steps: str,
    risk_statement: str,
    based_on: int | None = None,
) -> CaseSummary:
    """Save a new version of the case summary. ``based_on``: the version the writer was
    shown (None for the first): if another was saved since, the save is refused, so that
    nobody writes over a colleague's version unseen. A version the same as the current one
    is refused too: there is nothing to keep."""
    require(by, Action.RECORD, case)
    if not case.is_open:
        raise ApplicationError("The case is closed: its summary is kept as it was at closure")
    # One writer at a time on this case's summary: the case row is locked.
    Case.objects.select_for_update().filter(pk=case.pk).first()
    text = {
        "worries": worries.strip(),
        "working_well": working_well.strip(),
        "next_steps": next_steps.strip(),
        "risk_statement": risk_statement.strip(),
    }
    for field, message in (
        ("worries", "Enter what we are worried about"),
        ("working_well", "Enter what is working well"),
        ("next_steps", "Enter what needs to happen"),
        ("risk_statement", "Enter the risk statement"),
    ):
        if not text[field]:
            raise ApplicationError(message, field=field)
    current = CaseSummary.objects.filter(case=case).order_by("-number").first()
    current_number = current.number if current else None
    if based_on != current_number:
        raise ApplicationError(
            "Someone else saved a new version of the summary while you were writing: "
            "read it, then make your changes again"
        )
    if current is not None and all(getattr(current, f) == text[f] for f in text):
        raise ApplicationError("Nothing has changed: change the summary before saving it")
    summary = CaseSummary(case=case, number=(current_number or 0) + 1, **text)
    save_new(summary, by=by, person_id=case.child_id)
    return summary


# --- Household changes on the chronology (issue 16 item 6, decision 0048) ---------------------

HOUSEHOLD_SOURCE = "people.household"


def household_change_recorded(sender, *, residence, change: str, on: date, by, **kwargs) -> None:
    """``people.signals.household_changed``: someone joined or left a household. Each child
    of that household on the day (and the person who moved, if a child) gets the change on
    their chronology, in the transaction of the change. The mover is named on another child's
    entry (``names``) with the words shown instead to a reader the mover's seal keeps out: the
    seal is asked when the entry is read, so one placed later closes the name too (decision
    0067)."""
    address, mover = residence.address, residence.person
    living = [
        r.person
        for r in Residence.objects.filter(Residence.open_on(on), address=address).select_related(
            "person"
        )
    ]
    children = {p.pk: p for p in [mover, *living] if p.is_child_on(on)}
    if not children:
        return
    open_cases = {
        c.child_id: c for c in Case.objects.filter(child_id__in=children, closure_date__isnull=True)
    }
    for child in children.values():
        names, restricted = None, ""
        if child.pk == mover.pk:
            what = f"Moved to {address}" if change == JOINED else f"Moved out of {address}"
        else:
            verb = "joined" if change == JOINED else "left"
            what = f"{mover.full_name} {verb} the household at {address}"
            names = mover
            restricted = f"Someone with a restricted record {verb} the household at {address}"
        source_id = sha256(f"{residence.pk}:{change}:{child.pk}".encode()).hexdigest()[:40]
        if ChronologyEntry.objects.filter(
            source_type=HOUSEHOLD_SOURCE, source_id=source_id
        ).exists():
            continue
        entry = ChronologyEntry(
            child=child,
            case=open_cases.get(child.pk),
            event_date=on,
            what=what[:500],
            source_agency="",
            source_type=HOUSEHOLD_SOURCE,
            source_id=source_id,
            names=names,
            what_restricted=restricted[:500],
        )
        save_new(entry, by=by, person_id=child.pk)
