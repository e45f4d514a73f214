"""Assessments: started on an open case, written and submitted by the worker, completed by a
manager's authorisation (a separate record: ``AssessmentAuthorisation``)."""

from collections.abc import Callable
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safeguard.assessments import permissions
from safeguard.assessments.codes import NO_FACTORS, Factor
from safeguard.assessments.models import (
    WRITTEN_SECTIONS,
    Assessment,
    AssessmentAuthorisation,
    AssessmentKind,
    AssessmentOutcome,
    AssessmentStage,
    AuthorisationDecision,
)
from safeguard.assessments.permissions import Action
from safeguard.audit.models import ChangeEvent
from safeguard.audit.services import save_change, save_new, snapshot
from safeguard.casework import services as casework
from safeguard.casework.codes import PrimaryNeed
from safeguard.casework.models import Case
from safeguard.core.concurrency import expect_version
from safeguard.core.errors import ApplicationError
from safeguard.notices.services import notify

# Which kinds of assessment each rule set uses (Working Together 2013 replaced the initial
# and core assessments with one child and family assessment).
KINDS_BY_RULE_SET = {
    "wt2006": {AssessmentKind.INITIAL, AssessmentKind.CORE},
    "wt2010": {AssessmentKind.INITIAL, AssessmentKind.CORE},
    "wt2013": {AssessmentKind.SINGLE},
}


def _require(by, action: Action, case: Case) -> None:
    if not permissions.can(by, action, case):
        raise PermissionDenied("You cannot do this on this case")


# Other grounds for starting a core assessment without an initial assessment first, offered
# by higher apps (decision 0003): under Working Together 2006 and 2010 a section 47 enquiry
# is carried out through a core assessment started from the strategy discussion. Each is a
# function of the case and the start date.
CoreAssessmentBasis = Callable[[Case, date], bool]
_CORE_ASSESSMENT_BASES: list[CoreAssessmentBasis] = []


def register_core_assessment_basis(basis: CoreAssessmentBasis) -> None:
    if basis not in _CORE_ASSESSMENT_BASES:
        _CORE_ASSESSMENT_BASES.append(basis)


# Told of each core assessment started, in the same transaction (``protection`` links it to
# the section 47 enquiry open on the case). Each is called with ``by`` and ``assessment``.
CoreAssessmentStarted = Callable[..., None]
_CORE_ASSESSMENT_STARTED: list[CoreAssessmentStarted] = []


def register_core_assessment_started(hook: CoreAssessmentStarted) -> None:
    if hook not in _CORE_ASSESSMENT_STARTED:
        _CORE_ASSESSMENT_STARTED.append(hook)


@transaction.atomic
def assessment_start(*, by, case: Case, kind: str, start_date: date) -> Assessment:
    _require(by, Action.RECORD, case)
    casework.check_step_date(case, start_date, label="assessment start date", field="start_date")
    allowed = KINDS_BY_RULE_SET[case.authority.rule_set]
    if kind not in allowed:
        names = " or ".join(sorted(AssessmentKind(k).label.lower() for k in allowed))
        raise ApplicationError(
            f"Under this authority's rule set the assessment is a {names}", field="kind"
        )
    if case.assessments.filter(completed_date__isnull=True).exists():
        raise ApplicationError("An assessment is already in progress on this case")
    if (
        kind == AssessmentKind.CORE
        and not case.assessments.filter(
            kind=AssessmentKind.INITIAL, completed_date__lte=start_date
        ).exists()
        and not any(basis(case, start_date) for basis in _CORE_ASSESSMENT_BASES)
    ):
        raise ApplicationError(
            "A core assessment follows a completed initial assessment, or a strategy "
            "discussion that decided on a section 47 enquiry",
            field="kind",
        )
    assessment = Assessment(case=case, kind=kind, start_date=start_date)
    save_new(assessment, by=by, person_id=case.child_id)
    if kind == AssessmentKind.CORE:
        for hook in _CORE_ASSESSMENT_STARTED:
            hook(by=by, assessment=assessment)
    return assessment


