"""The engine: due dates for every rule of every rule set, derived from recorded events."""

from dataclasses import replace
from datetime import date as d

import pytest

from safeguard.casework.models import Case
from safeguard.core.workdays import add_working_days
from safeguard.protection.models import ConferenceKind
from safeguard.timescales import rules
from safeguard.timescales.engine import (
    case_timescales,
    outstanding,
    timescales_for_cases,
)
from safeguard.timescales.rules import INCLUSIVE, RULE_SETS
from safeguard.timescales.tests.factories import (
    make_assessment,
    make_case,
    make_cin_plan,
    make_cin_review,
    make_conference,
    make_core_group,
    make_cp_plan,
    make_plan_from_icpc,
    make_referral,
    make_review,
    make_section47,
    make_strategy_discussion,
    make_visit,
)

pytestmark = pytest.mark.django_db


def table(items) -> dict[str, list[tuple]]:
    """Items by rule id, as (start, due, done, status) in due-date order."""
    out: dict[str, list[tuple]] = {}
    for item in items:
        out.setdefault(item.rule.id, []).append(
            (item.start_date, item.due_date, item.done_date, item.status)
        )
    return out


def by_rule(items, rule_id):
    return [i for i in items if i.rule.id == rule_id]


# --- One child's journey through every rule ---------------------------------------------
#
# Referral on Christmas Eve 2024; assessments; a child in need plan from March 2025 with
# visits and a review (across Easter); escalation to a section 47 enquiry in May, an initial
# conference the Friday before the late May bank holiday, and a child protection plan with
# core groups, a review and visits (across the August bank holiday). Seen from 10 Sept 2025.

ON = d(2025, 9, 10)


@pytest.fixture
def journey(world):
    by = world.sw_amy
    case = make_case(world.child_sam, referral_date=d(2024, 12, 24))
    make_referral(case, by=by, received=d(2024, 12, 24), decided=d(2024, 12, 27))
    make_assessment(case, "initial", start=d(2024, 12, 24), completed=d(2025, 1, 9))
    make_assessment(case, "core", start=d(2025, 1, 9), completed=d(2025, 3, 3))
    make_assessment(case, "single", start=d(2024, 12, 30), completed=d(2025, 2, 28))
    cin = make_cin_plan(case, start=d(2025, 3, 3), end=d(2025, 5, 23))
    make_visit(case, d(2025, 3, 27), by=by, kind="cin")
    make_cin_review(cin, d(2025, 4, 30))
    make_visit(case, d(2025, 5, 1), by=by, kind="cin")
    s47 = make_section47(case, by=by, discussion=d(2025, 5, 2), end=d(2025, 5, 20), outcome="icpc")
    plan = make_plan_from_icpc(case, s47, by=by, on=d(2025, 5, 23))
    make_visit(case, d(2025, 6, 5), by=by)
    make_core_group(plan, d(2025, 6, 6))
    make_visit(case, d(2025, 6, 16), by=by, seen=False)
    make_visit(case, d(2025, 6, 20), by=by)
    make_core_group(plan, d(2025, 7, 4))
    make_core_group(plan, d(2025, 8, 5))
    make_review(case, plan, by=by, on=d(2025, 8, 22))
    return case


