"""Child protection steps, in the order Working Together sets: strategy discussion, section
47 enquiry, initial conference, plan, core groups, review conferences, end of plan."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from safeguard.accounts.models import AgencyKind
from safeguard.accounts.selectors import conference_chairs
from safeguard.assessments import services as assessments
from safeguard.assessments.models import Assessment, AssessmentKind
from safeguard.audit.models import ChangeVerb
from safeguard.audit.services import save_change, save_new, snapshot
from safeguard.casework import selectors as case_selectors
from safeguard.casework import services as casework
from safeguard.casework.models import Case, CINPlan, CINPlanReview
from safeguard.core.concurrency import expect_version
from safeguard.core.errors import ApplicationError
from safeguard.protection import permissions
from safeguard.protection.codes import CategoryOfAbuse, PlanEndReason
from safeguard.protection.models import (
    OPEN_ACTION_STATUSES,
    ActionStatus,
    ChairChallenge,
    ChallengeKind,
    ChildProtectionConference,
    ChildProtectionPlan,
    ConferenceDecision,
    ConferenceKind,
    CoreGroupMeeting,
    EmergencyProtection,
    PlanAction,
    PlanActionProgress,
    Section47Enquiry,
    Section47Outcome,
    StrategyDecision,
    StrategyDiscussion,
)
from safeguard.protection.permissions import Action

# Reasons a plan may end without a conference: the child is no longer the authority's to
# protect. Only a conference can decide the risk has reduced or the child has moved.
ENDS_WITHOUT_CONFERENCE = {PlanEndReason.EIGHTEEN, PlanEndReason.DIED, PlanEndReason.LEFT_UK}


def _require(by, action: Action, case: Case) -> None:
    if not permissions.can(by, action, case):
        raise PermissionDenied("You cannot do this on this case")


def _agency(by) -> str:
    return casework.agency_name(by)


def _clean_attendees(attendees: list[dict]) -> list[dict]:
    clean = []
    for row in attendees:
        agency = (row.get("agency") or "").strip()
        name = (row.get("name") or "").strip()
        if agency or name:
            if not agency:
                raise ApplicationError(f"Enter the agency of {name}", field="attendees")
            clean.append({"agency": agency, "name": name, "role": (row.get("role") or "").strip()})
    return clean


@transaction.atomic
def strategy_discussion_record(
    *,
    by,
    case: Case,
    discussion_date: date,
    attendees: list[dict],
    decision: str,
    notes: str = "",
    emergency_protection: str = "",
) -> StrategyDiscussion:
    _require(by, Action.RECORD, case)
    casework.check_step_date(
        case, discussion_date, label="date of the strategy discussion", field="discussion_date"
    )
    attendees = _clean_attendees(attendees)
    if len({a["agency"] for a in attendees}) < 2:
        raise ApplicationError(
            "Record who took part from at least two agencies (social care, police, health)",
            field="attendees",
        )
    if decision not in StrategyDecision.values:
        raise ApplicationError("Choose the decision", field="decision")
    if emergency_protection and emergency_protection not in EmergencyProtection.values:
        raise ApplicationError(
            "Choose whether the child was in police or emergency protection",
            field="emergency_protection",
        )
    item = StrategyDiscussion(
        case=case,
        discussion_date=discussion_date,
        attendees=attendees,
        decision=decision,
        notes=notes,
        chaired_by=by,
        emergency_protection=emergency_protection,
    )
    save_new(item, by=by, person_id=case.child_id)
    casework.chronology_add(
        by=by,
        child=case.child,
        case=case,
        event_date=discussion_date,
        what=f"Strategy discussion: {StrategyDecision(decision).label.lower()}",
        source_agency=", ".join(sorted({a["agency"] for a in attendees})),
        source=item,
    )
    return item


# Under Working Together 2006 and 2010 the enquiry is carried out through a core assessment.
RULE_SETS_WITH_CORE_ASSESSMENT = {"wt2006", "wt2010"}


def _core_assessment_for(*, by, case: Case, start_date: date) -> Assessment:
    """The core assessment an enquiry starting on ``start_date`` is carried out through: the
    one in progress on the case, or a new one starting the same day."""
    if case.authority.rule_set not in RULE_SETS_WITH_CORE_ASSESSMENT:
        raise ApplicationError(
            "Under this authority's rule set an enquiry is not carried out through a core "
            "assessment",
            field="core_assessment",
        )
    in_progress = case.assessments.filter(completed_date__isnull=True).first()
    if in_progress is None:
        return assessments.assessment_start(
            by=by, case=case, kind=AssessmentKind.CORE, start_date=start_date
        )
    if in_progress.kind != AssessmentKind.CORE:
        raise ApplicationError(
            f"The {AssessmentKind(in_progress.kind).label.lower()} in progress must be "
            "authorised before a core assessment can start",
            field="core_assessment",
        )
    if Section47Enquiry.objects.filter(core_assessment=in_progress).exists():
        raise ApplicationError(
            "The core assessment in progress already carries another enquiry",
            field="core_assessment",
        )
    return in_progress


@transaction.atomic
def section47_start(
    *,
    by,
    case: Case,
    strategy_discussion: StrategyDiscussion,
    start_date: date,
    core_assessment: bool = False,
) -> Section47Enquiry:
    """Start the enquiry a strategy discussion decided on. With ``core_assessment`` (Working
    Together 2006 and 2010) it is carried out through a core assessment: the one in progress,
    or one started the same day straight from the strategy discussion."""
    _require(by, Action.RECORD, case)
    if strategy_discussion.case_id != case.pk:
        raise ApplicationError(
            "That strategy discussion belongs to another case", field="strategy_discussion"
        )
    if strategy_discussion.decision != StrategyDecision.SECTION_47:
        raise ApplicationError(
            "That strategy discussion did not decide on a section 47 enquiry",
            field="strategy_discussion",
        )
    casework.check_step_date(
        case, start_date, label="start date of the enquiry", field="start_date"
    )
    if start_date < strategy_discussion.discussion_date:
        raise ApplicationError(
            "A section 47 enquiry cannot start before its strategy discussion", field="start_date"
        )
    if case.section47s.filter(end_date__isnull=True).exists():
        raise ApplicationError("A section 47 enquiry is already open on this case")
    enquiry = Section47Enquiry(
        case=case, strategy_discussion=strategy_discussion, start_date=start_date
    )
    if core_assessment:
        enquiry.core_assessment = _core_assessment_for(by=by, case=case, start_date=start_date)
    save_new(enquiry, by=by, person_id=case.child_id)
    through = enquiry.core_assessment
    casework.chronology_add(
        by=by,
        child=case.child,
        case=case,
        event_date=start_date,
        what="Section 47 enquiry started"
        + (
            f", carried out through the core assessment started {through.start_date:%-d %B %Y}"
            if through
            else ""
        ),
        source_agency=_agency(by),
        source=enquiry,
    )
    return enquiry


# The decision right of a section 47 enquiry's conclusion (decision 0041).
SECTION47_CONCLUSION = "section47_conclusion"


def _check_conclusion(case: Case, enquiry: Section47Enquiry, end_date: date, outcome: str):
    if enquiry.end_date is not None:
        raise ApplicationError("This enquiry has already concluded")
    casework.check_step_date(case, end_date, label="date the enquiry concluded", field="end_date")
    if end_date < enquiry.start_date:
        raise ApplicationError("The enquiry cannot conclude before it started", field="end_date")
    if outcome not in Section47Outcome.values:
        raise ApplicationError("Choose the outcome of the enquiry", field="outcome")


@transaction.atomic
def section47_conclude(
    *, by, enquiry: Section47Enquiry, end_date: date, outcome: str, version: int | None = None
):
    """Record the enquiry's conclusion. Where the authority has it among its decisions
    needing authorisation (the default), this asks the case's line manager and the enquiry
    stays open until they authorise it (decision 0041): returns the request; otherwise the
    enquiry, concluded."""
    case = enquiry.case
    _require(by, Action.RECORD, case)
    enquiry = Section47Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    expect_version(enquiry, version)
    _check_conclusion(case, enquiry, end_date, outcome)
    if casework.needs_authorisation(case.authority, SECTION47_CONCLUSION):
        return casework.authorisation_request(
            by=by,
            case=case,
            kind=SECTION47_CONCLUSION,
            summary=f"Section 47 enquiry concluded on {end_date:%d %B %Y}: "
            f"{Section47Outcome(outcome).label.lower()}",
            payload={
                "enquiry": str(enquiry.pk),
                "end_date": end_date.isoformat(),
                "outcome": outcome,
            },
        )
    return _conclude(by=by, case=case, enquiry=enquiry, end_date=end_date, outcome=outcome)


def conclusion_authorised(*, by, request) -> None:
    """Apply an authorised conclusion (``casework.register_decision_right``): the rules
    again, as things stand now."""
    enquiry = Section47Enquiry.objects.select_for_update().get(pk=request.payload["enquiry"])
    case = Case.objects.get(pk=enquiry.case_id)
    end_date = date.fromisoformat(request.payload["end_date"])
    outcome = request.payload["outcome"]
    _check_conclusion(case, enquiry, end_date, outcome)
    _conclude(by=by, case=case, enquiry=enquiry, end_date=end_date, outcome=outcome)


def _conclude(*, by, case, enquiry, end_date, outcome) -> Section47Enquiry:
    before = snapshot(enquiry)
    enquiry.end_date, enquiry.outcome = end_date, outcome
    save_change(enquiry, by=by, before=before, verb=ChangeVerb.ENDED, person_id=case.child_id)
    casework.chronology_add(
        by=by,
        child=case.child,
        case=case,
        event_date=end_date,
        what=f"Section 47 enquiry concluded: {Section47Outcome(outcome).label.lower()}",
        source_agency=_agency(by),
        source=casework.EndMarker(enquiry),
    )
    return enquiry


def _check_chair(chair, *, case: Case, on: date) -> None:
    """The conference's chair is one of the authority's active conference chairs and stands
    outside the case's line management: neither the allocated worker nor the line manager,
    on the day of the conference or today (issue 15 item 3; decision 0030)."""
    if chair is None:
        raise ApplicationError("Choose the chair of the conference", field="chair")
    if not conference_chairs(case.authority_id).filter(pk=chair.pk).exists():
        raise ApplicationError(
            "Choose the chair from the authority's conference chairs", field="chair"
        )
    for day in sorted({on, timezone.localdate()}):
        allocation = case_selectors.current_allocation(case, on=day)
        if allocation is not None and allocation.worker_id == chair.pk:
            raise ApplicationError(
                f"{chair.get_full_name() or chair.username} is the case's allocated worker: "
                "a conference is chaired by someone outside the case's line management",
                field="chair",
            )
        manager = case_selectors.line_manager(case, on=day)
        if manager is not None and manager.pk == chair.pk:
            raise ApplicationError(
                f"{chair.get_full_name() or chair.username} manages the case: a conference is "
                "chaired by someone outside the case's line management",
                field="chair",
            )


def _check_quorum(case: Case, attendance: dict) -> None:
    """A conference that starts or ends a plan is quorate: the agency kinds the authority
    requires (children's social care and police by default) and so many other agencies (one
    by default; the family is not an agency) attended (issue 15 item 3; decision 0030)."""
    authority = case.authority
    required = [AgencyKind(k).label for k in authority.conference_quorum_kinds]
    present = {agency for agency, attended in (attendance or {}).items() if attended}
    missing = [agency for agency in required if agency not in present]
    others = present - set(required) - {"Family"}
    short = max(0, authority.conference_quorum_others - len(others))
    if short:
        missing.append("one other agency" if short == 1 else f"{short} other agencies")
    if missing:
        what = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
        raise ApplicationError(
            "A conference that starts or ends a child protection plan needs a quorum: "
            f"record who attended, or hold the conference again. Missing: {what}",
            field="attendance",
        )


def _check_category(category: str) -> None:
    if category not in CategoryOfAbuse.values:
        raise ApplicationError("Choose the category of abuse", field="category")


@transaction.atomic
def icpc_record(
    *,
    by,
    section47: Section47Enquiry,
    conference_date: date,
    attendance: dict,
    decision: str,
    category: str = "",
    outline_plan: str = "",
    core_group_members: list[dict] | None = None,
    chair,
) -> ChildProtectionConference:
    """Record an initial child protection conference, chaired by ``chair`` (who may or may
    not be ``by``, the person recording it); a plan decision starts the plan."""
    case = section47.case
    _require(by, Action.CONFERENCE, case)
    casework.check_step_date(
        case, conference_date, label="date of the conference", field="conference_date"
    )
    if conference_date < section47.start_date:
        raise ApplicationError(
            "The conference cannot be before the section 47 enquiry started",
            field="conference_date",
        )
    if section47.end_date is not None and section47.outcome != Section47Outcome.SUBSTANTIATED_ICPC:
        raise ApplicationError("That enquiry concluded without needing a conference")
    if section47.conferences.filter(kind=ConferenceKind.INITIAL).exists():
        raise ApplicationError("This enquiry already has an initial conference")
    _check_chair(chair, case=case, on=conference_date)
    if decision not in (ConferenceDecision.PLAN, ConferenceDecision.NO_PLAN):
        raise ApplicationError(
            "Choose whether the child needs a child protection plan", field="decision"
        )
    if case.cp_plans.filter(end_date__isnull=True).exists() and decision == ConferenceDecision.PLAN:
        raise ApplicationError("The child already has an open child protection plan")
    members = _clean_attendees(core_group_members or [])
    if decision == ConferenceDecision.PLAN:
        _check_quorum(case, attendance)
        _check_category(category)
        if not outline_plan.strip():
            raise ApplicationError("Enter the outline child protection plan", field="outline_plan")
        if not members:
            raise ApplicationError("Name the core group members", field="core_group_members")
    conference = ChildProtectionConference(
        case=case,
        kind=ConferenceKind.INITIAL,
        conference_date=conference_date,
        section47=section47,
        attendance=attendance,
        decision=decision,
        category=category if decision == "plan" else "",
        outline_plan=outline_plan,
        core_group_members=members,
        chaired_by=chair,
    )
    if decision == ConferenceDecision.PLAN:
        # Stepping up: a child in need plan ends when the child protection plan starts.
        for cin_plan in case.cin_plans.filter(end_date__isnull=True):
            if not permissions.can(by, Action.RECORD, case):
                raise ApplicationError(
                    "The child in need plan is still open: the child's social worker or "
                    "their manager records this conference, which ends it"
                )
            if conference_date < cin_plan.start_date:
                raise ApplicationError(
                    "The conference is before the child in need plan started",
                    field="conference_date",
                )
            casework.cin_plan_end(by=by, plan=cin_plan, end_date=conference_date)
        previous = ChildProtectionPlan.objects.filter(case__child=case.child).count()
        plan = ChildProtectionPlan(
            case=case,
            start_date=conference_date,
            initial_category=category,
            latest_category=category,
        )
        save_new(plan, by=by, person_id=case.child_id)
        conference.plan = plan
        what = (
            f"Initial child protection conference: child protection plan, category "
            f"{CategoryOfAbuse(category).label.lower()}"
            + (f" (plan {previous + 1})" if previous else "")
        )
    else:
        what = "Initial child protection conference: no child protection plan"
    save_new(conference, by=by, person_id=case.child_id)
    if section47.end_date is None:
        s_before = snapshot(section47)
        section47.end_date, section47.outcome = conference_date, Section47Outcome.SUBSTANTIATED_ICPC
        save_change(
            section47, by=by, before=s_before, verb=ChangeVerb.ENDED, person_id=case.child_id
        )
    casework.chronology_add(
        by=by,
        child=case.child,
        case=case,
        event_date=conference_date,
        what=what,
        source_agency=", ".join(sorted(k for k, v in attendance.items() if v)),
        outcome=outline_plan[:500],
        source=conference,
    )
    return conference


@transaction.atomic
def core_group_record(
    *,
    by,
    plan: ChildProtectionPlan,
    meeting_date: date,
    attendees: list[dict] | None = None,
    notes: str = "",
) -> CoreGroupMeeting:
    case = plan.case
    _require(by, Action.RECORD, case)
    casework.check_step_date(
        case, meeting_date, label="date of the core group", field="meeting_date"
    )
    if meeting_date < plan.start_date:
        raise ApplicationError(
            "A core group cannot meet before the plan started", field="meeting_date"
        )
    if plan.end_date is not None and meeting_date > plan.end_date:
        raise ApplicationError("The plan had ended by then", field="meeting_date")
    meeting = CoreGroupMeeting(
        plan=plan,
        meeting_date=meeting_date,
        attendees=_clean_attendees(attendees or []),
        notes=notes,
    )
    save_new(meeting, by=by, person_id=case.child_id)
    return meeting


@transaction.atomic
def review_conference_record(
    *,
    by,
    plan: ChildProtectionPlan,
    conference_date: date,
    attendance: dict,
    decision: str,
    category: str = "",
    end_reason: str = "",
    version: int | None = None,
    chair,
) -> ChildProtectionConference:
    """A review conference, chaired by ``chair``: the plan continues (with its latest
    category) or ends. ``version`` is the plan's, as the user saw it."""
    case = plan.case
    _require(by, Action.CONFERENCE, case)
    expect_version(plan, version)
    casework.check_step_date(
        case, conference_date, label="date of the review conference", field="conference_date"
    )
    icpc = plan.conferences.filter(kind=ConferenceKind.INITIAL).first()
    if icpc is None:
        raise ApplicationError("A review conference needs an initial conference first")
    if plan.end_date is not None:
        raise ApplicationError(f"The plan ended on {plan.end_date:%d %B %Y}")
    last = (
        plan.conferences.order_by("-conference_date")
        .values_list("conference_date", flat=True)
        .first()
    )
    if conference_date <= last:
        raise ApplicationError(
            f"A review must come after the last conference ({last:%d %B %Y})",
            field="conference_date",
        )
    if decision not in (ConferenceDecision.CONTINUE, ConferenceDecision.END):
        raise ApplicationError("Choose whether the plan continues or ends", field="decision")
    _check_chair(chair, case=case, on=conference_date)
    category = category or plan.latest_category
    _check_category(category)
    if decision == ConferenceDecision.END and end_reason not in (
        PlanEndReason.RISK_REDUCED,
        PlanEndReason.MOVED,
    ):
        raise ApplicationError("Choose why the plan ends", field="end_reason")
    if decision == ConferenceDecision.CONTINUE and end_reason:
        raise ApplicationError(
            "Give a reason for ending only when the plan ends", field="end_reason"
        )
    if decision == ConferenceDecision.END:
        _check_quorum(case, attendance)
    conference = ChildProtectionConference(
        case=case,
        kind=ConferenceKind.REVIEW,
        conference_date=conference_date,
        plan=plan,
        attendance=attendance,
        decision=decision,
        category=category,
        chaired_by=chair,
    )
    save_new(conference, by=by, person_id=case.child_id)
    before = snapshot(plan)
    plan.latest_category = category
    if decision == ConferenceDecision.END:
        plan.end_date, plan.end_reason = conference_date, end_reason
    save_change(plan, by=by, before=before, person_id=case.child_id)
    ended = decision == ConferenceDecision.END
    casework.chronology_add(
        by=by,
        child=case.child,
        case=case,
        event_date=conference_date,
        what=(
            "Review child protection conference: plan ended, "
            f"{PlanEndReason(end_reason).label.lower()}"
            if ended
            else "Review child protection conference: plan continues"
        ),
        source_agency=", ".join(sorted(k for k, v in attendance.items() if v)),
        source=conference,
    )
    return conference