@transaction.atomic
def assessment_record_seen(
    *,
    by,
    assessment: Assessment,
    child_seen_date: date,
    child_seen_alone: bool,
    version: int | None = None,
) -> Assessment:
    _require(by, Action.RECORD, assessment.case)
    expect_version(assessment, version)
    casework.check_step_date(
        assessment.case, child_seen_date, label="date the child was seen", field="child_seen_date"
    )
    if child_seen_date < assessment.start_date:
        raise ApplicationError(
            "The child was seen before the assessment started", field="child_seen_date"
        )
    if assessment.completed_date is not None and child_seen_date > assessment.completed_date:
        raise ApplicationError(
            f"The assessment was authorised on {assessment.completed_date:%d %B %Y}: the child "
            "was seen on or before then",
            field="child_seen_date",
        )
    before = snapshot(assessment)
    assessment.child_seen_date, assessment.child_seen_alone = child_seen_date, child_seen_alone
    save_change(assessment, by=by, before=before, person_id=assessment.case.child_id)
    return assessment


def clean_factors(codes: list[str]) -> list[str]:
    unknown = [c for c in codes if c not in Factor.values]
    if unknown:
        raise ApplicationError(f"Unknown factor codes: {', '.join(unknown)}", field="factors")
    if not codes:
        raise ApplicationError(
            "Choose the factors identified, or “No factors identified”", field="factors"
        )
    if NO_FACTORS in codes and len(codes) > 1:
        raise ApplicationError(
            "“No factors identified” cannot be combined with other factors", field="factors"
        )
    return sorted(set(codes), key=Factor.values.index)


# Outcomes that are further action: "no factors identified" cannot go with them.
FURTHER_ACTION_OUTCOMES = {AssessmentOutcome.CIN_PLAN, AssessmentOutcome.STRATEGY_DISCUSSION}


def _check_no_factors(case: Case, outcome: str) -> None:
    """Factor 21 ("no factors identified") is for an assessment after which no further action
    is taken (the code list's own words). The census holds a case to it: an episode whose one
    assessment found no factors must close as RC8 or RC9 (rule 8873Q), and an RC8 or RC9
    episode can have no child in need plan, section 47 enquiry, conference or child
    protection plan (rule 2990). So it is refused with an outcome that is further action, and
    on a case that already has one of those steps or a strategy discussion that decided on a
    section 47 enquiry (the protection app's records, read through their reverse relations,
    as the lower app cannot import it). A strategy discussion that decided against an
    enquiry does not stop it: the census allows RC8 after one."""
    if outcome in FURTHER_ACTION_OUTCOMES:
        raise ApplicationError(
            "“No factors identified” is only for an assessment that ends in no further action "
            f"or early help, not “{AssessmentOutcome(outcome).label}”: choose the factors the "
            "assessment found",
            field="factors",
        )
    steps = [
        (
            case.strategy_discussions.filter(decision="s47"),
            "a strategy discussion that decided on a section 47 enquiry",
        ),
        (case.section47s, "a section 47 enquiry"),
        (case.conferences, "a child protection conference"),
        (case.cp_plans, "a child protection plan"),
        (case.cin_plans, "a child in need plan"),
    ]
    found = [name for related, name in steps if related.exists()]
    if found:
        raise ApplicationError(
            f"“No factors identified” cannot be used on this case: it has {found[0]}, so the "
            "assessment found concerns. Choose the factors it found",
            field="factors",
        )


def _check_outcome(assessment: Assessment, outcome: str) -> None:
    if outcome not in AssessmentOutcome.values:
        raise ApplicationError("Choose the outcome you recommend", field="outcome")
    if outcome == AssessmentOutcome.CORE_ASSESSMENT and assessment.kind != AssessmentKind.INITIAL:
        raise ApplicationError(
            "Only an initial assessment leads to a core assessment", field="outcome"
        )


def _check_ready(assessment: Assessment) -> None:
    """What a submitted assessment must hold: every section written, the factors (checked
    against the case as the census will check them), the primary need and the recommended
    outcome. Asked again when a manager agrees, as the case may have moved on meanwhile."""
    for name in WRITTEN_SECTIONS:
        if not getattr(assessment, name).strip():
            label = Assessment._meta.get_field(name).verbose_name
            raise ApplicationError(f"Write {label} before you submit the assessment", field=name)
    factors = clean_factors(list(assessment.factors or ()))
    if assessment.primary_need not in PrimaryNeed.values:
        raise ApplicationError("Choose the primary need", field="primary_need")
    _check_outcome(assessment, assessment.outcome)
    if factors == [NO_FACTORS]:
        _check_no_factors(assessment.case, assessment.outcome)