COMMON = {
    # Christmas Day and Boxing Day 2024 are bank holidays.
    "referral_decision": [(d(2024, 12, 24), d(2024, 12, 27), d(2024, 12, 27), "met")],
    # 2 May to 27 May 2025 passes two bank holidays (5 and 26 May).
    "icpc": [(d(2025, 5, 2), d(2025, 5, 27), d(2025, 5, 23), "met")],
    "first_core_group": [(d(2025, 5, 23), d(2025, 6, 9), d(2025, 6, 6), "met")],
    "core_group": [
        (d(2025, 6, 6), d(2025, 7, 4), d(2025, 7, 4), "met"),
        (d(2025, 7, 4), d(2025, 8, 1), d(2025, 8, 5), "late"),
        # Across the August bank holiday (25 August 2025).
        (d(2025, 8, 5), d(2025, 9, 3), None, "overdue"),
    ],
    # 3 calendar months from 23 May 2025 is Saturday 23 August.
    "first_review_conference": [(d(2025, 5, 23), d(2025, 8, 23), d(2025, 8, 22), "met")],
    "review_conference": [(d(2025, 8, 22), d(2026, 2, 22), None, "due")],
    "cp_visit": [
        (d(2025, 5, 23), d(2025, 6, 9), d(2025, 6, 5), "met"),
        (d(2025, 6, 5), d(2025, 6, 19), d(2025, 6, 20), "late"),
        (d(2025, 6, 20), d(2025, 7, 4), None, "overdue"),
    ],
    # The CIN plan ended when the CP plan began, so its last clock is not shown.
    "cin_visit": [
        (d(2025, 3, 3), d(2025, 3, 31), d(2025, 3, 27), "met"),
        # Across Easter 2025 (18 and 21 April).
        (d(2025, 3, 27), d(2025, 4, 28), d(2025, 5, 1), "late"),
    ],
    "cin_plan_review": [(d(2025, 3, 3), d(2025, 6, 3), d(2025, 4, 30), "met")],
    # The next steps the decisions set (issue 13, item 1). The referral was decided on Friday
    # 27 December: the assessment was due on Monday 30 December (begun on 24 December, the day
    # of the referral, it met it), the child to be seen within 5 working days (New Year's Day
    # a bank holiday: Monday 6 January), first seen at the visit of 27 March.
    "referral_assessment": [(d(2024, 12, 27), d(2024, 12, 30), d(2024, 12, 24), "met")],
    "referral_child_seen": [(d(2024, 12, 27), d(2025, 1, 6), d(2025, 3, 27), "late")],
    # The strategy discussion on Friday 2 May decided on an enquiry, due the next working day
    # (Tuesday 6 May, after the early May bank holiday); the enquiry began the same day.
    "strategy_section47": [(d(2025, 5, 2), d(2025, 5, 6), d(2025, 5, 2), "met")],
    # Nobody was ever allocated (issue 14): a manager's review of the waiting case was due 5
    # working days after the referral (Christmas, Boxing Day and New Year's Day bank holidays)
    # and none was held.
    "unallocated_review": [(d(2024, 12, 24), d(2025, 1, 3), None, "overdue")],
    # Neither conference's minutes were recorded as circulated (decision 0043): 20 working
    # days each, across the spring and August bank holidays (26 May, 25 August 2025).
    "conference_minutes": [
        (d(2025, 5, 23), d(2025, 6, 23), None, "overdue"),
        (d(2025, 8, 22), d(2025, 9, 22), None, "due"),
    ],
}
# Next steps this journey's decisions did not set: each has its own tests (test_next_steps.py).
# A plan's actions are dated by the core group, not by a rule: their own tests
# (protection/tests/test_plan_actions.py).
NOT_ON_THE_JOURNEY = {
    "referral_strategy", "assessment_strategy", "assessment_cin_plan", "assessment_early_help",
    "plan_action",
}

EXPECTED = {
    "wt2013": {
        **COMMON,
        "single_assessment": [(d(2024, 12, 24), d(2025, 2, 28), d(2025, 2, 28), "met")],
    },
    "wt2010": {
        **COMMON,
        # 10 working days from Christmas Eve, New Year's Day a bank holiday.
        "initial_assessment": [(d(2024, 12, 24), d(2025, 1, 10), d(2025, 1, 9), "met")],
        "core_assessment": [(d(2025, 1, 9), d(2025, 2, 27), d(2025, 3, 3), "late")],
    },
    "wt2006": {
        **COMMON,
        "initial_assessment": [(d(2024, 12, 24), d(2025, 1, 7), d(2025, 1, 9), "late")],
        "core_assessment": [(d(2025, 1, 9), d(2025, 2, 27), d(2025, 3, 3), "late")],
    },
}


@pytest.mark.parametrize("rule_set", sorted(RULE_SETS))
def test_every_rule_of_every_rule_set_on_one_journey(journey, rule_set):
    got = table(case_timescales(journey, on=ON, rule_set=rule_set))
    case_rules = {r.id for r in RULE_SETS[rule_set] if not r.on_contact}
    assert set(got) == case_rules - NOT_ON_THE_JOURNEY
    assert got == EXPECTED[rule_set]


def test_overdue_items_count_working_and_calendar_days(journey):
    items = outstanding(case_timescales(journey, on=ON))
    overdue = {i.rule.id: (i.working_days_overdue, i.days_overdue) for i in items}
    # 3 to 10 September 2025: 5 working days, 7 calendar days.
    assert overdue["core_group"] == (5, 7)
    # 4 July to 10 September 2025: the August bank holiday is not a working day.
    assert overdue["cp_visit"] == (47, 68)
    assert overdue["review_conference"] == (0, 0)


