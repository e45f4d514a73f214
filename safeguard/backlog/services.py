"""Opening a backlog review exercise, assigning its cases and recording each review
(decision 0045). Each takes ``by``, the acting user, runs in one transaction and writes its
change events through ``audit.services``.

A review's outcomes are made through the services of the app that owns each step, so their
own rules hold (a case with open work cannot close; an allocation needs a worker of the team):

- close: ``casework.services.case_close`` (the census reason the reviewer chose);
- no further action, home visit, strategy discussion, initial conference request, police
  referral: ``casework.services.case_note_add`` as a significant event (so on the child's
  chronology), saying what is to be done, by whom and by when; the task's owner is told
  (``notices.services.notify``);
- allocate: ``casework.services.case_allocate`` (the worker is told by that service).

If any step is refused, nothing of the review is kept.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.roles import RECORDING_ROLES, is_social_care_staff
from safeguard.audit.services import save_change, save_new, snapshot
from safeguard.backlog import permissions, selectors
from safeguard.backlog.models import Exercise, ExerciseCase, Outcome, OutcomeKind, Risk
from safeguard.backlog.permissions import Action
from safeguard.casework import services as casework
from safeguard.casework.codes import ClosureReason
from safeguard.casework.selectors import allocated_worker, team_line_manager
from safeguard.core.errors import ApplicationError
from safeguard.core.workdays import add_working_days
from safeguard.notices.services import notify

# The most cases one exercise may hold (the 2009 task force reviewed about 400).
MAX_CASES = 2_000
# Working days to carry out a task a review sets, by the risk the reviewer rated.
TASK_DAYS = {Risk.HIGH: 1, Risk.MEDIUM: 5, Risk.LOW: 10}
# Outcomes that set work on the case: none of them goes with closing it or with "no further
# action". A police referral goes with anything.
TASKS = {OutcomeKind.HOME_VISIT, OutcomeKind.STRATEGY, OutcomeKind.CONFERENCE, OutcomeKind.ALLOCATE}
TASK_SUBJECTS = {
    OutcomeKind.HOME_VISIT: "Backlog review: home visit to be made by {due:%d %B %Y}",
    OutcomeKind.STRATEGY: "Backlog review: strategy discussion to be held by {due:%d %B %Y}",
    OutcomeKind.CONFERENCE: (
        "Backlog review: initial child protection conference requested by {due:%d %B %Y}"
    ),
}


def _check_reviewers(reviewers, authority_id) -> None:
    if not reviewers:
        raise ApplicationError("Choose at least one reviewer", field="reviewers")
    for reviewer in reviewers:
        if not is_social_care_staff(reviewer, roles=RECORDING_ROLES, authority_id=authority_id):
            raise ApplicationError(
                f"{reviewer} cannot review: choose social workers and managers of the authority",
                field="reviewers",
            )


@transaction.atomic
def exercise_open(
    *,
    by,
    filters: selectors.Filters,
    reviewers: list,
    spread: bool = True,
    today: date | None = None,
) -> Exercise:
    """Open an exercise over the open cases that meet ``filters`` now (the list is frozen:
    cases that meet them later are not added), with ``reviewers``; ``spread`` gives the cases
    out to them in turn, in priority order, so each has as many as the others (give or take
    one); otherwise the opener assigns each by hand."""
    if not permissions.can(by, Action.OPEN):
        raise PermissionDenied("Only a team or service manager opens a backlog review")
    today = today or timezone.localdate()
    authority_id = by.agency.authority_id
    if filters.team is not None and filters.team.agency.authority_id != authority_id:
        raise ApplicationError("Choose a team of the authority", field="team")
    if filters.unseen_days is not None and not 1 <= filters.unseen_days <= 3650:
        raise ApplicationError("Give the days unseen as 1 to 3650", field="unseen_days")
    _check_reviewers(reviewers, authority_id)
    cases = selectors.choose_cases(by, filters, on=today)
    if not cases:
        raise ApplicationError("No open case meets these filters: choose others")
    if len(cases) > MAX_CASES:
        raise ApplicationError(
            f"{len(cases):,} cases meet these filters: one exercise takes at most "
            f"{MAX_CASES:,}. Narrow them (by team or priority)"
        )
    exercise = Exercise(
        authority_id=authority_id, opened_by=by, opened_on=today, filters=filters.as_json()
    )
    save_new(exercise, by=by)
    reviewers = sorted(reviewers, key=lambda u: (u.last_name, u.first_name, u.pk))
    exercise.reviewers.set(reviewers)
    for position, case in enumerate(cases):
        item = ExerciseCase(
            exercise=exercise,
            case=case,
            position=position,
            reviewer=reviewers[position % len(reviewers)] if spread else None,
        )
        save_new(item, by=by, person_id=case.child_id)
    return exercise


@transaction.atomic
def case_assign(*, by, item: ExerciseCase, reviewer) -> ExerciseCase:
    """Give a case not yet reviewed to one of the exercise's reviewers (the opener only)."""
    if not permissions.can(by, Action.ASSIGN, item):
        raise PermissionDenied("Only the manager who opened the exercise assigns its cases")
    if reviewer is None or not item.exercise.reviewers.filter(pk=reviewer.pk).exists():
        raise ApplicationError("Choose one of the exercise's reviewers", field="reviewer")
    locked = ExerciseCase.objects.select_for_update().get(pk=item.pk)
    if locked.reviewed:
        raise ApplicationError("This case is already reviewed")
    before = snapshot(locked)
    locked.reviewer = reviewer
    save_change(locked, by=by, before=before, person_id=item.case.child_id)
    return locked