def _update_callers_copy(assessment: Assessment, saved: Assessment) -> None:
    """The caller's object takes the saved values (and version), keeping its case as read."""
    for field in Assessment._meta.concrete_fields:
        setattr(assessment, field.attname, getattr(saved, field.attname))


def _lock(assessment: Assessment, version: int | None) -> Assessment:
    locked = Assessment.objects.select_for_update().select_related("case").get(pk=assessment.pk)
    expect_version(locked, version)
    return locked


@transaction.atomic
def assessment_write(
    *,
    by,
    assessment: Assessment,
    submit: bool = False,
    version: int | None = None,
    **written,
) -> Assessment:
    """Save the worker's assessment as it stands (it may be saved as often as the worker
    likes while it is being written or after a manager returned it), and with ``submit``
    send it to a manager to authorise. ``written`` holds the sections (``WRITTEN_SECTIONS``),
    ``factors``, ``primary_need`` and ``outcome``; fields left out are kept as they are."""
    case = assessment.case
    _require(by, Action.RECORD, case)
    locked = _lock(assessment, version)
    if locked.is_complete:
        raise ApplicationError("This assessment has been authorised: it can no longer change")
    if locked.stage == AssessmentStage.SUBMITTED:
        raise ApplicationError(
            "This assessment is with a manager to authorise: it can change again only if "
            "they return it"
        )
    unknown = set(written) - {*WRITTEN_SECTIONS, "factors", "primary_need", "outcome"}
    if unknown:
        raise TypeError(f"Not part of the written assessment: {sorted(unknown)}")
    before = snapshot(locked)
    for name, value in written.items():
        if name == "factors":
            unknown_codes = [c for c in value if c not in Factor.values]
            if unknown_codes:
                raise ApplicationError("Choose factors from the list", field="factors")
            value = sorted(set(value), key=Factor.values.index)
        elif name == "primary_need" and value and value not in PrimaryNeed.values:
            raise ApplicationError("Choose the primary need from the list", field=name)
        elif name == "outcome" and value:
            _check_outcome(locked, value)
        setattr(locked, name, value or ([] if name == "factors" else ""))
    if submit:
        _check_ready(locked)
        locked.stage = AssessmentStage.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = by
    save_change(locked, by=by, before=before, person_id=case.child_id)
    _update_callers_copy(assessment, locked)
    return assessment


def assessment_submit(*, by, assessment: Assessment, version: int | None = None, **written):
    """Save and submit the worker's assessment for a manager to authorise."""
    return assessment_write(by=by, assessment=assessment, submit=True, version=version, **written)


def authors(assessment: Assessment) -> set:
    """The ids of everyone who wrote any of the assessment (started it, saved a written part,
    or submitted it), from the record and its change history."""
    ids = {assessment.created_by_id, assessment.submitted_by_id}
    written = {*WRITTEN_SECTIONS, "factors", "primary_need", "outcome"}
    events = ChangeEvent.objects.filter(
        target_type="assessments.assessment", target_id=str(assessment.pk)
    ).only("user_id", "before", "after")
    ids |= {e.user_id for e in events if written & set(e.changed_fields)}
    return ids - {None}


def _is_unborn_on(child, day: date) -> bool:
    return child.date_of_birth is None or child.date_of_birth > day


