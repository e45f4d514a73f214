"""Figures for an authority, a team and a worker; drill-down to the children behind them."""

from datetime import date

import pytest

from safeguard.casework.models import Allocation
from safeguard.performance.indicators import BY_ID, Scope
from safeguard.performance.selectors import children_behind, figures_by
from safeguard.performance.tests import build
from safeguard.performance.tests.conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world):
    # Amy (team A) holds a case from two days after its referral: the referral is hers.
    amy = build.case(
        world, referred=date(2025, 6, 2), worker=world.sw_amy, allocated=date(2025, 6, 4)
    )
    build.assessment(amy, start=date(2025, 6, 2), done=date(2025, 7, 1))
    # Ben (team B) took over a case of Amy's before its assessment was authorised.
    moved = build.case(world, referred=date(2025, 5, 1), worker=world.sw_amy)
    Allocation.objects.filter(case=moved).update(end_date=date(2025, 9, 1))
    Allocation.objects.create(
        case=moved, worker=world.sw_ben, team=world.team_b, start_date=date(2025, 9, 1)
    )
    build.assessment(moved, start=date(2025, 5, 1), done=date(2025, 12, 1))  # 150 wd: late
    build.case(world, referred=date(2025, 7, 1))  # never allocated
    other = build.child(world)
    other.authority = world.other_authority
    other.save()
    build.case(world, other, referred=date(2025, 7, 1), authority=world.other_authority)
    return amy, moved


def test_authority_team_and_worker_figures(world, measure, cases):
    assert measure("referrals") == 4
    assert measure("referrals", scope=Scope(authority_id=world.authority.pk)) == 3
    assert measure("referrals", scope=Scope(team_id=world.team_a.pk)) == 2
    assert measure("referrals", scope=Scope(worker_id=world.sw_ben.pk)) == 0
    assert measure("assessments_within_45wd", scope=Scope(worker_id=world.sw_amy.pk)) == (1, 1)
    assert measure("assessments_within_45wd", scope=Scope(team_id=world.team_b.pk)) == (0, 1)


def test_figures_by_team_in_one_grouped_query(world, cases, django_assert_max_num_queries):
    indicator = BY_ID["assessments_within_45wd"]
    from safeguard.performance.calendar import ensure_calendar

    ensure_calendar()
    with django_assert_max_num_queries(3):
        by_team = figures_by(indicator, YEAR, "team", world.authority.pk)
    assert {team: (f.numerator, f.denominator) for team, f in by_team.items()} == {
        world.team_a.pk: (1, 1),
        world.team_b.pk: (0, 1),
    }


def test_children_behind_a_figure(world, cases):
    amy, moved = cases
    scope = Scope(authority_id=world.authority.pk)
    assert children_behind("assessments_within_45wd", YEAR, scope, "numerator") == [amy.child_id]
    assert children_behind("assessments_within_45wd", YEAR, scope, "denominator") == sorted(
        [amy.child_id, moved.child_id]
    )


def test_a_statement_shared_by_indicators_runs_once(world, cases, monkeypatch):
    """Indicators share parts (the referrals in period are the denominator of several; the
    NI 67 figure is the review chain's): the dashboard runs each distinct statement once, and
    every figure reading it is the same as when measured alone."""
    from safeguard.core import parallel_reads
    from safeguard.performance.selectors import figure, figures_compared, last_year

    ran = []
    run = parallel_reads.run

    def counted(statements):
        ran.extend(statements)
        return run(statements)

    monkeypatch.setattr(parallel_reads, "run", counted)
    for scope in (Scope(), Scope(team_id=world.team_a.pk)):
        ran.clear()
        compared = figures_compared(YEAR, last_year(YEAR), scope, errors=True)
        assert len(ran) == len(set(ran))
        parts = sum(2 if f.numerator is not None else 1 for f, _ in compared.values())
        assert len(ran) < parts  # fewer statements than figure parts: some were shared
        for kpi in ("referrals", "rereferrals_12m", "assessments_within_45wd", "cpp_repeat"):
            alone = figure(BY_ID[kpi], YEAR, scope, errors=True)
            assert compared[kpi][0] == alone