@transaction.atomic
def plan_end_without_conference(
    *, by, plan: ChildProtectionPlan, end_date: date, reason: str, version: int | None = None
) -> ChildProtectionPlan:
    """End a plan because the child turned 18, died or left the UK."""
    case = plan.case
    _require(by, Action.RECORD, case)
    expect_version(plan, version)
    if reason not in ENDS_WITHOUT_CONFERENCE:
        raise ApplicationError("Only a conference can end a plan for that reason", field="reason")
    if plan.end_date is not None:
        raise ApplicationError("The plan has already ended")
    casework.check_step_date(case, end_date, label="end date", field="end_date")
    if end_date < plan.start_date:
        raise ApplicationError("The plan cannot end before it started", field="end_date")
    born = case.child.date_of_birth
    if reason == PlanEndReason.EIGHTEEN and (born is None or case.child.age_on(end_date) < 18):
        raise ApplicationError(
            f"{case.child.full_name} was not 18 on {end_date:%d %B %Y}", field="reason"
        )
    if reason == PlanEndReason.DIED and case.child.date_of_death not in (None, end_date):
        raise ApplicationError(
            "The end date should be the date of death on the child's record", field="end_date"
        )
    before = snapshot(plan)
    plan.end_date, plan.end_reason = end_date, reason
    save_change(plan, by=by, before=before, verb=ChangeVerb.ENDED, person_id=case.child_id)
    casework.chronology_add(
        by=by,
        child=case.child,
        case=case,
        event_date=end_date,
        what=f"Child protection plan ended: {PlanEndReason(reason).label.lower()}",
        source_agency=_agency(by),
        source=casework.EndMarker(plan),
    )
    return plan


