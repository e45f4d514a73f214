"""Local indicators: CP visits, unallocated cases, supervision and caseloads."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from safeguard.casework.models import Allocation
from safeguard.performance.indicators import BY_ID, Period, Scope
from safeguard.performance.selectors import figure
from safeguard.performance.tests import build
from safeguard.performance.tests.conftest import YEAR
from safeguard.supervision import services as supervision_services
from safeguard.supervision.tests import factories as supervision_factories

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
    _cp_child(
        world, date(2026, 3, 2), [date(2026, 3, 16)], unseen=[date(2026, 3, 27)]
    )  # 11 to the end
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


def _long_standing(*users):
    for user in users:
        user.date_joined = timezone.make_aware(datetime(2020, 1, 1))
        user.save()


def _supervised(world, worker, day, *, by=None, signed=True):
    """A session on ``day`` with ``worker``, recorded by their line manager."""
    supervision_factories.session(
        world, by=by or world.sm_dan, supervisee=worker, on=day, signed=signed
    )


def test_supervision_on_the_interval_boundary(world, measure):
    """Monthly workers on 31 March 2026: a session on 28 February (31 March minus a month, by
    add_months) is within; 27 February is not; a session not signed by the worker, or after
    the period end, does not count."""
    supervision_factories.management_line(world)
    _long_standing(world.sw_amy, world.sw_ben, world.tm_carol)
    build.case(world, referred=date(2025, 6, 2), worker=world.sw_amy)
    build.case(world, referred=date(2025, 6, 2), worker=world.sw_ben, team=world.team_b)
    build.case(world, referred=date(2025, 6, 2), worker=world.tm_carol)
    _supervised(world, world.sw_amy, date(2026, 2, 28), by=world.tm_carol)
    _supervised(world, world.sw_ben, date(2026, 2, 27))
    _supervised(world, world.sw_ben, date(2026, 3, 30), signed=False)
    _supervised(world, world.tm_carol, date(2026, 4, 1))
    assert measure("supervision_on_time") == (1, 3)


def test_supervision_of_a_worker_who_changes_interval_in_the_period(world, measure):
    """The interval is the worker's own on the period end. Amy qualified on 1 September
    2025: fortnightly until 1 March 2026, monthly after, so a session on 10 March is in time
    on 31 March. Ben was monthly until his manager set him weekly from 20 March: his session
    of 15 March, within a month, is more than 7 days before 31 March."""
    supervision_factories.management_line(world)
    _long_standing(world.sw_amy, world.sw_ben)
    world.sw_amy.qualified_on = date(2025, 9, 1)
    world.sw_amy.save()
    build.case(world, referred=date(2025, 6, 2), worker=world.sw_amy)
    build.case(world, referred=date(2025, 6, 2), worker=world.sw_ben, team=world.team_b)
    _supervised(world, world.sw_amy, date(2026, 3, 10), by=world.tm_carol)
    _supervised(world, world.sw_ben, date(2026, 3, 15))
    supervision_services.frequency_set(
        by=world.sm_dan, worker=world.sw_ben, start_date=date(2026, 3, 20), interval="weekly",
        reason="Capability support",
    )  # fmt: skip
    assert measure("supervision_on_time") == (1, 2)
    # On 25 February both had a session on 10 February: Amy, fortnightly then, was past
    # her 14 days; Ben, monthly then, was within his month.
    _supervised(world, world.sw_amy, date(2026, 2, 10), by=world.tm_carol)
    _supervised(world, world.sw_ben, date(2026, 2, 10))
    february = Period(date(2025, 4, 1), date(2026, 2, 25))
    assert measure("supervision_on_time", period=february) == (1, 2)
    assert measure(
        "supervision_on_time", period=february, scope=Scope(worker_id=world.sw_ben.pk)
    ) == (1, 1)
