"""What is due for a worker, a team and the service: scoping, order and counts."""

from datetime import date as d

import pytest

from safeguard.audit.models import AccessEvent
from safeguard.casework.models import Case
from safeguard.timescales.selectors import (
    due_counts,
    due_for_service,
    due_for_team,
    due_for_worker,
    unallocated_cases,
)
from safeguard.timescales.tests.factories import (
    allocate,
    make_assessment,
    make_case,
    make_cin_plan,
    make_cp_plan,
)

pytestmark = pytest.mark.django_db

ON = d(2025, 6, 2)  # a Monday


@pytest.fixture
def service(world):
    """Sam on a CP plan (Amy, team A), Tom being assessed (Ben, team B, once Amy's), Sally
    on a CIN plan with no worker, a closed case still allocated to Amy, and a child of
    another authority."""
    sam = make_case(world.child_sam, referral_date=d(2025, 4, 1))
    make_cp_plan(sam, start=d(2025, 5, 1))
    allocate(sam, world.sw_amy, world.team_a, start=d(2025, 4, 1))

    tom = make_case(world.child_tom, referral_date=d(2025, 5, 20))
    make_assessment(tom, "single", start=d(2025, 5, 21))
    allocate(tom, world.sw_amy, world.team_a, start=d(2025, 5, 20), end=d(2025, 5, 27))
    allocate(tom, world.sw_ben, world.team_b, start=d(2025, 5, 27))

    sally = make_case(world.child_sally, referral_date=d(2025, 5, 1))
    make_cin_plan(sally, start=d(2025, 5, 6))

    closed = make_case(world.child_sally, referral_date=d(2025, 1, 6), closure_date=d(2025, 5, 1))
    make_assessment(closed, "single", start=d(2025, 1, 6))
    allocate(closed, world.sw_amy, world.team_a, start=d(2025, 1, 6))

    elsewhere = make_case(world.outsider, referral_date=d(2025, 5, 1))
    make_cin_plan(elsewhere, start=d(2025, 5, 6))
    return {"sam": sam, "tom": tom, "sally": sally, "closed": closed, "elsewhere": elsewhere}


def summary(rows):
    return [(r.child.given_names, r.item.rule.id, r.item.due_date, r.item.status, r.owner) for r in rows]


def test_a_worker_sees_only_the_open_cases_allocated_to_them(world, service):
    assert summary(due_for_worker(world.sw_amy, on=ON)) == [
        # 10 working days from Thursday 1 May 2025, the early May bank holiday between.
        ("Sam", "cp_visit", d(2025, 5, 16), "overdue", "Amy Adeyemi"),
        ("Sam", "first_review_conference", d(2025, 8, 1), "due", "Amy Adeyemi"),
    ]
    assert summary(due_for_worker(world.sw_ben, on=ON)) == [
        ("Tom", "single_assessment", d(2025, 7, 23), "due", "Ben Bailey"),
    ]
    # The lists are of the outstanding items as they stand (the table kept by
    # ``timescales.projection``); what was due on an earlier day is the engine's to say
    # (``case_timescales(case, on=...)``, test_engine.py).
    assert due_for_worker(world.tm_carol, on=ON) == []


def test_a_team_sees_the_cases_allocated_to_it(world, service):
    assert {r.case.pk for r in due_for_team(world.team_a, on=ON)} == {service["sam"].pk}
    rows = due_for_team(world.team_b, on=ON)
    assert [(r.case.pk, r.worker, r.team) for r in rows] == [(service["tom"].pk, world.sw_ben, world.team_b)]


def test_the_service_sees_every_open_case_of_the_authority_allocated_or_not(world, service):
    rows = due_for_service(world.authority, on=ON)
    assert {r.case.pk for r in rows} == {service[k].pk for k in ("sam", "tom", "sally")}
    sally = [r for r in rows if r.case.pk == service["sally"].pk]
    assert {(r.worker, r.team, r.owner) for r in sally} == {(None, None, "Unallocated")}
    assert all(r.item.is_outstanding for r in rows)


# Sally's case waits unallocated from her referral on 1 May: a manager's review was due
# within 5 working days (9 May, after the early May bank holiday) and none was held (issue 14).
SORTED = {
    # No case is rated: priority order is due-date order.
    "priority": [
        ("Sally", "unallocated_review"), ("Sam", "cp_visit"), ("Sally", "cin_visit"),
        ("Tom", "single_assessment"), ("Sam", "first_review_conference"),
        ("Sally", "cin_plan_review"),
    ],
    "due_date": [
        ("Sally", "unallocated_review"), ("Sam", "cp_visit"), ("Sally", "cin_visit"),
        ("Tom", "single_assessment"), ("Sam", "first_review_conference"),
        ("Sally", "cin_plan_review"),
    ],
    "-working_days_overdue": [
        ("Sally", "unallocated_review"), ("Sam", "cp_visit"), ("Sally", "cin_visit"),
        ("Tom", "single_assessment"), ("Sam", "first_review_conference"),
        ("Sally", "cin_plan_review"),
    ],
    # Family name first: Tom Jones, then Sally and Sam Smith.
    "child": [
        ("Tom", "single_assessment"), ("Sally", "unallocated_review"), ("Sally", "cin_visit"),
        ("Sally", "cin_plan_review"), ("Sam", "cp_visit"), ("Sam", "first_review_conference"),
    ],
    "rule": [
        ("Tom", "single_assessment"), ("Sally", "cin_plan_review"), ("Sally", "cin_visit"),
        ("Sam", "cp_visit"), ("Sam", "first_review_conference"), ("Sally", "unallocated_review"),
    ],
}


