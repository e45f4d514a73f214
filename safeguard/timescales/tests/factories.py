"""Small builders for the records the timescale rules read, made straight through the ORM."""

from datetime import date

from safeguard.accounts.models import User
from safeguard.assessments.models import Assessment
from safeguard.casework.codes import ClosureReason, ReferralSource
from safeguard.casework.models import Allocation, Case, CINPlan, CINPlanReview, Visit
from safeguard.people.models import Person
from safeguard.protection.codes import CategoryOfAbuse, PlanEndReason
from safeguard.protection.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    ConferenceDecision,
    ConferenceKind,
    CoreGroupMeeting,
    Section47Enquiry,
    StrategyDecision,
    StrategyDiscussion,
)
from safeguard.referrals.models import Referral, ReferralDecision


def make_case(child: Person, *, referral_date: date, closure_date: date | None = None,
              nfa: bool = False) -> Case:
    return Case.objects.create(
        child=child, authority=child.authority, referral_date=referral_date,
        referral_source=ReferralSource.SCHOOLS, referral_nfa=nfa, closure_date=closure_date,
        closure_reason=ClosureReason.RC7 if closure_date else "",
    )


def make_referral(case: Case, *, by: User, received: date, decided: date) -> Referral:
    return Referral.objects.create(
        case=case, received_date=received, decision=ReferralDecision.ASSESSMENT,
        decision_date=decided, decided_by=by,
    )


def make_assessment(case: Case, kind: str, *, start: date, completed: date | None = None) -> Assessment:
    return Assessment.objects.create(case=case, kind=kind, start_date=start, completed_date=completed)


def make_section47(case: Case, *, by: User, discussion: date, start: date | None = None,
                   end: date | None = None, outcome: str = "") -> Section47Enquiry:
    strategy = StrategyDiscussion.objects.create(
        case=case, discussion_date=discussion, decision=StrategyDecision.SECTION_47, chaired_by=by,
    )
    return Section47Enquiry.objects.create(
        case=case, strategy_discussion=strategy, start_date=start or discussion,
        end_date=end, outcome=outcome,
    )


def make_strategy_discussion(case: Case, *, by: User, on: date,
                             decision: str = StrategyDecision.SECTION_47) -> StrategyDiscussion:
    return StrategyDiscussion.objects.create(
        case=case, discussion_date=on, decision=decision, chaired_by=by,
    )


def make_conference(case: Case, kind: str, *, by: User, on: date,
                    section47: Section47Enquiry | None = None,
                    plan: ChildProtectionPlan | None = None,
                    decision: str = ConferenceDecision.PLAN) -> ChildProtectionConference:
    return ChildProtectionConference.objects.create(
        case=case, kind=kind, conference_date=on, section47=section47, plan=plan,
        decision=decision, chaired_by=by,
    )


def make_cp_plan(case: Case, *, start: date, end: date | None = None) -> ChildProtectionPlan:
    return ChildProtectionPlan.objects.create(
        case=case, start_date=start, end_date=end,
        end_reason=PlanEndReason.RISK_REDUCED if end else "",
        initial_category=CategoryOfAbuse.NEGLECT, latest_category=CategoryOfAbuse.NEGLECT,
    )


def make_plan_from_icpc(case: Case, s47: Section47Enquiry, *, by: User, on: date,
                        end: date | None = None) -> ChildProtectionPlan:
    """An initial conference on ``on`` that makes a plan starting the same day."""
    plan = make_cp_plan(case, start=on, end=end)
    make_conference(case, ConferenceKind.INITIAL, by=by, on=on, section47=s47, plan=plan)
    return plan


def make_review(case: Case, plan: ChildProtectionPlan, *, by: User, on: date) -> ChildProtectionConference:
    return make_conference(case, ConferenceKind.REVIEW, by=by, on=on, plan=plan,
                           decision=ConferenceDecision.CONTINUE)


def make_core_group(plan: ChildProtectionPlan, on: date) -> CoreGroupMeeting:
    return CoreGroupMeeting.objects.create(plan=plan, meeting_date=on)


def make_visit(case: Case, on: date, *, by: User, seen: bool = True, kind: str = "cp") -> Visit:
    return Visit.objects.create(case=case, kind=kind, visit_date=on, worker=by, child_seen=seen)


def make_cin_plan(case: Case, *, start: date, end: date | None = None) -> CINPlan:
    return CINPlan.objects.create(case=case, start_date=start, end_date=end)


def make_cin_review(plan: CINPlan, on: date) -> CINPlanReview:
    return CINPlanReview.objects.create(plan=plan, review_date=on)


def allocate(case: Case, worker: User, team, *, start: date, end: date | None = None) -> Allocation:
    return Allocation.objects.create(case=case, worker=worker, team=team, start_date=start, end_date=end)
