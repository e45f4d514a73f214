"""Assessments: started on an open case, completed by a manager's authorisation."""

from collections.abc import Callable
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from safeguard.assessments import permissions
from safeguard.assessments.codes import NO_FACTORS, Factor
from safeguard.assessments.models import Assessment, AssessmentKind, AssessmentOutcome
from safeguard.assessments.permissions import Action
from safeguard.audit.services import save_change, save_new, snapshot
from safeguard.casework import services as casework
from safeguard.casework.codes import PrimaryNeed
from safeguard.casework.models import Case
from safeguard.core.concurrency import expect_version
from safeguard.core.errors import ApplicationError

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


@transaction.atomic
def assessment_complete(
    *,
    by,
    assessment: Assessment,
    completed_date: date,
    factors: list[str],
    primary_need: str,
    outcome: str,
    analysis: str = "",
    version: int | None = None,
) -> Assessment:
    """Authorise the assessment: a team or service manager, named, on a date."""
    case = assessment.case
    _require(by, Action.AUTHORISE, case)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    expect_version(assessment, version)
    if assessment.completed_date is not None:
        raise ApplicationError("This assessment has already been authorised")
    casework.check_step_date(
        case, completed_date, label="authorisation date", field="completed_date"
    )
    if completed_date < assessment.start_date:
        raise ApplicationError(
            "The assessment cannot be authorised before it started", field="completed_date"
        )
    if primary_need not in PrimaryNeed.values:
        raise ApplicationError("Choose the primary need", field="primary_need")
    if outcome not in AssessmentOutcome.values:
        raise ApplicationError("Choose the outcome", field="outcome")
    if outcome == AssessmentOutcome.CORE_ASSESSMENT and assessment.kind != AssessmentKind.INITIAL:
        raise ApplicationError(
            "Only an initial assessment leads to a core assessment", field="outcome"
        )
    factors = clean_factors(factors)
    if factors == [NO_FACTORS]:
        _check_no_factors(case, outcome)
    before = snapshot(assessment)
    assessment.completed_date = completed_date
    assessment.factors = factors
    assessment.primary_need = primary_need
    assessment.outcome = outcome
    assessment.analysis = analysis
    assessment.authorised_by = by
    save_change(assessment, by=by, before=before, person_id=case.child_id)
    case_before = snapshot(case)
    case.primary_need = primary_need
    save_change(case, by=by, before=case_before, person_id=case.child_id)
    casework.chronology_add(
        by=by,
        child=case.child,
        case=case,
        event_date=completed_date,
        what=(
            f"{AssessmentKind(assessment.kind).label} completed: "
            f"{AssessmentOutcome(outcome).label.lower()}"
        ),
        source_agency=casework.agency_name(by),
        outcome=f"Authorised by {by}",
        source=assessment,
    )
    return assessment


def _open_assessments(case: Case, on: date) -> list[str]:
    if case.assessments.filter(completed_date__isnull=True).exists():
        return ["an assessment has not been authorised"]
    return []


def _has_completed_assessment(case: Case) -> bool:
    return case.assessments.filter(completed_date__isnull=False).exists()


def _latest_assessment_date(case: Case) -> date | None:
    dates = [d for a in case.assessments.all() for d in (a.start_date, a.completed_date) if d]
    return max(dates, default=None)


def register_checks() -> None:
    casework.register_open_work_check(_open_assessments)
    casework.register_assessed_check(_has_completed_assessment)
    casework.register_latest_step_date(_latest_assessment_date)
