"""Referrals, re-referrals, NFA, episodes open at the period end, and referral decisions."""

from datetime import date

import pytest

from safeguard.performance.indicators import Period
from safeguard.performance.tests import build

pytestmark = pytest.mark.django_db


def test_referrals_count_both_ends_of_the_period(world, measure):
    build.case(world, referred=date(2025, 3, 31))  # the day before
    build.case(world, referred=date(2025, 4, 1))
    build.case(world, referred=date(2026, 3, 31))
    build.case(world, referred=date(2026, 4, 1))  # the day after
    assert measure("referrals") == 2


def test_rereferral_look_back_is_twelve_calendar_months_inclusive(world, measure):
    kid = build.child(world)
    build.case(world, kid, referred=date(2024, 6, 15), closed=date(2024, 7, 1))
    build.case(world, kid, referred=date(2025, 6, 15))  # exactly 12 months later: counted
    late = build.child(world)
    build.case(world, late, referred=date(2024, 6, 14), closed=date(2024, 7, 1))
    build.case(world, late, referred=date(2025, 6, 15))  # 12 months and a day: not counted
    assert measure("rereferrals_12m") == (1, 4 - 2)


def test_rereferral_look_back_clamps_the_leap_day(world, measure):
    # add_months(2025-02-28, -12) is 2024-02-28, so 2024-02-29 is inside; 2024-02-27 is not.
    kid = build.child(world)
    build.case(world, kid, referred=date(2024, 2, 29), closed=date(2024, 3, 1))
    build.case(world, kid, referred=date(2025, 2, 28))
    other = build.child(world)
    build.case(world, other, referred=date(2024, 2, 27), closed=date(2024, 3, 1))
    build.case(world, other, referred=date(2025, 2, 28))
    assert measure("rereferrals_12m", Period(date(2024, 4, 1), date(2025, 3, 31))) == (1, 2)


def test_a_same_day_or_later_referral_is_not_a_previous_one(world, measure):
    kid = build.child(world)
    build.case(world, kid, referred=date(2025, 5, 1), closed=date(2025, 5, 1))
    build.case(world, kid, referred=date(2025, 5, 1), closed=date(2025, 5, 2))
    assert measure("rereferrals_12m") == (0, 2)


def test_nfa_referrals_and_their_episodes(world, measure):
    build.case(world, referred=date(2025, 5, 1), nfa=True)  # no closure date recorded
    build.case(world, referred=date(2025, 5, 2), nfa=True, closed=date(2026, 6, 1))
    build.case(world, referred=date(2025, 5, 3))
    assert measure("referrals_nfa") == (2, 3)
    # An NFA referral counts as closed on its referral date: not open at the period end.
    assert measure("cin_open_at_end") == 1


def test_open_at_the_end_means_closed_after_it(world, measure):
    kid = build.child(world)
    build.case(world, kid, referred=date(2025, 5, 1), closed=date(2026, 3, 31))  # closed on `to`
    build.case(world, kid, referred=date(2025, 6, 1), closed=date(2026, 4, 1))  # open on `to`
    build.case(world, kid, referred=date(2026, 3, 31))  # referred on `to`: open
    build.case(world, referred=date(2026, 4, 1))  # not yet referred
    assert measure("cin_open_at_end") == 2
    assert measure("children_in_need_at_end") == 1


def test_referral_decisions_within_one_working_day_over_easter(world, measure):
    a = build.case(world, referred=date(2025, 4, 17))
    build.referral(world, a, received=date(2025, 4, 17), decided=date(2025, 4, 22))  # 1 wd
    b = build.case(world, referred=date(2025, 4, 17))
    build.referral(world, b, received=date(2025, 4, 17), decided=date(2025, 4, 23))  # 2 wd
    c = build.case(world, referred=date(2025, 3, 31))
    build.referral(
        world, c, received=date(2025, 3, 31), decided=date(2025, 4, 1)
    )  # decided in period
    assert measure("referral_decisions_within_1wd") == (2, 3)