@transaction.atomic
def assessment_authorise(
    *,
    by,
    assessment: Assessment,
    decision: str,
    decided_on: date,
    comments: str = "",
    version: int | None = None,
) -> AssessmentAuthorisation:
    """A manager's decision on a submitted assessment: agree (the countersignature, which
    completes the assessment on ``decided_on``: the census's authorisation date) or return
    it to the worker with reasons. Nobody decides on an assessment they wrote or submitted,
    and none is authorised before the child has been seen."""
    case = assessment.case
    _require(by, Action.AUTHORISE, case)
    locked = _lock(assessment, version)
    if locked.is_complete:
        raise ApplicationError("This assessment has already been authorised")
    if locked.stage != AssessmentStage.SUBMITTED:
        raise ApplicationError(
            "This assessment has not been submitted: the worker submits it when it is written"
        )
    if by.pk in authors(locked):
        raise ApplicationError(
            "You wrote or submitted this assessment, so you cannot authorise it: another "
            "manager must decide on it"
        )
    if casework.needs_authorisation(case.authority, ASSESSMENT_OUTCOME):
        # Decision 0041: the case's line manager decides (the next one up when it is theirs).
        casework.check_authoriser(
            by, case, excluded=authors(locked), label="Outcome of an assessment"
        )
    if decision not in AuthorisationDecision.values:
        raise ApplicationError("Choose whether you agree or return it", field="decision")
    casework.check_step_date(case, decided_on, label="authorisation date", field="decided_on")
    if decided_on < locked.start_date:
        raise ApplicationError(
            "The assessment cannot be authorised before it started", field="decided_on"
        )
    comments = comments.strip()
    if decision == AuthorisationDecision.RETURN and not comments:
        raise ApplicationError(
            "Give your reasons for returning the assessment, so the worker knows what to change",
            field="comments",
        )
    decided = AssessmentAuthorisation(
        assessment=locked, decision=decision, decided_on=decided_on, decided_by=by,
        comments=comments,
    )  # fmt: skip
    before = snapshot(locked)
    if decision == AuthorisationDecision.RETURN:
        locked.stage = AssessmentStage.RETURNED
        save_change(locked, by=by, before=before, person_id=case.child_id)
        save_new(decided, by=by, person_id=case.child_id)
        _tell_submitter(locked, by=by, returned=True)
        _update_callers_copy(assessment, locked)
        return decided
    if locked.child_seen_date is None and not _is_unborn_on(case.child, decided_on):
        raise ApplicationError(
            "The child has not been seen: an assessment cannot be authorised until the date "
            "the child was seen is recorded",
            field="decided_on",
        )
    if locked.child_seen_date is not None and locked.child_seen_date > decided_on:
        raise ApplicationError(
            f"The child was seen on {locked.child_seen_date:%d %B %Y}: the assessment cannot "
            "be authorised before the child was seen",
            field="decided_on",
        )
    _check_ready(locked)
    locked.completed_date = decided_on
    locked.authorised_by = by
    save_change(locked, by=by, before=before, person_id=case.child_id)
    save_new(decided, by=by, person_id=case.child_id)
    case_before = snapshot(case)
    case.primary_need = locked.primary_need
    save_change(case, by=by, before=case_before, person_id=case.child_id)
    casework.chronology_add(
        by=by,
        child=case.child,
        case=case,
        event_date=decided_on,
        what=(
            f"{AssessmentKind(locked.kind).label} completed: "
            f"{AssessmentOutcome(locked.outcome).label.lower()}"
        ),
        source_agency=casework.agency_name(by),
        outcome=f"Authorised by {by}",
        source=locked,
    )
    _tell_submitter(locked, by=by, returned=False)
    _update_callers_copy(assessment, locked)
    return decided


def _tell_submitter(assessment: Assessment, *, by, returned: bool) -> None:
    """Tell the worker who submitted the assessment the manager's decision (issue 16 item 9):
    agreed, or returned with reasons to read on the assessment."""
    worker = assessment.submitted_by
    if worker is None or worker.pk == by.pk:
        return
    kind = AssessmentKind(assessment.kind).label
    notify(
        users=[worker],
        subject=f"Your assessment was {'returned' if returned else 'authorised'}",
        body=(
            f"{by} returned the {kind.lower()} you submitted: their reasons are on it."
            if returned
            else f"{by} authorised the {kind.lower()} you submitted."
        ),
        url=reverse("assessments:detail", args=[assessment.pk]),
    )


def _open_assessments(case: Case, on: date) -> list[str]:
    if case.assessments.filter(completed_date__isnull=True).exists():
        return ["an assessment has not been authorised"]
    return []


def _has_completed_assessment(case: Case) -> bool:
    return case.assessments.filter(completed_date__isnull=False).exists()


def _latest_assessment_date(case: Case) -> date | None:
    dates = [d for a in case.assessments.all() for d in (a.start_date, a.completed_date) if d]
    return max(dates, default=None)


# The decision right of an assessment's outcome (decision 0041): the manager's decision is
# this app's own record (decision 0035), so the right has nothing to apply.
ASSESSMENT_OUTCOME = "assessment_outcome"


def register_checks() -> None:
    casework.register_decision_right(
        ASSESSMENT_OUTCOME, label="Outcome of an assessment", apply=None
    )
    casework.register_open_work_check(_open_assessments)
    casework.register_assessed_check(_has_completed_assessment)
    casework.register_latest_step_date(_latest_assessment_date)