def _open_protection(case: Case, on: date) -> list[str]:
    reasons = []
    if case.cp_plans.filter(end_date__isnull=True).exists():
        reasons.append("the child protection plan is still open")
    if case.section47s.filter(end_date__isnull=True).exists():
        reasons.append("the section 47 enquiry has not concluded")
    return reasons


def _latest_protection_date(case: Case) -> date | None:
    dates = list(case.strategy_discussions.values_list("discussion_date", flat=True))
    dates += list(case.conferences.values_list("conference_date", flat=True))
    for start, end in case.section47s.values_list("start_date", "end_date"):
        dates += [d for d in (start, end) if d]
    for start, end in case.cp_plans.values_list("start_date", "end_date"):
        dates += [d for d in (start, end) if d]
    dates += list(
        CoreGroupMeeting.objects.filter(plan__case=case).values_list("meeting_date", flat=True)
    )
    return max(dates, default=None)


def _strategy_discussion_basis(case: Case, start_date: date) -> bool:
    """A core assessment may start straight from a strategy discussion that decided on a
    section 47 enquiry (Working Together 2006 and 2010)."""
    return case.strategy_discussions.filter(
        decision=StrategyDecision.SECTION_47, discussion_date__lte=start_date
    ).exists()


def _link_open_enquiry(*, by, assessment: Assessment) -> None:
    """A core assessment started while a section 47 enquiry is open without one is the
    enquiry's (Working Together 2006 and 2010: the enquiry is carried out through it)."""
    case = assessment.case
    enquiry = case.section47s.filter(end_date__isnull=True, core_assessment__isnull=True).first()
    if enquiry is None:
        return
    before = snapshot(enquiry)
    enquiry.core_assessment = assessment
    save_change(enquiry, by=by, before=before, person_id=case.child_id)