@pytest.mark.parametrize("sort", sorted(SORTED))
def test_rows_sort_by_due_date_overdue_child_or_rule(world, service, sort):
    rows = due_for_service(world.authority, on=ON, sort=sort)
    assert [(r.child.given_names, r.item.rule.id) for r in rows] == SORTED[sort]


def test_priority_comes_first_by_default_then_due_date(world, service):
    """Issue 13, item 2: red first, then amber, not rated, green; due date within each."""
    Case.objects.filter(pk=service["sally"].pk).update(priority="red")
    Case.objects.filter(pk=service["tom"].pk).update(priority="amber")
    Case.objects.filter(pk=service["sam"].pk).update(priority="green")
    rows = due_for_service(world.authority, on=ON)
    assert [(r.child.given_names, r.item.rule.id) for r in rows] == [
        ("Sally", "unallocated_review"), ("Sally", "cin_visit"), ("Sally", "cin_plan_review"),
        ("Tom", "single_assessment"),
        ("Sam", "cp_visit"), ("Sam", "first_review_conference"),
    ]
    # The other orders are there to look things up: they do not group by priority.
    by_date = due_for_service(world.authority, on=ON, sort="due_date")
    assert [(r.child.given_names, r.item.rule.id) for r in by_date] == SORTED["due_date"]


def test_unallocated_cases_come_red_first(world, service):
    later = make_case(world.child_tom, referral_date=d(2025, 5, 28))
    Case.objects.filter(pk=service["tom"].pk).update(closure_date=d(2025, 5, 27), closure_reason="RC7")
    assert unallocated_cases(world.authority, on=ON) == [service["sally"], later]
    Case.objects.filter(pk=later.pk).update(priority="red")
    assert unallocated_cases(world.authority, on=ON) == [later, service["sally"]]


def test_most_overdue_comes_first(world, service):
    make_cp_plan(service["tom"], start=d(2025, 5, 20))
    rows = due_for_service(world.authority, on=ON, sort="-working_days_overdue")
    assert [(r.child.given_names, r.item.working_days_overdue) for r in rows[:4]] == [
        ("Sally", 15), ("Sam", 10), ("Tom", 0), ("Sally", 0),
    ]
    assert rows[0].item.status == "overdue"


def test_an_unknown_sort_is_refused(world, service):
    with pytest.raises(ValueError, match="sort"):
        due_for_service(world.authority, on=ON, sort="worker")


def test_counts_overdue_due_this_week_and_later(world, service):
    rows = due_for_service(world.authority, on=ON)
    # Sally's CIN visit falls due on Wednesday 4 June, within Monday's five working days.
    # Sally's review of her unallocated case is overdue (since 9 May).
    assert due_counts(rows) == {"overdue": 2, "due_this_week": 1, "due_later": 3}
    assert due_counts([]) == {"overdue": 0, "due_this_week": 0, "due_later": 0}


@pytest.mark.parametrize(
    ("on", "this_week"),
    [
        (d(2025, 5, 28), 0),  # Wed: 28, 29, 30 May, 2, 3 June
        (d(2025, 5, 29), 1),  # Thu: 29, 30 May, 2, 3, 4 June
        (d(2025, 5, 31), 1),  # Sat: counting starts on Monday 2 June
    ],
)
def test_due_this_week_is_the_next_five_working_days_including_today(world, service, on, this_week):
    rows = [r for r in due_for_service(world.authority, on=on) if r.item.rule.id == "cin_visit"]
    assert due_counts(rows)["due_this_week"] == this_week


def test_selectors_do_not_log_access(world, service):
    before = AccessEvent.objects.count()
    due_for_service(world.authority, on=ON)
    due_for_worker(world.sw_amy, on=ON)
    assert AccessEvent.objects.count() == before


def test_the_service_list_costs_a_fixed_number_of_queries(
    world, service, django_assert_max_num_queries, django_assert_num_queries
):
    for n in range(20):
        case = make_case(world.child_tom, referral_date=d(2025, 4, 1 + n))
        make_cp_plan(case, start=d(2025, 5, 1))
        make_assessment(case, "single", start=d(2025, 4, 2))
        allocate(case, world.sw_ben, world.team_b, start=d(2025, 4, 1))
    due_for_service(world.authority, on=ON)  # the records made above are worked out first
    with django_assert_max_num_queries(3):
        rows = due_for_service(world.authority, on=ON)
    assert len({r.case.pk for r in rows}) == 23
    with django_assert_num_queries(0):
        shown = {(r.owner, r.child.family_name, r.team.name if r.team else "") for r in rows}
    assert ("Ben Bailey", "Jones", "Child Protection Team B") in shown
