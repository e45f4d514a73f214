"""Issue 13, item 1: every decision sets the next clock, the step is met only by the record
it expects, and "decided but not started" is a queue of its own whose items are also due.

The steps are recorded through the real services where they are stable, so that the test
proves the decision on the real path sets the step; the lists read the outstanding items
table (``timescales.projection``), as the pages do.
"""

import tomllib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.casework.services import direct_work_record
from safeguard.core.workdays import add_working_days
from safeguard.earlyhelp.services import eha_start
from safeguard.protection.services import section47_start, strategy_discussion_record
from safeguard.referrals.management.commands.load_thresholds import DEFAULT_FILE
from safeguard.referrals.services import contact_decide, contact_record, thresholds_load
from safeguard.testing.journey import open_case
from safeguard.timescales.selectors import DueFilter, due_entries, due_for_service, due_for_worker
from safeguard.timescales.tests.factories import (
    make_assessment,
    make_cin_plan,
    make_strategy_discussion,
    make_visit,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = add_working_days(TODAY, -8)  # a working day in the recent past: decisions are made on it
ATTENDEES = [
    {"name": "Amy Adeyemi", "agency": "Children's social care"},
    {"name": "DC Pat Price", "agency": "Police"},
]


def steps(rows) -> dict[str, object]:
    """The next steps among due rows, by rule id: their due dates."""
    return {r.item.rule.id: r.item.due_date for r in rows if r.item.rule.next_step}


def case_steps(world, case) -> dict[str, object]:
    return steps(r for r in due_for_service(world.authority, on=TODAY) if r.case == case)


@pytest.fixture
def levels(world):
    with DEFAULT_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    loaded = thresholds_load(by=None, authority=world.authority, data=data)
    return {level.number: level for level in loaded}


def decided_contact(world, levels, outcome, child=None):
    contact = contact_record(
        by=world.sw_amy, child=child or world.child_sam, contact_date=DAY, source="2A",
        reason="Bruise on his arm; often hungry at school",
    )  # fmt: skip
    # The level whose usual outcome it is; no further action departs from level 1's advice,
    # with a manager's agreement.
    level = {"referral": levels[4], "early_help": levels[2]}.get(outcome, levels[1])
    departs = outcome == "nfa"
    contact_decide(
        by=world.sw_amy, contact=contact, level=level, indicators=[level.indicators.first()],
        rationale="Unexplained injury", outcome=outcome, decision_date=DAY,
        manager=world.tm_carol if departs else None,
        manager_reason="Family already supported by the school" if departs else "",
    )  # fmt: skip
    contact.refresh_from_db()
    return contact


# --- The front door --------------------------------------------------------------------------


def test_a_contact_decided_for_referral_waits_for_its_referral(world, levels):
    contact = decided_contact(world, levels, "referral")
    mine = due_for_worker(world.sw_amy, on=TODAY)
    assert steps(mine) == {"contact_referral": add_working_days(DAY, 1)}
    [row] = mine
    assert row.contact == contact and row.case is None and row.item.status == "overdue"
    # A referral of another child does not answer it.
    open_case(world, world.child_tom, received=DAY)
    assert "contact_referral" in steps(due_for_worker(world.sw_amy, on=TODAY))
    # The referral made from the contact meets it.
    from safeguard.referrals.services import referral_record

    referral_record(
        by=world.sw_amy, child=world.child_sam, received_date=DAY, source="2A",
        decision="assessment", decision_date=DAY, contact=contact, primary_need="N1",
    )  # fmt: skip
    assert "contact_referral" not in steps(due_for_worker(world.sw_amy, on=TODAY))


def test_a_contact_decided_for_early_help_waits_for_an_early_help_assessment(world, levels):
    contact = decided_contact(world, levels, "early_help")
    assert steps(due_for_worker(world.sw_amy, on=TODAY)) == {
        "contact_early_help": add_working_days(DAY, world.authority.early_help_start_wd)
    }
    # An assessment of another child leaves it open.
    eha_start(
        by=world.sw_amy, child=world.child_tom, start_date=DAY, consent_given=True,
        consent_date=DAY, organisation_other="Little Acorns Nursery", lead_name="Lee Lead",
        lead_agency="School",
    )  # fmt: skip
    assert "contact_early_help" in steps(due_for_worker(world.sw_amy, on=TODAY))
    eha_start(
        by=world.sw_amy, child=world.child_sam, start_date=DAY + timedelta(days=1),
        consent_given=True, consent_date=DAY, organisation_other="Little Acorns Nursery",
        lead_name="Lee Lead", lead_agency="School", contact=contact,
    )  # fmt: skip
    assert steps(due_for_worker(world.sw_amy, on=TODAY)) == {}


def test_other_front_door_decisions_set_no_step(world, levels):
    decided_contact(world, levels, "advice")
    decided_contact(world, levels, "nfa", child=world.child_tom)
    assert steps(due_for_worker(world.sw_amy, on=TODAY)) == {}


# --- The referral ------------------------------------------------------------------------------


def test_a_referral_for_assessment_sets_the_assessment_and_seeing_the_child(world):
    case = open_case(world, received=DAY)
    assert case_steps(world, case) == {
        "referral_assessment": add_working_days(DAY, 1),
        "referral_child_seen": add_working_days(DAY, 5),
    }
    make_assessment(case, "single", start=DAY + timedelta(days=1))
    assert set(case_steps(world, case)) == {"referral_child_seen"}
    # A visit at which the child was not seen does not meet it; one at which they were does.
    make_visit(case, DAY + timedelta(days=1), by=world.sw_amy, seen=False, kind="cin")
    assert set(case_steps(world, case)) == {"referral_child_seen"}
    make_visit(case, DAY + timedelta(days=2), by=world.sw_amy, kind="cin")
    assert case_steps(world, case) == {}


def test_direct_work_with_the_child_meets_the_step(world):
    """A session of direct work is done with the child, so the child was seen: the same list
    of sightings as the days since seen (decision 0070) meets the referral's step."""
    case = open_case(world, received=DAY)
    assert "referral_child_seen" in case_steps(world, case)
    direct_work_record(
        by=world.sw_amy, case=case, work_date=DAY + timedelta(days=1), where="At school",
        purpose="Three houses: worries, good things, wishes",
        child_views="I like it when Mum walks me to school",
    )  # fmt: skip
    assert "referral_child_seen" not in case_steps(world, case)


def test_a_sibling_seen_does_not_meet_the_step(world):
    case = open_case(world, received=DAY)
    sibling = open_case(world, world.child_sally, received=DAY)
    make_visit(sibling, DAY, by=world.sw_amy, kind="cin")
    assert "referral_child_seen" in case_steps(world, case)
    assert "referral_child_seen" not in case_steps(world, sibling)


def test_a_referral_for_a_strategy_discussion_waits_for_one_in_its_case(world):
    case = open_case(world, received=DAY, decision="strategy")
    assert case_steps(world, case) == {
        "referral_strategy": add_working_days(DAY, 1),
        "referral_child_seen": add_working_days(DAY, 5),
    }
    other = open_case(world, world.child_tom, received=DAY)
    strategy_discussion_record(
        by=world.sw_amy, case=other, discussion_date=DAY, attendees=ATTENDEES, decision="no_s47"
    )
    assert "referral_strategy" in case_steps(world, case)
    strategy_discussion_record(
        by=world.sw_amy, case=case, discussion_date=DAY, attendees=ATTENDEES, decision="no_s47"
    )
    assert "referral_strategy" not in case_steps(world, case)


def test_no_further_action_sets_nothing(world):
    case = open_case(world, received=DAY, decision="nfa")
    assert case_steps(world, case) == {}


# --- Strategy, enquiry, assessment outcomes ------------------------------------------------


def test_a_strategy_discussion_deciding_on_an_enquiry_waits_for_it(world):
    case = open_case(world, received=DAY, decision="strategy")
    discussion = strategy_discussion_record(
        by=world.sw_amy, case=case, discussion_date=DAY, attendees=ATTENDEES, decision="s47"
    )
    assert case_steps(world, case)["strategy_section47"] == add_working_days(DAY, 1)
    section47_start(by=world.sw_amy, case=case, strategy_discussion=discussion, start_date=DAY)
    assert "strategy_section47" not in case_steps(world, case)


def test_a_strategy_discussion_deciding_against_an_enquiry_sets_none(world):
    case = open_case(world, received=DAY, decision="strategy")
    make_strategy_discussion(case, by=world.sw_amy, on=DAY, decision="no_s47")
    assert "strategy_section47" not in case_steps(world, case)


@pytest.mark.parametrize(
    ("outcome", "rule", "standard"),
    [
        ("strategy", "assessment_strategy", "strategy_discussion_wd"),
        ("cin_plan", "assessment_cin_plan", "cin_plan_start_wd"),
        ("early_help", "assessment_early_help", "early_help_start_wd"),
    ],
)
def test_an_assessment_outcome_sets_its_next_step(world, outcome, rule, standard):
    case = open_case(world, received=DAY - timedelta(days=14))
    make_visit(case, DAY - timedelta(days=13), by=world.sw_amy, kind="cin")
    assessment = make_assessment(case, "single", start=DAY - timedelta(days=13), completed=DAY)
    assessment.outcome = outcome
    assessment.save()
    due = add_working_days(DAY, getattr(world.authority, standard))
    assert case_steps(world, case) == {rule: due}


def test_each_assessment_outcome_is_met_by_its_record_and_not_another(world):
    case = open_case(world, received=DAY - timedelta(days=14))
    make_visit(case, DAY - timedelta(days=13), by=world.sw_amy, kind="cin")
    assessment = make_assessment(case, "single", start=DAY - timedelta(days=13), completed=DAY)
    assessment.outcome = "cin_plan"
    assessment.save()
    # A plan in another child's case is not this one's.
    other = open_case(world, world.child_tom, received=DAY)
    make_cin_plan(other, start=DAY)
    assert "assessment_cin_plan" in case_steps(world, case)
    make_cin_plan(case, start=DAY)
    assert "assessment_cin_plan" not in case_steps(world, case)


def test_a_closed_case_has_nothing_left_to_start(world):
    case = open_case(world, received=DAY)
    case.closure_date, case.closure_reason = DAY + timedelta(days=1), "RC8"
    case.save()
    assert case_steps(world, case) == {}


# --- The queue and the way to the form -------------------------------------------------------


def test_decided_but_not_started_is_a_queue_whose_items_are_also_due(world, client, levels):
    case = open_case(world, received=DAY)
    make_cin_plan(case, start=DAY)
    decided_contact(world, levels, "referral", child=world.child_tom)
    queue = due_entries(world.authority, on=TODAY, where=DueFilter(next_step=True))
    assert {e.rule_id for e in queue} == {
        "referral_assessment", "referral_child_seen", "contact_referral",
    }
    client.force_login(world.tm_carol)
    page = client.get(reverse("timescales:next-steps"))
    assert page.status_code == 200
    assert {r.item.rule.id for r in page.context["rows"]} == {e.rule_id for e in queue}
    # The same items are on the service's due list, beside the plan's own clocks.
    due = {r.item.rule.id for r in due_for_service(world.authority, on=TODAY)}
    assert due >= {e.rule_id for e in queue} | {"cin_plan_review"}
    content = page.content.decode()
    assert reverse("assessments:start", args=[case.pk]) in content
    assert reverse("referrals:referral-new", args=[world.child_tom.pk]) in content


def test_a_worker_sees_only_their_own_next_steps(world, client, levels):
    decided_contact(world, levels, "referral")
    client.force_login(world.sw_ben)
    assert client.get(reverse("timescales:next-steps")).context["rows"] == []
    client.force_login(world.sw_amy)
    rows = client.get(reverse("timescales:next-steps")).context["rows"]
    assert [r.item.rule.id for r in rows] == ["contact_referral"]


def test_from_the_home_page_to_a_saved_visit_in_three_page_loads(world, client):
    from safeguard.casework import services as casework

    case = open_case(world, received=DAY)
    casework.case_allocate(
        by=world.tm_carol, case=case, worker=world.sw_amy, team=world.team_a, start_date=DAY, reason="Test"
    )
    client.force_login(world.sw_amy)
    home = client.get(reverse("work:home"))  # 1
    visit_form = reverse("casework:visit-new", args=[case.pk])
    assert visit_form in home.content.decode()
    assert client.get(visit_form).status_code == 200  # 2
    saved = client.post(  # 3: the visit is saved and the case page follows
        visit_form,
        {"kind": "cin", "visit_date_day": str(TODAY.day), "visit_date_month": str(TODAY.month),
         "visit_date_year": str(TODAY.year), "worker": str(world.sw_amy.pk),
         "child_seen": "yes", "notes": "Seen at home with his mother."},
    )  # fmt: skip
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert case.visits.filter(child_seen=True).exists()
    assert "referral_child_seen" not in case_steps(world, case)


def test_a_strategy_discussion_held_during_the_assessment_answers_its_conclusion(world):
    case = open_case(world, received=DAY - timedelta(days=14), decision="strategy")
    make_strategy_discussion(case, by=world.sw_amy, on=DAY - timedelta(days=14))
    make_visit(case, DAY - timedelta(days=13), by=world.sw_amy, kind="cin")
    assessment = make_assessment(case, "single", start=DAY - timedelta(days=12), completed=DAY)
    assessment.outcome = "strategy"
    assessment.save()
    assert "assessment_strategy" not in case_steps(world, case)


def test_a_plan_already_running_answers_an_assessment_concluding_with_one(world):
    case = open_case(world, received=DAY - timedelta(days=20))
    make_visit(case, DAY - timedelta(days=19), by=world.sw_amy, kind="cin")
    ended = make_cin_plan(case, start=DAY - timedelta(days=19), end=DAY - timedelta(days=5))
    assessment = make_assessment(case, "single", start=DAY - timedelta(days=12), completed=DAY)
    assessment.outcome = "cin_plan"
    assessment.save()
    assert "assessment_cin_plan" in case_steps(world, case)  # that plan ended before
    ended.end_date = None
    ended.save()
    assert "assessment_cin_plan" not in case_steps(world, case)


def test_an_unborn_child_is_to_be_seen_only_once_born(world):
    case = open_case(world, world.unborn, received=DAY)
    assert "referral_child_seen" not in case_steps(world, case)
    assert "referral_assessment" in case_steps(world, case)
    born = DAY + timedelta(days=2)
    world.unborn.date_of_birth = born
    world.unborn.save()
    assert case_steps(world, case)["referral_child_seen"] == add_working_days(born, 5)