def register_checks() -> None:
    assessments.register_core_assessment_basis(_strategy_discussion_basis)
    assessments.register_core_assessment_started(_link_open_enquiry)
    casework.register_open_work_check(_open_protection)
    casework.register_latest_step_date(_latest_protection_date)
    casework.register_decision_right(
        SECTION47_CONCLUSION,
        label="Conclusion of a section 47 enquiry",
        apply=conclusion_authorised,
    )


# Plans that do something (issue 16 item 2, decision 0036): outcomes, a contingency plan and
# actions with an owner, a due date and a status changed only by recorded progress.


def _require_current(plan: ChildProtectionPlan | CINPlan) -> None:
    if plan.end_date is not None:
        raise ApplicationError("The plan has ended: it can no longer be changed")


@transaction.atomic
def plan_write(
    *,
    by,
    plan: ChildProtectionPlan,
    outcomes: str,
    contingency: str,
    version: int | None = None,
) -> ChildProtectionPlan:
    """Write the plan's outcomes and its contingency plan."""
    case = plan.case
    _require(by, Action.RECORD, case)
    expect_version(plan, version)
    _require_current(plan)
    outcomes, contingency = outcomes.strip(), contingency.strip()
    if not outcomes:
        raise ApplicationError("Write the outcomes the plan is for", field="outcomes")
    if not contingency:
        raise ApplicationError("Write the contingency plan", field="contingency")
    before = snapshot(plan)
    plan.outcomes, plan.contingency = outcomes, contingency
    save_change(plan, by=by, before=before, person_id=case.child_id)
    return plan


