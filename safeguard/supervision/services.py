"""Recording supervision: a session with the cases discussed, the decisions made on them
(each written on the child's file as a management decision, with its chronology entry,
through ``casework.services.decision_record``) and the actions agreed; the supervisee's
signature; actions marked done; a worker's frequency and the authority's case frequencies.

Every service takes ``by=``, runs in one transaction, refuses bad input with an
``ApplicationError`` (nothing is stored) and writes its change events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from safeguard.accounts.models import LocalAuthority, User
from safeguard.audit.models import ChangeVerb
from safeguard.audit.services import record_change, save_change, save_new, snapshot
from safeguard.casework import permissions as casework_permissions
from safeguard.casework.models import Case
from safeguard.casework.services import check_date, decision_record
from safeguard.core.concurrency import expect_version
from safeguard.core.errors import ApplicationError
from safeguard.supervision import permissions
from safeguard.supervision.models import (
    WORKER_INTERVALS,
    CaseDiscussion,
    CaseStageFrequency,
    Interval,
    Session,
    SessionAction,
    SessionDecision,
    WorkerFrequency,
)
from safeguard.supervision.permissions import Action
from safeguard.supervision.selectors import CASE_STAGE_DEFAULTS, cases_held

# Sessions last at least 90 minutes by the employer standard (domain.md §6); a shorter one is
# still recorded (it happened) and shown as shorter. Longer than a working day is a mistake.
MAX_MINUTES = 8 * 60


@dataclass
class DiscussionInput:
    """A case discussed: the reflection, an optional decision with its rationale, and an
    optional action with its owner and due date."""

    case: Case
    reflection: str
    decision: str = ""
    rationale: str = ""
    action: str = ""
    action_owner: User | None = None
    action_due: date | None = None


@dataclass
class ActionInput:
    action: str
    owner: User
    due_date: date


def _check_action(text: str, owner, due: date | None, session_date: date, where: str) -> None:
    if owner is None:
        raise ApplicationError(f"Choose who owns the action on {where}")
    if due is None:
        raise ApplicationError(f"Enter the due date of the action on {where}")
    if due < session_date:
        raise ApplicationError(f"The action on {where} cannot be due before the session")


@transaction.atomic
def session_record(
    *,
    by: User,
    supervisee: User,
    session_date: date,
    duration_minutes: int,
    wellbeing: str = "",
    discussions: list[DiscussionInput] = (),
    actions: list[ActionInput] = (),
    done: list[SessionAction] = (),
) -> Session:
    """Record a session held by ``by`` with ``supervisee``, signed by ``by``.

    ``by`` must be in the supervisee's management line and not the supervisee. Each
    discussed case must have been allocated to the supervisee between the session and today;
    each decision needs its rationale and is written on the child's file (management
    oversight) with its chronology entry. ``done``: open actions of earlier sessions with
    this supervisee, marked done on the session date."""
    if by.pk == supervisee.pk:
        raise PermissionDenied("Nobody supervises themselves")
    if not permissions.can(by, Action.RECORD, supervisee):
        raise PermissionDenied("Only the worker's line manager records their supervision")
    check_date(session_date, label="date of the session", field="session_date")
    if not isinstance(duration_minutes, int) or not 0 < duration_minutes <= MAX_MINUTES:
        raise ApplicationError(
            f"Enter the length of the session in minutes, from 1 to {MAX_MINUTES}",
            field="duration_minutes",
        )
    if not discussions and not wellbeing.strip():
        raise ApplicationError("Record at least one case discussed, or what else was discussed")
    today = timezone.localdate()
    # Only cases the supervisor may see (a sealed child's case is not theirs to discuss).
    held = cases_held(supervisee, start=session_date, end=today).filter(
        pk__in=casework_permissions.visible_to(by).values("pk")
    )
    allowed = {c.pk: c for c in held}
    seen = set()
    for d in discussions:
        where = str(d.case.child) if d.case.pk in allowed else "a case"
        if d.case.pk not in allowed:
            raise ApplicationError(
                "A case discussed must be one you may see, allocated to the worker since the "
                "session"
            )
        if d.case.pk in seen:
            raise ApplicationError(f"The case of {where} is listed twice")
        seen.add(d.case.pk)
        if not d.reflection.strip():
            raise ApplicationError(f"Enter the reflection on the case of {where}")
        if d.decision.strip() and not d.rationale.strip():
            raise ApplicationError(f"Enter the rationale for the decision on {where}")
        if d.action.strip():
            _check_action(d.action, d.action_owner, d.action_due, session_date, where)
    for a in actions:
        if not a.action.strip():
            raise ApplicationError("Enter the action")
        _check_action(a.action, a.owner, a.due_date, session_date, "the session")
    session = Session(
        supervisor=by,
        supervisee=supervisee,
        session_date=session_date,
        duration_minutes=duration_minutes,
        wellbeing=wellbeing.strip(),
        supervisor_signed_at=timezone.now(),
    )
    save_new(session, by=by)
    for d in discussions:
        case = allowed[d.case.pk]
        discussion = CaseDiscussion(session=session, case=case, reflection=d.reflection.strip())
        save_new(discussion, by=by, person_id=case.child_id)
        if d.decision.strip():
            made = decision_record(
                by=by,
                case=case,
                decision_date=session_date,
                decision=d.decision.strip(),
                rationale=f"In supervision with {supervisee}: {d.rationale.strip()}",
            )
            save_new(
                SessionDecision(
                    discussion=discussion,
                    decision=d.decision.strip(),
                    rationale=d.rationale.strip(),
                    management_decision=made,
                ),
                by=by,
                person_id=case.child_id,
            )
        if d.action.strip():
            save_new(
                SessionAction(
                    session=session,
                    discussion=discussion,
                    action=d.action.strip(),
                    owner=d.action_owner,
                    due_date=d.action_due,
                ),
                by=by,
                person_id=case.child_id,
            )
    for a in actions:
        save_new(
            SessionAction(
                session=session, action=a.action.strip(), owner=a.owner, due_date=a.due_date
            ),
            by=by,
        )
    for action in done:
        _mark_done(action, by=by, session=session, supervisee=supervisee, on=session_date)
    return session


def _mark_done(action: SessionAction, *, by, session, supervisee, on: date) -> None:
    if action.session.supervisee_id != supervisee.pk:
        raise ApplicationError("An action marked done must be from this worker's supervision")
    if action.done_on is not None:
        raise ApplicationError("That action is already done")
    before = snapshot(action)
    action.done_on, action.done_in = on, session
    save_change(action, by=by, before=before)


@transaction.atomic
def session_sign(
    *, by: User, session: Session, comment: str = "", version: int | None = None
) -> Session:
    """The supervisee signs the session, with an optional comment. Only the supervisee, and
    once: the supervisor signed by recording it."""
    if not permissions.can(by, Action.SIGN, session):
        raise PermissionDenied("Only the supervisee signs the session, once")
    session = Session.objects.select_for_update().get(pk=session.pk)
    if version is not None:
        expect_version(session, version)
    if session.supervisee_signed_at is not None:
        raise ApplicationError("The session is already signed")
    before = snapshot(session)
    session.supervisee_signed_at = timezone.now()
    session.supervisee_comment = comment.strip()
    save_change(session, by=by, before=before)
    return session


@transaction.atomic
def frequency_set(
    *, by: User, worker: User, start_date: date, interval: str, reason: str
) -> WorkerFrequency:
    """Set ``worker``'s supervision frequency from ``start_date`` (or put them back on the
    standard schedule): their line manager, with a reason."""
    if not permissions.can(by, Action.RECORD, worker):
        raise PermissionDenied("Only the worker's line manager sets their supervision frequency")
    if start_date is None:
        raise ApplicationError("Enter the date the frequency applies from", field="start_date")
    if interval not in dict(WORKER_INTERVALS):
        raise ApplicationError("Choose how often the worker is supervised", field="interval")
    if not reason.strip():
        raise ApplicationError("Enter the reason for the frequency", field="reason")
    setting = WorkerFrequency(
        worker=worker, start_date=start_date, interval=interval, reason=reason.strip()
    )
    save_new(setting, by=by)
    return setting


@transaction.atomic
def case_frequency_set(
    *, by: User | None, authority: LocalAuthority, stage: str, interval: str
) -> CaseStageFrequency:
    """Set how often a case at ``stage`` is discussed in supervision in ``authority`` (an
    authority setting; ``by`` None for the server's operator)."""
    if stage not in CASE_STAGE_DEFAULTS:
        raise ApplicationError(f"Unknown stage: {stage}")
    if interval not in Interval.values:
        raise ApplicationError(f"Unknown interval: {interval}")
    setting = (
        CaseStageFrequency.objects.select_for_update()
        .filter(authority=authority, stage=stage)
        .first()
    )
    if setting is None:
        setting = CaseStageFrequency.objects.create(
            authority=authority, stage=stage, interval=interval
        )
        record_change(by=by, verb=ChangeVerb.CREATED, obj=setting, before=None)
        return setting
    before = snapshot(setting)
    setting.interval = interval
    setting.save()
    record_change(by=by, verb=ChangeVerb.UPDATED, obj=setting, before=before)
    return setting