def test_the_authoritys_rule_set_is_used_and_a_switch_recomputes(journey):
    authority = journey.authority
    assert "single_assessment" in table(case_timescales(journey, on=ON))
    authority.rule_set = "wt2010"
    authority.save()
    case = Case.objects.get(pk=journey.pk)
    ids = set(table(case_timescales(case, on=ON)))
    assert {"initial_assessment", "core_assessment"} <= ids
    assert "single_assessment" not in ids


def test_local_standards_change_due_dates(journey):
    journey.authority.cp_visit_interval_wd = 5
    visits = table(case_timescales(journey, on=ON))["cp_visit"]
    # 5 working days from Friday 23 May 2025, the late May bank holiday between.
    assert visits[0] == (d(2025, 5, 23), d(2025, 6, 2), d(2025, 6, 5), "late")


# --- Each rule across weekends and bank holidays ----------------------------------------


def test_referral_decision_across_the_platinum_jubilee(world):
    # Wednesday 1 June 2022; 2 and 3 June were bank holidays.
    case = make_case(world.child_sam, referral_date=d(2022, 6, 1))
    make_referral(case, by=world.sw_amy, received=d(2022, 6, 1), decided=d(2022, 6, 6))
    [item] = by_rule(case_timescales(case, on=d(2022, 6, 30)), "referral_decision")
    assert (item.due_date, item.status) == (d(2022, 6, 6), "met")


def test_single_assessment_45_working_days_across_easter_and_may(world):
    case = make_case(world.child_sam, referral_date=d(2025, 4, 1))
    make_assessment(case, "single", start=d(2025, 4, 2), completed=d(2025, 6, 10))
    [item] = by_rule(case_timescales(case, on=d(2025, 7, 1)), "single_assessment")
    assert (item.due_date, item.status) == (d(2025, 6, 9), "late")


def test_icpc_from_a_strategy_discussion_the_friday_before_easter(world):
    case = make_case(world.child_sam, referral_date=d(2024, 3, 20))
    make_section47(case, by=world.sw_amy, discussion=d(2024, 3, 22))
    [item] = by_rule(case_timescales(case, on=d(2024, 4, 17)), "icpc")
    # Good Friday 29 March and Easter Monday 1 April 2024 are not counted.
    assert (item.due_date, item.status, item.working_days_overdue) == (d(2024, 4, 16), "overdue", 1)


def test_a_step_on_a_bank_holiday_still_counts(world):
    # A strategy discussion held on Good Friday 2025 starts the clock; counting starts on
    # the next working day (Tuesday 22 April, after Easter Monday).
    case = make_case(world.child_sam, referral_date=d(2025, 4, 17))
    s47 = make_section47(case, by=world.sw_amy, discussion=d(2025, 4, 18))
    make_conference(case, ConferenceKind.INITIAL, by=world.sw_amy, on=d(2025, 5, 10), section47=s47)
    [item] = by_rule(case_timescales(case, on=d(2025, 6, 1)), "icpc")
    # The conference on Saturday 10 May counts as held.
    assert (item.due_date, item.done_date, item.status) == (d(2025, 5, 13), d(2025, 5, 10), "met")


@pytest.mark.parametrize(
    ("rule_set", "kind", "length"),
    [("wt2013", "single", 45), ("wt2010", "initial", 10), ("wt2006", "initial", 7)],
)
def test_a_reassessment_is_timed_from_its_own_start(world, rule_set, kind, length):
    # Referral 6 January 2025, first assessment done; a re-assessment starts on Monday
    # 2 June 2025, months into the episode. Item 17 of issue 11: it is not overdue on its
    # first day; its clock starts on 2 June, as the DfE measures every assessment.
    world.authority.rule_set = rule_set
    case = make_case(world.child_sam, referral_date=d(2025, 1, 6))
    make_assessment(case, kind, start=d(2025, 1, 6), completed=d(2025, 1, 14))
    make_assessment(case, kind, start=d(2025, 6, 2))
    first, again = by_rule(case_timescales(case, on=d(2025, 6, 2)), f"{kind}_assessment")
    assert first.start_date == d(2025, 1, 6)
    assert (again.start_date, again.status) == (d(2025, 6, 2), "due")
    assert again.due_date == add_working_days(d(2025, 6, 2), length)