def _check_owner(case: Case, owner_user, owner_agency) -> None:
    if (owner_user is None) == (owner_agency is None):
        raise ApplicationError(
            "Choose who owns the action: a person or an agency, not both", field="owner_user"
        )
    if owner_user is not None and (
        not owner_user.is_active
        or owner_user.agency_id is None
        or owner_user.agency.authority_id != case.authority_id
    ):
        raise ApplicationError(
            "Choose a person who works with this authority's children", field="owner_user"
        )
    if owner_agency is not None and owner_agency.authority_id != case.authority_id:
        raise ApplicationError("Choose one of this authority's agencies", field="owner_agency")


def _action_add(
    *,
    by,
    case: Case,
    start_date: date,
    description: str,
    due_date: date,
    owner_user,
    owner_agency,
    **on_plan,
) -> PlanAction:
    description = description.strip()
    if not description:
        raise ApplicationError("Write what is to be done", field="description")
    _check_owner(case, owner_user, owner_agency)
    if due_date < start_date:
        raise ApplicationError("An action cannot be due before the plan started", field="due_date")
    action = PlanAction(
        description=description,
        due_date=due_date,
        owner_user=owner_user,
        owner_agency=owner_agency,
        **on_plan,
    )
    save_new(action, by=by, person_id=case.child_id)
    return action


