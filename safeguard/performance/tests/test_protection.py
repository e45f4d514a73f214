"""Section 47 enquiries, initial conferences, CP plans and the review chain."""

from datetime import date

import pytest

from safeguard.performance.indicators import Period
from safeguard.performance.tests import build
from safeguard.protection.models import ChildProtectionConference

pytestmark = pytest.mark.django_db


def test_s47_started_and_icpcs_in_period(world, measure):
    c = build.case(world, referred=date(2025, 3, 3))
    build.s47(world, c, start=date(2025, 3, 24), icpc=date(2025, 4, 1))  # started before
    build.s47(world, c, start=date(2026, 3, 20), icpc=date(2026, 4, 1))  # conference after
    build.s47(world, c, start=date(2025, 9, 1))  # no conference
    assert measure("s47_started") == 2
    assert measure("icpcs") == 1


def test_a_conference_without_an_enquiry_is_not_an_icpc(world, measure):
    c = build.case(world, referred=date(2025, 5, 1))
    build.plan(world, c, start=date(2025, 5, 20), icpc=date(2025, 5, 20))  # transfer-in style
    ChildProtectionConference.objects.create(
        case=c,
        kind="transfer_in",
        conference_date=date(2025, 6, 2),
        decision="plan",
        chaired_by=world.tm_carol,
    )
    assert measure("icpcs") == 0


def test_icpc_within_fifteen_working_days_over_christmas(world, measure):
    # Friday 19 December 2025 + 15 working days is Wednesday 14 January 2026.
    c = build.case(world, referred=date(2025, 12, 1))
    build.s47(world, c, start=date(2025, 12, 19), icpc=date(2026, 1, 14))  # 15: in
    build.s47(world, c, start=date(2025, 12, 19), icpc=date(2026, 1, 15))  # 16: out
    build.s47(
        world, c, start=date(2025, 12, 19), icpc=date(2025, 12, 18)
    )  # before: denominator only
    assert measure("icpc_within_15wd") == (1, 3)


def test_repeat_plans_count_per_plan(world, measure):
    kid = build.child(world)
    c = build.case(world, kid, referred=date(2023, 1, 9))
    build.plan(world, c, start=date(2023, 2, 1), end=date(2023, 9, 1))
    build.plan(world, c, start=date(2025, 5, 1), end=date(2025, 8, 1))  # repeat
    build.plan(world, c, start=date(2025, 10, 1))  # repeat again: counted twice
    first = build.case(world, referred=date(2025, 4, 2))
    build.plan(world, first, start=date(2025, 4, 20))  # first plan
    elsewhere = build.case(world, referred=date(2025, 4, 2))
    build.plan(world, elsewhere, start=date(2025, 4, 21), elsewhere=1)  # NumberOfPreviousCPP 1
    assert measure("cpp_started") == 4
    assert measure("cpp_repeat") == (3, 4)
    assert measure("ni65_cpp_second_or_subsequent") == (3, 4)


def test_two_years_with_month_end_clamping(world, measure):
    c = build.case(world, referred=date(2024, 2, 1))
    # add_months(2024-02-29, 24) is 2026-02-28.
    build.plan(world, c, start=date(2024, 2, 29), end=date(2026, 2, 28))  # exactly 2 years
    build.plan(world, c, start=date(2024, 2, 29), end=date(2026, 2, 27))  # a day short
    build.plan(world, c, start=date(2024, 3, 31), end=date(2026, 3, 30))  # a day short
    assert measure("cpp_ended") == 3
    assert measure("cpp_ended_2y_plus") == (1, 3)
    assert measure("ni64_cpp_2y_plus") == (1, 3)


def test_plans_open_at_the_end(world, measure):
    c = build.case(world, referred=date(2025, 1, 6))
    build.plan(world, c, start=date(2025, 2, 1), end=date(2026, 3, 31))  # ended on `to`
    build.plan(world, c, start=date(2025, 2, 1), end=date(2026, 4, 1))
    build.plan(world, c, start=date(2026, 3, 31))
    assert measure("cpp_open_at_end") == 2


TO = date(2026, 3, 31)


def _chain(world, start, reviews):
    c = build.case(world, referred=start)
    return build.plan(world, c, start=start, reviews=reviews)


def test_plan_open_exactly_three_months_is_due_and_on_time_without_a_review(world, measure):
    # add_months(2025-12-31, 3) = 2026-03-31 = to: in the denominator, not yet overdue.
    _chain(world, date(2025, 12, 31), [])
    # add_months(2026-01-01, 3) = 2026-04-01 > to: not yet in the denominator.
    _chain(world, date(2026, 1, 1), [])
    assert measure("cpp_reviews_on_time") == (1, 1)


def test_plan_past_three_months_without_a_review_is_late(world, measure):
    _chain(world, date(2025, 12, 30), [])
    assert measure("cpp_reviews_on_time") == (0, 1)


def test_first_review_one_day_late(world, measure):
    # Start 2025-08-31: the first review is due by 2025-11-30 (clamped).
    _chain(world, date(2025, 8, 31), [date(2025, 11, 30), date(2026, 3, 1)])
    _chain(world, date(2025, 8, 31), [date(2025, 12, 1), date(2026, 3, 1)])
    assert measure("cpp_reviews_on_time") == (1, 2)


def test_later_review_one_day_late_even_in_an_earlier_year(world, measure):
    start = date(2024, 1, 15)
    # On time: 2024-04-15, then within six months each time.
    _chain(
        world, start, [date(2024, 4, 15), date(2024, 10, 15), date(2025, 4, 15), date(2025, 10, 15)]
    )
    # One day late between the second and third reviews, years before the period.
    _chain(
        world, start, [date(2024, 4, 15), date(2024, 10, 15), date(2025, 4, 16), date(2025, 10, 16)]
    )
    assert measure("cpp_reviews_on_time") == (1, 2)
    assert measure("ni67_cpp_reviews_on_time") == (1, 2)


def test_next_review_overdue_at_the_period_end(world, measure):
    # Last review 2025-09-30: due again by add_months(2025-09-30, 6) = 2026-03-30 < to.
    _chain(world, date(2025, 7, 1), [date(2025, 9, 30)])
    # Last review 2025-09-30 but the period ends 2026-03-30: exactly due, on time.
    assert measure("cpp_reviews_on_time") == (0, 1)
    assert measure("cpp_reviews_on_time", Period(date(2025, 4, 1), date(2026, 3, 30))) == (1, 1)


def test_reviews_after_the_period_end_do_not_count(world, measure):
    _chain(world, date(2025, 12, 1), [date(2026, 4, 1)])
    assert measure("cpp_reviews_on_time") == (0, 1)


def test_first_core_group_within_ten_working_days_of_the_icpc(world, measure):
    # ICPC Wednesday 17 December 2025 + 10 working days is Monday 5 January 2026 (Christmas,
    # Boxing Day and New Year's Day skipped).
    c = build.case(world, referred=date(2025, 11, 3))
    icpc = date(2025, 12, 17)
    build.plan(world, c, start=icpc, icpc=icpc, core_groups=[date(2026, 1, 5), date(2026, 1, 30)])
    build.plan(world, c, start=icpc, icpc=icpc, core_groups=[date(2026, 1, 6)])
    build.plan(world, c, start=icpc, icpc=icpc)  # none yet
    assert measure("core_groups_on_time") == (1, 3)