def test_icpc_is_timed_from_the_last_strategy_discussion_when_several_were_held(world):
    # Item 19 of issue 11: strategy discussion Monday 3 March 2025 starts the enquiry; it
    # reconvenes on Monday 10 March. The conference is due 15 working days after 10 March.
    case = make_case(world.child_sam, referral_date=d(2025, 3, 3))
    s47 = make_section47(case, by=world.sw_amy, discussion=d(2025, 3, 3))
    [before] = by_rule(case_timescales(case, on=d(2025, 3, 7)), "icpc")
    assert (before.start_date, before.due_date) == (d(2025, 3, 3), d(2025, 3, 24))
    make_strategy_discussion(case, by=world.sw_amy, on=d(2025, 3, 10))
    # As the case stood before the second discussion, the clock still ran from the first.
    assert by_rule(case_timescales(case, on=d(2025, 3, 7)), "icpc") == [before]
    make_conference(case, ConferenceKind.INITIAL, by=world.sw_amy, on=d(2025, 3, 28), section47=s47)
    s47.end_date, s47.outcome = d(2025, 3, 28), "icpc"
    s47.save()
    # A discussion after the conference (a later enquiry's) does not move this clock.
    make_strategy_discussion(case, by=world.sw_amy, on=d(2025, 4, 7))
    [item] = by_rule(case_timescales(case, on=d(2025, 4, 30)), "icpc")
    assert (item.start_date, item.due_date, item.status) == (
        d(2025, 3, 10), d(2025, 3, 31), "met"
    )


def test_a_core_assessment_straight_from_a_strategy_discussion_runs_its_own_clock(world):
    # Working Together 2010: no initial assessment; the enquiry's core assessment starts with
    # it on Tuesday 7 January 2025 and is due 35 working days later (25 February).
    world.authority.rule_set = "wt2010"
    case = make_case(world.child_sam, referral_date=d(2025, 1, 6))
    s47 = make_section47(case, by=world.sw_amy, discussion=d(2025, 1, 7))
    s47.core_assessment = make_assessment(case, "core", start=d(2025, 1, 7))
    s47.save()
    got = table(case_timescales(case, on=d(2025, 1, 8)))
    assert "initial_assessment" not in got
    assert got["core_assessment"] == [(d(2025, 1, 7), d(2025, 2, 25), None, "due")]


def test_first_review_three_months_on_is_clamped_to_the_month_end(world):
    case = make_case(world.child_sam, referral_date=d(2025, 8, 1))
    plan = make_cp_plan(case, start=d(2025, 8, 31))
    make_review(case, plan, by=world.sw_amy, on=d(2025, 12, 1))
    [item] = by_rule(case_timescales(case, on=d(2025, 12, 5)), "first_review_conference")
    assert (item.due_date, item.status) == (d(2025, 11, 30), "late")


def test_review_chain_every_six_months_from_a_leap_day(world):
    case = make_case(world.child_sam, referral_date=d(2023, 10, 1))
    plan = make_cp_plan(case, start=d(2023, 11, 29))
    for day in (d(2024, 2, 29), d(2024, 8, 29)):
        make_review(case, plan, by=world.sw_amy, on=day)
    items = case_timescales(case, on=d(2025, 3, 3))
    assert table(items)["first_review_conference"] == [
        (d(2023, 11, 29), d(2024, 2, 29), d(2024, 2, 29), "met")
    ]
    assert table(items)["review_conference"] == [
        (d(2024, 2, 29), d(2024, 8, 29), d(2024, 8, 29), "met"),
        # 6 months from 29 August 2024 is clamped to 28 February 2025, a Friday.
        (d(2024, 8, 29), d(2025, 2, 28), None, "overdue"),
    ]
    assert by_rule(items, "review_conference")[-1].working_days_overdue == 1


def test_cp_visits_across_christmas_2025(world):
    case = make_case(world.child_sam, referral_date=d(2025, 11, 20))
    make_cp_plan(case, start=d(2025, 12, 12))
    make_visit(case, d(2025, 12, 30), by=world.sw_amy)
    assert table(case_timescales(case, on=d(2026, 1, 15)))["cp_visit"] == [
        # Christmas Day and Boxing Day.
        (d(2025, 12, 12), d(2025, 12, 30), d(2025, 12, 30), "met"),
        # New Year's Day.
        (d(2025, 12, 30), d(2026, 1, 14), None, "overdue"),
    ]


def test_a_visit_on_a_saturday_restarts_the_clock(world):
    case = make_case(world.child_sam, referral_date=d(2025, 5, 1))
    make_cp_plan(case, start=d(2025, 6, 2))
    make_visit(case, d(2025, 6, 7), by=world.sw_amy)
    make_visit(case, d(2025, 6, 10), by=world.sw_amy, seen=False)
    assert table(case_timescales(case, on=d(2025, 6, 11)))["cp_visit"] == [
        (d(2025, 6, 2), d(2025, 6, 16), d(2025, 6, 7), "met"),
        (d(2025, 6, 7), d(2025, 6, 20), None, "due"),
    ]


