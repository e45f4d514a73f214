"""Local indicators: CP visits, unallocated cases, supervision and caseloads."""

from datetime import date

import pytest

from safeguard.casework.models import Allocation
from safeguard.performance.indicators import BY_ID, earliest_day_with
from safeguard.performance.selectors import figure
from safeguard.performance.tests import build
from safeguard.performance.tests.conftest import YEAR

pytestmark = pytest.mark.django_db


def _cp_child(world, start, visits=(), unseen=()):
    c = build.case(world, referred=date(2026, 1, 5))
    build.plan(world, c, start=start)
    for day in visits:
        build.visit(world, c, day)
    for day in unseen:
        build.visit(world, c, day, seen=False)
    return c


def test_cp_visits_every_ten_working_days(world, measure):
    # The period ends Tuesday 31 March 2026. 2 March + 10 working days is 16 March; 16 March
    # + 10 is 30 March; 17 March is 10 working days before the end.
    _cp_child(world, date(2026, 3, 2), [date(2026, 3, 16), date(2026, 3, 30)])  # on time
    _cp_child(world, date(2026, 3, 2), [date(2026, 3, 17), date(2026, 3, 30)])  # first gap 11
    _cp_child(world, date(2026, 3, 2), [date(2026, 3, 16)], unseen=[date(2026, 3, 27)])  # 11 to the end
    _cp_child(world, date(2026, 3, 17))  # on a plan exactly 10 working days, no visit yet: on time
    _cp_child(world, date(2026, 3, 18))  # 9 working days: not yet counted
    assert measure("cp_visits_on_time") == (2, 4)


def test_cp_visits_count_children_not_plans(world, measure):
    kid = build.child(world)
    c = build.case(world, kid, referred=date(2026, 1, 5))
    build.plan(world, c, start=date(2026, 3, 2))
    build.plan(world, c, start=date(2026, 3, 3))
    build.visit(world, c, date(2026, 3, 13))
    build.visit(world, c, date(2026, 3, 27))
    assert measure("cp_visits_on_time") == (1, 1)


def test_the_visit_interval_is_the_authoritys_setting(world, measure):
    _cp_child(world, date(2026, 3, 2), [date(2026, 3, 17), date(2026, 3, 30)])
    assert measure("cp_visits_on_time") == (0, 1)
    world.authority.cp_visit_interval_wd = 11
    world.authority.save()
    assert measure("cp_visits_on_time") == (1, 1)


def test_unallocated_cases_on_the_period_end(world, measure):
    build.case(world, referred=date(2025, 6, 2), worker=world.sw_amy)  # allocated
    ended = build.case(world, referred=date(2025, 6, 2), worker=world.sw_amy)
    Allocation.objects.filter(case=ended).update(end_date=date(2026, 3, 31))  # ended on `to`
    build.case(world, referred=date(2025, 6, 2), worker=world.sw_amy, allocated=date(2026, 4, 1))
    build.case(world, referred=date(2025, 6, 2))  # never allocated
    build.case(world, referred=date(2025, 6, 2), closed=date(2025, 9, 1))  # closed: not counted
    assert measure("unallocated_cases") == 3


def test_average_caseload_and_case_holding_staff(world, measure):
    for _ in range(3):
        build.case(world, referred=date(2025, 6, 2), worker=world.sw_amy)
    build.case(world, referred=date(2025, 6, 2), worker=world.sw_ben, team=world.team_b)
    # A closed case does not make its worker case-holding.
    build.case(world, referred=date(2025, 6, 2), closed=date(2025, 9, 1), worker=world.tm_carol)
    fig = figure(BY_ID["average_caseload"], YEAR)
    assert (fig.numerator, fig.denominator, fig.value) == (4, 2, 2.0)
    assert fig.as_json() == {"value": 2.0}


def test_supervision_within_a_month_of_the_period_end(world, measure):
    # add_months(x, 1) >= 2026-03-31 first holds for x = 2026-03-01 (28 February gives 28 March).
    assert earliest_day_with(date(2026, 3, 31), "plus_1_month") == date(2026, 3, 1)
    amy_case = build.case(world, referred=date(2025, 6, 2), worker=world.sw_amy)
    build.decision(world, amy_case, date(2026, 3, 1))
    ben_case = build.case(world, referred=date(2025, 6, 2), worker=world.sw_ben, team=world.team_b)
    build.decision(world, ben_case, date(2026, 2, 28))  # a day too early
    build.decision(world, ben_case, date(2026, 3, 20), by=world.sw_ben)  # his own note
    # A decision on a case Ben no longer held that day is not his supervision.
    old = build.case(world, referred=date(2025, 6, 2), worker=world.sw_ben, team=world.team_b)
    Allocation.objects.filter(case=old).update(end_date=date(2026, 3, 2))
    build.case(world, old.child, referred=date(2025, 6, 3), worker=world.sw_amy)
    build.decision(world, old, date(2026, 3, 10))
    assert measure("supervision_on_time") == (1, 2)