@transaction.atomic
def plan_action_add(
    *,
    by,
    plan: ChildProtectionPlan,
    description: str,
    due_date: date,
    owner_user=None,
    owner_agency=None,
) -> PlanAction:
    """Add an action to a current plan, not started."""
    case = plan.case
    _require(by, Action.RECORD, case)
    _require_current(plan)
    return _action_add(
        by=by,
        case=case,
        start_date=plan.start_date,
        description=description,
        due_date=due_date,
        owner_user=owner_user,
        owner_agency=owner_agency,
        plan=plan,
    )


@transaction.atomic
def cin_plan_action_add(
    *,
    by,
    cin_plan: CINPlan,
    description: str,
    due_date: date,
    owner_user=None,
    owner_agency=None,
) -> PlanAction:
    """Add an action to a current child in need plan, not started (decision 0068): the same
    rules as a child protection plan's action."""
    case = cin_plan.case
    _require(by, Action.RECORD, case)
    _require_current(cin_plan)
    return _action_add(
        by=by,
        case=case,
        start_date=cin_plan.start_date,
        description=description,
        due_date=due_date,
        owner_user=owner_user,
        owner_agency=owner_agency,
        cin_plan=cin_plan,
    )


@transaction.atomic
def plan_action_progress(
    *,
    by,
    action: PlanAction,
    recorded_on: date,
    status: str,
    note: str,
    core_group: CoreGroupMeeting | None = None,
    cin_review: CINPlanReview | None = None,
    version: int | None = None,
) -> PlanActionProgress:
    """Record progress on an action (at ``core_group`` for a child protection plan's action,
    at ``cin_review`` for a child in need plan's, or between them): its new status and a
    note. The progress row is kept; the action's status follows it."""
    plan = action.on_plan
    case = plan.case
    if not permissions.can(by, Action.PROGRESS, action):
        raise PermissionDenied("You cannot record progress on this action")
    expect_version(action, version)
    _require_current(plan)
    if status not in ActionStatus.values:
        raise ApplicationError("Choose the action's status", field="status")
    note = note.strip()
    if not note:
        raise ApplicationError("Write what has happened", field="note")
    if core_group is not None:
        if action.is_cin or core_group.plan_id != plan.pk:
            raise ApplicationError("Choose a core group of this plan", field="core_group")
        recorded_on = core_group.meeting_date
    if cin_review is not None:
        if not action.is_cin or cin_review.plan_id != plan.pk:
            raise ApplicationError("Choose a review of this plan", field="cin_review")
        recorded_on = cin_review.review_date
    casework.check_step_date(case, recorded_on, label="date", field="recorded_on")
    if recorded_on < plan.start_date:
        raise ApplicationError("The plan had not started by then", field="recorded_on")
    if status in OPEN_ACTION_STATUSES and action.status not in OPEN_ACTION_STATUSES:
        raise ApplicationError(
            "The action is closed: add a new action if more is needed", field="status"
        )
    progress = PlanActionProgress(
        action=action,
        core_group=core_group,
        cin_review=cin_review,
        recorded_on=recorded_on,
        status=status,
        note=note,
    )
    save_new(progress, by=by, person_id=case.child_id)
    if action.status != status:
        before = snapshot(action)
        action.status = status
        action.closed_on = None if status in OPEN_ACTION_STATUSES else recorded_on
        save_change(action, by=by, before=before, person_id=case.child_id)
    return progress


