"""Hand-built records for indicator tests: direct model creation, dates chosen at the edge of
each definition. Every helper takes the shared world and returns what it made."""

from datetime import date
from itertools import count

from safeguard.assessments.models import Assessment
from safeguard.casework.models import Allocation, Case, ManagementDecision, Visit
from safeguard.people.models import Person
from safeguard.protection.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    CoreGroupMeeting,
    Section47Enquiry,
    StrategyDiscussion,
)
from safeguard.referrals.models import Referral

_names = count(1)


def child(world) -> Person:
    n = next(_names)
    return Person.objects.create(
        authority=world.authority,
        given_names=f"Kid{n}",
        family_name="Figures",
        date_of_birth=date(2015, 1, 1),
    )


def case(
    world,
    who=None,
    *,
    referred: date,
    closed: date | None = None,
    nfa=False,
    worker=None,
    team=None,
    allocated: date | None = None,
    authority=None,
) -> Case:
    c = Case.objects.create(
        child=who or child(world),
        authority=authority or world.authority,
        referral_date=referred,
        referral_source="6",
        referral_nfa=nfa,
        closure_date=closed,
        closure_reason="RC8" if closed else "",
    )
    if worker is not None:
        Allocation.objects.create(
            case=c, worker=worker, team=team or world.team_a, start_date=allocated or referred
        )
    return c


def referral(world, c: Case, *, received: date, decided: date) -> Referral:
    return Referral.objects.create(
        case=c,
        received_date=received,
        decision="assessment",
        decision_date=decided,
        decided_by=world.tm_carol,
    )


def assessment(c: Case, *, start: date, done: date | None, kind="single") -> Assessment:
    return Assessment.objects.create(case=c, kind=kind, start_date=start, completed_date=done)


def s47(world, c: Case, *, start: date, icpc: date | None = None) -> Section47Enquiry:
    strategy = StrategyDiscussion.objects.create(
        case=c, discussion_date=start, decision="s47", chaired_by=world.tm_carol
    )
    enquiry = Section47Enquiry.objects.create(
        case=c, strategy_discussion=strategy, start_date=start
    )
    if icpc is not None:
        ChildProtectionConference.objects.create(
            case=c,
            kind="initial",
            conference_date=icpc,
            section47=enquiry,
            decision="plan",
            chaired_by=world.tm_carol,
        )
    return enquiry


def plan(
    world,
    c: Case,
    *,
    start: date,
    end: date | None = None,
    elsewhere=0,
    reviews=(),
    icpc: date | None = None,
    core_groups=(),
) -> ChildProtectionPlan:
    p = ChildProtectionPlan.objects.create(
        case=c,
        start_date=start,
        end_date=end,
        end_reason="risk_reduced" if end else "",
        initial_category="NEG",
        latest_category="NEG",
        previous_plans_elsewhere=elsewhere,
    )
    if icpc is not None:
        ChildProtectionConference.objects.create(
            case=c,
            kind="initial",
            conference_date=icpc,
            plan=p,
            decision="plan",
            chaired_by=world.tm_carol,
        )
    for day in reviews:
        ChildProtectionConference.objects.create(
            case=c,
            kind="review",
            conference_date=day,
            plan=p,
            decision="continue",
            chaired_by=world.tm_carol,
        )
    for day in core_groups:
        CoreGroupMeeting.objects.create(plan=p, meeting_date=day)
    return p


def visit(world, c: Case, day: date, *, seen=True) -> Visit:
    return Visit.objects.create(
        case=c, kind="cp", visit_date=day, worker=world.sw_amy, child_seen=seen
    )


def decision(world, c: Case, day: date, *, by=None) -> ManagementDecision:
    return ManagementDecision.objects.create(
        case=c, decision_date=day, decision="Continue", decided_by=by or world.tm_carol
    )
