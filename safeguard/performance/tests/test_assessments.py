"""Assessments completed, within 45 working days, and the 2006-2010 indicators (NI 59, 60, 68)."""

from datetime import date

import pytest

from safeguard.performance.indicators import Period
from safeguard.performance.selectors import figures
from safeguard.performance.tests import build

pytestmark = pytest.mark.django_db


def test_completed_means_authorised_in_period(world, measure):
    c = build.case(world, referred=date(2025, 1, 6))
    build.assessment(c, start=date(2025, 1, 6), done=date(2025, 3, 31))  # before
    build.assessment(c, start=date(2025, 2, 3), done=date(2025, 4, 1))
    build.assessment(c, start=date(2026, 3, 2), done=None)  # not authorised
    assert measure("assessments_completed") == 1


def test_forty_five_working_days_across_the_easter_and_may_bank_holidays(world, measure):
    # Monday 14 April 2025 + 45 working days is Friday 20 June (Good Friday, Easter Monday and
    # the two May bank holidays are skipped); counting them would give 13 June.
    c = build.case(world, referred=date(2025, 4, 14))
    build.assessment(c, start=date(2025, 4, 14), done=date(2025, 6, 20))  # 45: in
    build.assessment(c, start=date(2025, 4, 14), done=date(2025, 6, 23))  # 46: out
    build.assessment(c, start=date(2025, 4, 14), done=date(2025, 4, 14))  # same day, 0: in
    assert measure("assessments_within_45wd") == (2, 3)


def test_old_regime_indicators_appear_only_with_initial_or_core_assessments(world):
    c = build.case(world, referred=date(2025, 6, 2))
    build.assessment(c, start=date(2025, 6, 2), done=date(2025, 6, 20))
    year = Period(date(2025, 4, 1), date(2026, 3, 31))
    found = figures(year)
    assert "ni59_initial_assessments_7wd" not in found
    assert {"ni64_cpp_2y_plus", "ni65_cpp_second_or_subsequent", "ni67_cpp_reviews_on_time"} <= set(
        found
    )
    build.assessment(c, start=date(2025, 6, 2), done=date(2025, 6, 11), kind="initial")
    found = figures(year)
    assert {
        "ni59_initial_assessments_7wd",
        "ni60_core_assessments_35wd",
        "ni68_referrals_to_initial_assessment",
    } <= set(found)


def test_ni59_counts_from_the_referral_date_seven_or_ten_working_days(world, measure):
    # Referral Monday 2 June 2025: 7 working days is 11 June, 10 is 16 June.
    c = build.case(world, referred=date(2025, 6, 2))
    build.assessment(c, start=date(2025, 6, 4), done=date(2025, 6, 11), kind="initial")
    build.assessment(c, start=date(2025, 6, 4), done=date(2025, 6, 12), kind="initial")
    build.assessment(c, start=date(2025, 6, 4), done=date(2025, 6, 16), kind="initial")
    assert measure("ni59_initial_assessments_7wd") == (1, 3)
    world.authority.rule_set = "wt2010"
    world.authority.save()
    assert measure("ni59_initial_assessments_7wd") == (3, 3)
    assert measure("ni68_referrals_to_initial_assessment") == (1, 1)


def test_ni59_times_a_reassessment_from_its_own_start(world, measure):
    # Item 17 of issue 11. Referral Monday 7 April 2025; the first initial assessment is
    # timed from it. A re-assessment started on Monday 2 June and done 4 working days later
    # is on time, though months after the referral.
    c = build.case(world, referred=date(2025, 4, 7))
    build.assessment(c, start=date(2025, 4, 7), done=date(2025, 4, 15), kind="initial")  # 6
    build.assessment(c, start=date(2025, 6, 2), done=date(2025, 6, 6), kind="initial")  # 4
    build.assessment(c, start=date(2025, 7, 1), done=date(2025, 7, 11), kind="initial")  # 8
    assert measure("ni59_initial_assessments_7wd") == (2, 3)


def test_ni60_core_assessments_within_35_working_days(world, measure):
    # Wednesday 3 December 2025 + 35 working days (Christmas, Boxing Day, New Year) is 26 January.
    c = build.case(world, referred=date(2025, 11, 3))
    build.assessment(c, start=date(2025, 12, 3), done=date(2026, 1, 26), kind="core")
    build.assessment(c, start=date(2025, 12, 3), done=date(2026, 1, 27), kind="core")
    assert measure("ni60_core_assessments_35wd") == (1, 2)