def cin_review_field(index: int, name: str) -> str:
    """The name of the review form's field ``name`` (``status``, ``note``) for the plan's
    open action at ``index``: where a refusal about that action goes."""
    return f"action_{index}_{name}"


@transaction.atomic
def cin_review_record(
    *,
    by,
    plan: CINPlan,
    review_date: date,
    outcome: str = "",
    progress: list[dict] | None = None,
) -> CINPlanReview:
    """Record a review of a child in need plan and, in the same transaction, the progress on
    each of the plan's open actions gone through at it (decision 0068), as a core group goes
    through a child protection plan's. ``progress``: one ``{"action", "status", "note"}`` a
    row, for every open action of a current plan; each row's date is the review's."""
    _require(by, Action.RECORD, plan.case)
    progress = list(progress or [])
    open_ids = (
        set()
        if plan.end_date is not None
        else set(plan.actions.filter(status__in=OPEN_ACTION_STATUSES).values_list("pk", flat=True))
    )
    given = [row["action"].pk for row in progress]
    if len(set(given)) != len(given) or not set(given) <= open_ids:
        raise ApplicationError("Record progress only on the plan's open actions")
    if set(given) != open_ids:
        raise ApplicationError(
            "Record progress on every open action: the plan's actions changed while you were "
            "writing, so look at them again"
        )
    review = casework.cin_plan_review_record(
        by=by, plan=plan, review_date=review_date, outcome=outcome
    )
    for index, row in enumerate(progress):
        try:
            plan_action_progress(
                by=by,
                action=row["action"],
                recorded_on=review_date,
                status=row["status"],
                note=row["note"],
                cin_review=review,
            )
        except ApplicationError as error:
            if error.field in ("status", "note"):
                raise ApplicationError(
                    error.message, field=cin_review_field(index, error.field)
                ) from error
            raise
    return review