def test_core_groups_after_the_first_follow_the_local_interval(world):
    case = make_case(world.child_sam, referral_date=d(2025, 11, 1))
    s47 = make_section47(case, by=world.sw_amy, discussion=d(2025, 11, 20), end=d(2025, 12, 1), outcome="icpc")
    plan = make_plan_from_icpc(case, s47, by=world.sw_amy, on=d(2025, 12, 5))
    make_core_group(plan, d(2025, 12, 19))
    got = table(case_timescales(case, on=d(2026, 1, 5)))
    assert got["first_core_group"] == [(d(2025, 12, 5), d(2025, 12, 19), d(2025, 12, 19), "met")]
    # 20 working days from 19 December 2025 pass Christmas, Boxing Day and New Year's Day.
    assert got["core_group"] == [(d(2025, 12, 19), d(2026, 1, 21), None, "due")]


def test_cin_visits_pause_while_a_cp_plan_is_open_but_cin_reviews_do_not(world):
    case = make_case(world.child_sam, referral_date=d(2025, 1, 2))
    make_cin_plan(case, start=d(2025, 1, 6))
    # Nobody holds the case: its manager's review is outstanding throughout (issue 14).
    assert {i.rule.id for i in outstanding(case_timescales(case, on=d(2025, 2, 1)))} == {
        "cin_visit", "cin_plan_review", "unallocated_review",
    }
    make_cp_plan(case, start=d(2025, 2, 3))
    ids = {i.rule.id for i in outstanding(case_timescales(case, on=d(2025, 2, 4)))}
    assert ids == {"cp_visit", "first_review_conference", "cin_plan_review", "unallocated_review"}


# --- Statuses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "status", "working_days", "days"),
    [
        (d(2025, 5, 30), "due", 0, 0),
        (d(2025, 6, 9), "due", 0, 0),  # due today is not yet overdue
        (d(2025, 6, 10), "overdue", 1, 1),
        (d(2025, 6, 14), "overdue", 4, 5),  # a Saturday
        (d(2025, 6, 16), "overdue", 5, 7),
    ],
)
def test_statuses_of_an_unfinished_assessment(world, on, status, working_days, days):
    case = make_case(world.child_sam, referral_date=d(2025, 4, 1))
    make_assessment(case, "single", start=d(2025, 4, 1))
    [item] = by_rule(case_timescales(case, on=on), "single_assessment")
    assert (item.due_date, item.status) == (d(2025, 6, 9), status)
    assert (item.working_days_overdue, item.days_overdue) == (working_days, days)
    assert outstanding([item]) == [item]


@pytest.mark.parametrize(("completed", "status"), [(d(2025, 6, 9), "met"), (d(2025, 6, 10), "late")])
def test_statuses_of_a_finished_assessment(world, completed, status):
    case = make_case(world.child_sam, referral_date=d(2025, 4, 1))
    make_assessment(case, "single", start=d(2025, 4, 1), completed=completed)
    [item] = by_rule(case_timescales(case, on=d(2025, 7, 1)), "single_assessment")
    assert (item.status, item.working_days_overdue, item.days_overdue) == (status, 0, 0)
    assert outstanding([item]) == []


def test_events_after_the_day_asked_about_have_not_happened_yet(world):
    case = make_case(world.child_sam, referral_date=d(2025, 4, 1))
    make_assessment(case, "single", start=d(2025, 4, 1), completed=d(2025, 6, 5))
    [item] = by_rule(case_timescales(case, on=d(2025, 6, 4)), "single_assessment")
    assert (item.done_date, item.status) == (None, "due")
    make_cp_plan(case, start=d(2025, 6, 20))
    assert not by_rule(case_timescales(case, on=d(2025, 6, 19)), "cp_visit")


# --- What produces nothing ---------------------------------------------------------------


def test_a_closed_case_keeps_its_history_but_has_nothing_outstanding(journey):
    before = case_timescales(journey, on=ON)
    assert outstanding(before)
    journey.closure_date = d(2025, 9, 1)
    journey.closure_reason = "RC7"
    journey.save()
    items = case_timescales(journey, on=ON)
    assert outstanding(items) == []
    assert {i.status for i in items} == {"met", "late"}
    assert items == [i for i in before if i.done_date]


