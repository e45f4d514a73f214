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


@pytest.mark.django_db
def test_grouped_trend_agrees_with_month_by_month_figures(world):
    """Each indicator's one-query trend gives what computing every month on its own gives."""
    from safeguard.performance.indicators import INDICATORS, Scope
    from safeguard.performance.selectors import figure

    kid = build.child(world)
    a = build.case(world, kid, referred=date(2025, 1, 31), worker=world.sw_amy)
    b = build.case(world, kid, referred=date(2025, 11, 3), worker=world.sw_ben, team=world.team_b)
    build.referral(world, b, received=date(2025, 10, 31), decided=date(2025, 11, 3))
    build.assessment(a, start=date(2025, 2, 3), done=date(2025, 4, 30))
    build.assessment(b, start=date(2025, 11, 3), done=date(2025, 11, 28), kind="initial")
    build.s47(world, a, start=date(2025, 5, 30), icpc=date(2025, 6, 20))
    build.plan(
        world,
        a,
        start=date(2025, 6, 20),
        icpc=date(2025, 6, 20),
        core_groups=[date(2025, 7, 1)],
        reviews=[date(2025, 9, 19)],
        end=date(2026, 1, 9),
    )
    build.plan(world, b, start=date(2026, 1, 9), elsewhere=1)
    build.visit(world, b, date(2026, 1, 20))
    build.decision(world, b, date(2026, 3, 2))
    for scope in (Scope(), Scope(team_id=world.team_b.pk)):
        for indicator in INDICATORS:
            grouped = trend(indicator, date(2026, 3, 31), scope)
            for month, fig in grouped:
                alone = figure(indicator, month, scope)
                assert (fig.numerator, fig.denominator) == (alone.numerator, alone.denominator), (
                    indicator.id,
                    month,
                    scope,
                )


@pytest.mark.django_db
def test_figures_compared_agree_with_each_year_alone(world):
    from safeguard.performance.indicators import Scope
    from safeguard.performance.selectors import figures, figures_compared

    kid = build.child(world)
    a = build.case(world, kid, referred=date(2024, 5, 31), worker=world.sw_amy)
    b = build.case(world, kid, referred=date(2025, 4, 1), worker=world.sw_ben, team=world.team_b)
    build.assessment(a, start=date(2024, 6, 3), done=date(2025, 3, 31))
    build.assessment(b, start=date(2025, 4, 1), done=date(2025, 4, 2), kind="core")
    build.plan(world, a, start=date(2024, 6, 20), end=date(2025, 4, 1))
    year = Period(date(2025, 4, 1), date(2026, 3, 31))
    for scope in (Scope(), Scope(team_id=world.team_a.pk)):
        compared = figures_compared(year, last_year(year), scope)
        now, before = figures(year, scope), figures(last_year(year), scope)
        assert list(compared) == list(now)
        for kpi_id, (this, last) in compared.items():
            assert (this.numerator, this.denominator) == (
                now[kpi_id].numerator,
                now[kpi_id].denominator,
            )
            if kpi_id in before:
                assert (last.numerator, last.denominator) == (
                    before[kpi_id].numerator,
                    before[kpi_id].denominator,
                )
            else:
                assert last is None
    # Overlapping periods are measured one by one.
    overlapping = figures_compared(year, Period(date(2025, 10, 1), date(2026, 9, 30)))
    assert overlapping["referrals"][0].denominator == 1
