"""Periods: last year, the 24 months of a trend, and a trend's figures month by month."""

from datetime import date

import pytest

from safeguard.performance.indicators import BY_ID, Period
from safeguard.performance.selectors import last_year, months_ending, trend
from safeguard.performance.tests import build


def test_last_year_clamps_the_leap_day():
    assert last_year(Period(date(2023, 3, 1), date(2024, 2, 29))) == Period(
        date(2022, 3, 1), date(2023, 2, 28)
    )


def test_24_months_end_with_the_period_end():
    months = months_ending(date(2026, 3, 31))
    assert len(months) == 24
    assert months[0] == Period(date(2024, 4, 1), date(2024, 4, 30))
    assert months[-1] == Period(date(2026, 3, 1), date(2026, 3, 31))
    assert months_ending(date(2026, 2, 15))[-1] == Period(date(2026, 2, 1), date(2026, 2, 15))
    assert months_ending(date(2024, 3, 31))[-2] == Period(date(2024, 2, 1), date(2024, 2, 29))


@pytest.mark.django_db
def test_trend_counts_each_month(world):
    build.case(world, referred=date(2025, 6, 30))
    build.case(world, referred=date(2025, 7, 1))
    build.case(world, referred=date(2025, 7, 31))
    counts = {m.start: f.denominator for m, f in trend(BY_ID["referrals"], date(2026, 3, 31))}
    assert counts[date(2025, 6, 1)] == 1
    assert counts[date(2025, 7, 1)] == 2
    assert sum(counts.values()) == 3
