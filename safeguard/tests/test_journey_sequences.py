"""Invalid sequences and bad dates are refused with a reason, and nothing is stored."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from safeguard.assessments import services as assessments
from safeguard.audit.models import ChangeEvent
from safeguard.casework import services as casework
from safeguard.casework.models import Case, ChronologyEntry
from safeguard.core.errors import ApplicationError
from safeguard.protection import services as protection
from safeguard.protection.models import ChildProtectionConference, ChildProtectionPlan
from safeguard.referrals.services import referral_record
from safeguard.testing.journey import close_case, open_case

pytestmark = pytest.mark.django_db

ATTENDEES = [{"agency": "Children's social care", "name": "Amy"}, {"agency": "Police", "name": "DC Pat"}]


def _snapshot():
    return (Case.objects.count(), ChangeEvent.objects.count(), ChronologyEntry.objects.count(),
            ChildProtectionPlan.objects.count(), ChildProtectionConference.objects.count())


# A whole written assessment (the worker's sections), for submitting one.
WRITTEN = {
    "developmental_needs": "Meeting milestones.", "parenting_capacity": "Warm; routines slipping.",
    "family_environment": "Settled housing.", "history": "One earlier contact.",
    "wishes_and_feelings": "“I want to stay at home.”", "analysis": "Needs are met at home.",
    "recommendation": "Close with advice.",
}  # fmt: skip


def _refused(match, fn, **kwargs):
    before = _snapshot()
    with pytest.raises(ApplicationError, match=match):
        fn(**kwargs)
    assert _snapshot() == before


QUORATE = {"Children's social care": True, "Police": True, "Health": True}


def _plan(world, case):
    sd = protection.strategy_discussion_record(by=world.sw_amy, case=case, discussion_date=date(2025, 3, 3),
                                               attendees=ATTENDEES, decision="s47")
    s47 = protection.section47_start(by=world.sw_amy, case=case, strategy_discussion=sd, start_date=date(2025, 3, 3))
    icpc = protection.icpc_record(by=world.sw_amy, chair=world.chair_iris, section47=s47, conference_date=date(2025, 3, 20),
                                  attendance=QUORATE, decision="plan", category="NEG",
                                  outline_plan="Keep safe", core_group_members=ATTENDEES)
    return icpc.plan


def test_dates_in_the_future_or_before_the_referral_are_refused(world):
    case = open_case(world, received=date(2025, 3, 3))
    tomorrow = timezone.localdate() + timedelta(days=1)
    _refused("cannot be in the future", casework.visit_record, by=world.sw_amy, case=case, kind="cin",
             visit_date=tomorrow, child_seen=True)
    _refused("cannot be before the referral", casework.visit_record, by=world.sw_amy, case=case, kind="cin",
             visit_date=date(2025, 3, 2), child_seen=True)
    _refused("cannot be before the referral", assessments.assessment_start, by=world.sw_amy, case=case,
             kind="single", start_date=date(2025, 1, 1))
    _refused("cannot be in the future", referral_record, by=world.sw_amy, child=world.child_tom,
             received_date=tomorrow, source="6", decision="assessment", decision_date=tomorrow,
             primary_need="N1")


def test_a_second_referral_while_a_case_is_open_is_refused(world):
    open_case(world, received=date(2025, 3, 3))
    _refused("already has an open case", referral_record, by=world.sw_amy, child=world.child_sam,
             received_date=date(2025, 4, 1), source="2A", decision="assessment", decision_date=date(2025, 4, 1),
             primary_need="N1")


def test_a_review_needs_an_initial_conference_and_must_follow_the_last_one(world):
    case = open_case(world, received=date(2025, 3, 3))
    plan = _plan(world, case)
    _refused("must come after the last conference", protection.review_conference_record, by=world.sw_amy, chair=world.chair_iris,
             plan=plan, conference_date=date(2025, 3, 19), attendance={}, decision="continue")
    # A plan with no initial conference (imported, say) cannot be reviewed.
    orphan = ChildProtectionPlan.objects.create(case=case, start_date=date(2025, 1, 1),
                                                initial_category="NEG", latest_category="NEG",
                                                end_date=date(2025, 2, 1), end_reason="risk_reduced")
    _refused("needs an initial conference", protection.review_conference_record, by=world.sw_amy, chair=world.chair_iris,
             plan=orphan, conference_date=date(2025, 6, 1), attendance={}, decision="continue")


def test_a_case_with_an_open_plan_cannot_be_closed(world):
    case = open_case(world, received=date(2025, 3, 3))
    _plan(world, case)
    _refused("child protection plan is still open", casework.case_close, by=world.sw_amy, case=case,
             closure_date=date(2025, 6, 1), reason="RC7")


def test_closing_with_an_assessment_reason_needs_an_assessment(world):
    case = open_case(world, received=date(2025, 3, 3))
    _refused("no completed assessment", casework.case_close, by=world.sw_amy, case=case,
             closure_date=date(2025, 3, 10), reason="RC8")
    a = assessments.assessment_start(by=world.sw_amy, case=case, kind="single", start_date=date(2025, 3, 4))
    _refused("has not been authorised", casework.case_close, by=world.sw_amy, case=case,
             closure_date=date(2025, 3, 10), reason="RC8")
    assessments.assessment_record_seen(by=world.sw_amy, assessment=a, child_seen_date=date(2025, 3, 15),
                                       child_seen_alone=False)
    assessments.assessment_submit(by=world.sw_amy, assessment=a, factors=["21"], primary_need="N9", outcome="nfa",
                                  **WRITTEN)
    assessments.assessment_authorise(by=world.tm_carol, assessment=a, decision="agree", decided_on=date(2025, 3, 20))
    casework.visit_record(by=world.sw_amy, case=case, kind="assessment", visit_date=date(2025, 3, 15),
                          child_seen=True)
    _refused("before the last recorded step", casework.case_close, by=world.sw_amy, case=case,
             closure_date=date(2025, 3, 12), reason="RC8")
    # The authorisation on 20 March is a step too, though casework cannot see assessments.
    _refused("before the last recorded step", casework.case_close, by=world.sw_amy, case=case,
             closure_date=date(2025, 3, 19), reason="RC8")
    close_case(by=world.sw_amy, case=case, closure_date=date(2025, 3, 21), reason="RC8")
    case.refresh_from_db()
    assert (case.closure_date, case.closure_reason, case.primary_need) == (date(2025, 3, 21), "RC8", "N9")


def test_only_managers_authorise_assessments(world):
    case = open_case(world, received=date(2025, 3, 3))
    a = assessments.assessment_start(by=world.sw_amy, case=case, kind="single", start_date=date(2025, 3, 4))
    assessments.assessment_submit(by=world.sw_amy, assessment=a, factors=["16A"], primary_need="N1",
                                  outcome="cin_plan", **WRITTEN)
    with pytest.raises(PermissionDenied):
        assessments.assessment_authorise(by=world.sw_amy, assessment=a, decision="agree",
                                         decided_on=date(2025, 3, 20))


def test_no_factors_cannot_be_combined(world):
    case = open_case(world, received=date(2025, 3, 3))
    a = assessments.assessment_start(by=world.sw_amy, case=case, kind="single", start_date=date(2025, 3, 4))
    _refused("cannot be combined", assessments.assessment_submit, by=world.sw_amy, assessment=a,
             factors=["21", "16A"], primary_need="N1", outcome="cin_plan", **WRITTEN)


def test_the_assessment_kind_follows_the_rule_set(world):
    case = open_case(world, received=date(2025, 3, 3))
    _refused("child and family assessment", assessments.assessment_start, by=world.sw_amy, case=case,
             kind="initial", start_date=date(2025, 3, 4))
    world.authority.rule_set = "wt2010"
    world.authority.save()
    case.refresh_from_db()
    _refused("core assessment follows a completed initial", assessments.assessment_start, by=world.sw_amy,
             case=case, kind="core", start_date=date(2025, 3, 4))
    assert assessments.assessment_start(by=world.sw_amy, case=case, kind="initial",
                                        start_date=date(2025, 3, 4)).kind == "initial"


def test_section_47_needs_a_strategy_discussion_that_decided_on_one(world):
    case = open_case(world, received=date(2025, 3, 3))
    sd = protection.strategy_discussion_record(by=world.sw_amy, case=case, discussion_date=date(2025, 3, 4),
                                               attendees=ATTENDEES, decision="no_s47")
    _refused("did not decide on a section 47", protection.section47_start, by=world.sw_amy, case=case,
             strategy_discussion=sd, start_date=date(2025, 3, 4))
    _refused("at least two agencies", protection.strategy_discussion_record, by=world.sw_amy, case=case,
             discussion_date=date(2025, 3, 4), attendees=ATTENDEES[:1], decision="s47")


def test_an_nfa_referral_opens_and_closes_the_episode_on_the_day(world):
    case = open_case(world, received=date(2025, 3, 3), decision="nfa")
    assert (case.referral_nfa, case.closure_date, case.closure_reason) == (True, date(2025, 3, 3), "RC7")
    # A new referral the next day is a new episode.
    assert open_case(world, received=date(2025, 3, 4)).referral_date == date(2025, 3, 4)


def test_a_plan_ends_at_18_only_when_the_child_is_18(world):
    case = open_case(world, received=date(2025, 3, 3))
    plan = _plan(world, case)
    _refused("was not 18", protection.plan_end_without_conference, by=world.sw_amy, plan=plan,
             end_date=date(2025, 6, 1), reason="eighteen")


def test_a_plan_that_continues_takes_no_end_reason(world):
    case = open_case(world, received=date(2025, 3, 3))
    plan = _plan(world, case)
    _refused("only when the plan ends", protection.review_conference_record, by=world.sw_amy, chair=world.chair_iris, plan=plan,
             conference_date=date(2025, 6, 1), attendance={}, decision="continue", end_reason="risk_reduced")


def test_a_child_in_need_plan_cannot_run_beside_a_protection_plan(world):
    case = open_case(world, received=date(2025, 3, 3))
    _plan(world, case)
    _refused("on a child protection plan", casework.cin_plan_start, by=world.sw_amy, case=case,
             start_date=date(2025, 4, 1))


def test_a_protection_plan_ends_the_child_in_need_plan(world):
    """Stepping up: the ICPC's plan starts the day the child in need plan ends."""
    case = open_case(world, received=date(2025, 3, 3))
    cin_plan = casework.cin_plan_start(by=world.sw_amy, case=case, start_date=date(2025, 3, 3))
    plan = _plan(world, case)
    cin_plan.refresh_from_db()
    assert cin_plan.end_date == plan.start_date == date(2025, 3, 20)


def test_no_visit_falls_due_before_an_unborn_child_is_born(world):
    """A pre-birth plan asks for visits once the child is born, not before."""
    from safeguard.timescales.engine import case_timescales

    case = open_case(world, world.unborn, received=date(2025, 3, 3))
    plan = _plan(world, case)
    items = {i.rule.id for i in case_timescales(case, on=date(2025, 6, 2)) if i.is_outstanding}
    assert "cp_visit" not in items
    world.unborn.date_of_birth, world.unborn.expected_date_of_birth = date(2025, 6, 2), None
    world.unborn.save()
    case.refresh_from_db()
    visit = next(i for i in case_timescales(case, on=date(2025, 6, 3)) if i.rule.id == "cp_visit")
    assert (visit.start_date, plan.start_date) == (date(2025, 6, 2), date(2025, 3, 20))