def _check_outcomes(outcomes: set, closure_reason: str, worker) -> None:
    if not outcomes:
        raise ApplicationError("Choose at least one outcome", field="outcomes")
    unknown = outcomes - set(OutcomeKind.values)
    if unknown:
        raise ApplicationError("Choose the outcomes from the list", field="outcomes")
    for ending in (OutcomeKind.CLOSE, OutcomeKind.NO_FURTHER_ACTION):
        clash = outcomes & (TASKS | ({OutcomeKind.CLOSE, OutcomeKind.NO_FURTHER_ACTION} - {ending}))
        if ending in outcomes and clash:
            labels = ", ".join(OutcomeKind(k).label.lower() for k in sorted(clash))
            raise ApplicationError(
                f"{OutcomeKind(ending).label} cannot go with {labels}", field="outcomes"
            )
    if OutcomeKind.CLOSE in outcomes and closure_reason not in ClosureReason.values:
        raise ApplicationError("Choose the reason for closing the case", field="closure_reason")
    if OutcomeKind.ALLOCATE in outcomes and worker is None:
        raise ApplicationError("Choose the worker to allocate the case to", field="worker")


def _team_for(worker, case):
    """The case's team if the worker is in it, else the worker's first team by name."""
    teams = list(worker.teams.order_by("name", "pk"))
    return next((t for t in teams if t.pk == case.team_id), teams[0] if teams else None)


def _note(*, by, case, today, subject, rationale):
    return casework.case_note_add(
        by=by, case=case, note_date=today, subject=subject, text=rationale, significant=True
    )


@transaction.atomic
def review_record(
    *,
    by,
    item: ExerciseCase,
    risk: str,
    outcomes: list[str],
    rationale: str,
    closure_reason: str = "",
    worker=None,
    today: date | None = None,
) -> ExerciseCase:
    """Record the review of a case assigned to ``by``: the risk, the outcomes, the reasons;
    each outcome's step or task is made on the child's file in this transaction."""
    if not permissions.can(by, Action.REVIEW, item):
        raise PermissionDenied("Only the reviewer the case is assigned to reviews it, once")
    today = today or timezone.localdate()
    if risk not in Risk.values:
        raise ApplicationError("Choose the risk rating", field="risk")
    chosen = set(outcomes)
    _check_outcomes(chosen, closure_reason, worker)
    if not rationale.strip():
        raise ApplicationError("Say why: what the review found", field="rationale")
    rationale = rationale.strip()
    locked = ExerciseCase.objects.select_for_update().get(pk=item.pk)
    if locked.reviewed:
        raise ApplicationError("This case is already reviewed")
    case = item.case
    due = add_working_days(today, TASK_DAYS[Risk(risk)])
    made: list[Outcome] = []

    def outcome(kind, record, *, owner=None, due_date=None):
        made.append(
            Outcome(
                exercise_case=locked,
                kind=kind,
                record_type=record._meta.label_lower,
                record_id=str(record.pk),
                owner=owner,
                due_date=due_date,
            )
        )

    if OutcomeKind.ALLOCATE in chosen:
        team = _team_for(worker, case)
        if team is None:
            raise ApplicationError(f"{worker} is in no team", field="worker")
        allocation = casework.case_allocate(
            by=by, case=case, worker=worker, team=team, start_date=today,
            reason=f"Allocated at the backlog review: {rationale}"[:2000],
        )  # fmt: skip
        outcome(OutcomeKind.ALLOCATE, allocation, owner=worker)
    # Tasks go to whoever holds the case now, else its team's line manager, else the reviewer.
    owner = allocated_worker(case) or team_line_manager(case.team) or by
    for kind in (OutcomeKind.HOME_VISIT, OutcomeKind.STRATEGY, OutcomeKind.CONFERENCE):
        if kind in chosen:
            subject = TASK_SUBJECTS[kind].format(due=due) + f" ({owner})"
            note = _note(by=by, case=case, today=today, subject=subject, rationale=rationale)
            outcome(kind, note, owner=owner, due_date=due)
            if owner.pk != by.pk:
                notify(
                    users=[owner],
                    subject=f"A backlog review set you a task: {kind.label.lower()}",
                    body=f"{by} set you a task on a case at a backlog review, due by "
                    f"{due:%d %B %Y}. The reasons are on the case notes.",
                    url=reverse("casework:case-detail", args=[case.pk]),
                )
    if OutcomeKind.POLICE in chosen:
        note = _note(
            by=by, case=case, today=today, rationale=rationale,
            subject="Backlog review: referred to the police",
        )  # fmt: skip
        outcome(OutcomeKind.POLICE, note)
    if OutcomeKind.NO_FURTHER_ACTION in chosen:
        note = _note(
            by=by, case=case, today=today, rationale=rationale,
            subject="Backlog review: no further action",
        )  # fmt: skip
        outcome(OutcomeKind.NO_FURTHER_ACTION, note)
    if OutcomeKind.CLOSE in chosen:
        closed = casework.case_close(by=by, case=case, closure_date=today, reason=closure_reason)
        outcome(OutcomeKind.CLOSE, closed)
    before = snapshot(locked)
    locked.risk = risk
    locked.rationale = rationale
    locked.reviewed_on = today
    locked.reviewed_by = by
    save_change(locked, by=by, before=before, person_id=case.child_id)
    for row in made:
        save_new(row, by=by, person_id=case.child_id)
    return locked
