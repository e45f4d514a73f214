"""The demo borough fills the early help queue and every figure for a preventative strategy
(issue 19 items 5 and 6, decision 0082)."""

import pytest

from safeguard.accounts.models import LocalAuthority
from safeguard.demo.generator.common import DFE_LA_CODE
from safeguard.performance import early_help as figures
from safeguard.performance.models import ChildPopulation
from safeguard.performance.partners import twelve_months_to
from safeguard.timescales import early_help as queue

pytestmark = pytest.mark.xdist_group("borough")


@pytest.mark.django_db
def test_the_demo_fills_the_queue_and_the_figures(borough):
    as_at = borough.as_at
    authority = LocalAuthority.objects.get(dfe_la_code=DFE_LA_CODE)
    assert queue.assessments_late(authority, on=as_at).total >= 1
    assert queue.reviews_overdue(authority, on=as_at).total >= 1
    assert ChildPopulation.objects.filter(authority=authority).count() >= 3
    shown = dict(
        figures.early_help_figures(authority_id=authority.pk, period=twelve_months_to(as_at))
    )
    by_id = {figure.id: lines for figure, lines in shown.items()}
    for figure_id in ("assessments", "steps", "rereferred", "contacts"):
        assert by_id[figure_id], figure_id
    [rereferred] = by_id["rereferred"]
    assert rereferred.counts[1] >= 1
    per_district = [line for line in by_id["contacts"] if "of" in line.extra]
    assert per_district, by_id["contacts"]