def test_a_referral_marked_no_further_action_has_nothing_outstanding(world):
    case = make_case(world.child_sam, referral_date=d(2025, 4, 1), nfa=True)
    make_assessment(case, "single", start=d(2025, 4, 1))
    assert case_timescales(case, on=d(2025, 7, 1)) == []


def test_missing_start_events_produce_nothing(world):
    # No referral record, and a plan made without a recorded initial conference.
    case = make_case(world.child_sam, referral_date=d(2025, 4, 1))
    plan = make_cp_plan(case, start=d(2025, 5, 1))
    make_core_group(plan, d(2025, 5, 9))
    ids = {i.rule.id for i in case_timescales(case, on=d(2025, 5, 12))}
    # The manager's review of the unallocated case starts at the referral (issue 14).
    assert ids == {"core_group", "first_review_conference", "cp_visit", "unallocated_review"}


def test_no_icpc_is_due_after_an_enquiry_ends_without_one(world):
    case = make_case(world.child_sam, referral_date=d(2025, 4, 1))
    s47 = make_section47(case, by=world.sw_amy, discussion=d(2025, 4, 2))
    on = d(2025, 5, 1)
    assert [i.status for i in by_rule(case_timescales(case, on=on), "icpc")] == ["overdue"]
    s47.end_date, s47.outcome = d(2025, 4, 20), "icpc"
    s47.save()
    assert [i.status for i in by_rule(case_timescales(case, on=on), "icpc")] == ["overdue"]
    s47.outcome = "cin"
    s47.save()
    assert by_rule(case_timescales(case, on=on), "icpc") == []


# --- Rules are data ---------------------------------------------------------------------


def test_a_new_rule_from_existing_events_needs_no_engine_change(world, monkeypatch):
    inclusive = replace(rules.CP_VISIT, id="cp_visit_inclusive", counting=INCLUSIVE)
    monkeypatch.setitem(RULE_SETS, "wt2013", (*RULE_SETS["wt2013"], inclusive))
    case = make_case(world.child_sam, referral_date=d(2025, 11, 20))
    make_cp_plan(case, start=d(2025, 12, 12))
    got = table(case_timescales(case, on=d(2025, 12, 15)))
    # Counting Friday 12 December as day 1 brings the visit forward one working day.
    assert got["cp_visit"] == [(d(2025, 12, 12), d(2025, 12, 30), None, "due")]
    assert got["cp_visit_inclusive"] == [(d(2025, 12, 12), d(2025, 12, 29), None, "due")]


# --- Many cases -------------------------------------------------------------------------


def _full_case(world, child, n):
    by = world.sw_amy
    case = make_case(child, referral_date=d(2025, 1, 2))
    make_referral(case, by=by, received=d(2025, 1, 2), decided=d(2025, 1, 3))
    make_assessment(case, "single", start=d(2025, 1, 3), completed=d(2025, 2, 3))
    cin = make_cin_plan(case, start=d(2025, 2, 3), end=d(2025, 4, 1))
    make_cin_review(cin, d(2025, 3, 3))
    s47 = make_section47(case, by=by, discussion=d(2025, 3, 3), end=d(2025, 3, 20), outcome="icpc")
    plan = make_plan_from_icpc(case, s47, by=by, on=d(2025, 4, 1))
    make_core_group(plan, d(2025, 4, 10))
    make_review(case, plan, by=by, on=d(2025, 6, 30))
    make_visit(case, d(2025, 2, 10 + n % 5), by=by, kind="cin")
    make_visit(case, d(2025, 4, 8), by=by)
    return case


def test_timescales_for_many_cases_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    children = [world.child_sam, world.child_sally, world.child_tom]
    cases = [_full_case(world, children[n % 3], n) for n in range(20)]
    # 16: the child protection plans' actions are one query of their own (decision 0043),
    # the child in need plans' another (decision 0068), direct work with the child (it meets
    # "See the child") another.
    with django_assert_max_num_queries(16):
        many = timescales_for_cases(Case.objects.all(), on=d(2025, 7, 1))
    with django_assert_max_num_queries(16):
        one = timescales_for_cases(Case.objects.filter(pk=cases[0].pk), on=d(2025, 7, 1))
    assert len(many) == 20
    assert many[cases[0].pk] == one[cases[0].pk] == case_timescales(cases[0], on=d(2025, 7, 1))
    assert {i.rule.id for i in many[cases[0].pk]} == {
        r.id for r in RULE_SETS["wt2013"] if not r.on_contact
    } - NOT_ON_THE_JOURNEY