# Independent chairs (issue 15 item 3, decision 0043): the minutes' circulation, and the
# chair's challenges and escalations.


@transaction.atomic
def minutes_circulated(
    *,
    by,
    conference: ChildProtectionConference,
    circulated_on: date,
    version: int | None = None,
) -> ChildProtectionConference:
    """Record the day the conference's chair circulated its minutes: the chair, and nobody
    else, records it; it stops the ``conference_minutes`` clock."""
    case = conference.case
    _require(by, Action.CHAIR, case)
    conference = ChildProtectionConference.objects.select_for_update().get(pk=conference.pk)
    expect_version(conference, version)
    if conference.chaired_by_id != by.pk:
        raise ApplicationError(
            "Only the conference's chair records when its minutes were circulated"
        )
    if conference.minutes_circulated_on is not None:
        raise ApplicationError(
            f"The minutes were circulated on {conference.minutes_circulated_on:%-d %B %Y}"
        )
    casework.check_date(
        circulated_on, label="date the minutes were circulated", field="circulated_on"
    )
    if circulated_on < conference.conference_date:
        raise ApplicationError(
            "The minutes cannot be circulated before the conference", field="circulated_on"
        )
    before = snapshot(conference)
    conference.minutes_circulated_on = circulated_on
    save_change(conference, by=by, before=before, person_id=case.child_id)
    return conference


@transaction.atomic
def challenge_raise(
    *,
    by,
    case: Case,
    kind: str,
    concern: str,
    raised_with: str,
    raised_on: date,
    conference: ChildProtectionConference | None = None,
) -> ChairChallenge:
    """A conference chair raises a challenge or an escalation about the case's practice,
    with someone named; it goes on the child's chronology."""
    _require(by, Action.CHAIR, case)
    if kind not in ChallengeKind.values:
        raise ApplicationError("Choose whether this is a challenge or an escalation", field="kind")
    concern, raised_with = concern.strip(), raised_with.strip()
    if not concern:
        raise ApplicationError("Write what the concern is", field="concern")
    if not raised_with:
        raise ApplicationError("Enter who it was raised with", field="raised_with")
    casework.check_step_date(case, raised_on, label="date it was raised", field="raised_on")
    if conference is not None and conference.case_id != case.pk:
        raise ApplicationError("Choose a conference of this case", field="conference")
    if conference is not None and raised_on < conference.conference_date:
        raise ApplicationError(
            "It cannot be raised before the conference it arose from", field="raised_on"
        )
    item = ChairChallenge(
        case=case,
        conference=conference,
        kind=kind,
        concern=concern,
        raised_with=raised_with,
        raised_on=raised_on,
        raised_by=by,
    )
    save_new(item, by=by, person_id=case.child_id)
    casework.chronology_add(
        by=by,
        child=case.child,
        case=case,
        event_date=raised_on,
        what=f"{ChallengeKind(kind).label} by the conference chair, raised with {raised_with}",
        source_agency=_agency(by),
        outcome=concern[:500],
        source=item,
    )
    return item


@transaction.atomic
def challenge_resolve(
    *,
    by,
    challenge: ChairChallenge,
    resolved_on: date,
    resolution: str,
    version: int | None = None,
) -> ChairChallenge:
    """Record when and how a challenge or escalation was resolved (by a conference chair
    who sees the case: the one who raised it, or one covering for them)."""
    case = challenge.case
    _require(by, Action.CHAIR, case)
    challenge = ChairChallenge.objects.select_for_update().get(pk=challenge.pk)
    expect_version(challenge, version)
    if challenge.resolved_on is not None:
        raise ApplicationError(f"This was resolved on {challenge.resolved_on:%-d %B %Y}")
    resolution = resolution.strip()
    if not resolution:
        raise ApplicationError("Write how it was resolved", field="resolution")
    casework.check_date(resolved_on, label="date it was resolved", field="resolved_on")
    if resolved_on < challenge.raised_on:
        raise ApplicationError("It cannot be resolved before it was raised", field="resolved_on")
    before = snapshot(challenge)
    challenge.resolved_on, challenge.resolution = resolved_on, resolution
    save_change(challenge, by=by, before=before, verb=ChangeVerb.ENDED, person_id=case.child_id)
    casework.chronology_add(
        by=by,
        child=case.child,
        case=case,
        event_date=resolved_on,
        what=f"{challenge.get_kind_display()} by the conference chair resolved",
        source_agency=_agency(by),
        outcome=resolution[:500],
        source=casework.EndMarker(challenge),
    )
    return challenge
