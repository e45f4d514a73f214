"""The data-quality error counts and the "Validated" tag on the dashboard and indicator page
(the checks themselves are tested in safeguard/quality/tests)."""

from datetime import date

import pytest

from safeguard.quality.services import check_children
from safeguard.quality.tests import build

pytestmark = pytest.mark.django_db

TODAY = date(2025, 10, 1)
Q = "?from=2025-04-01&to=2026-03-31"


def _as(client, user):
    client.force_login(user)
    return client


def _row(page, kpi_id):
    row = page[page.index(f'id="{kpi_id}"') :]
    return row[: row.index("</tr>")]


def test_the_dashboard_counts_children_with_errors_and_validates_clean_figures(world, client):
    kid = build.child(world)
    c = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    check_children([kid.pk], today=TODAY)
    c_ = _as(client, world.analyst_eve)
    page = c_.get("/performance/" + Q).content.decode()
    assert "Validated" in _row(page, "referrals")
    # The same child with a visit before the referral: the referral count is not validated.
    build.visit(world, c, date(2025, 6, 1))
    check_children([kid.pk], today=TODAY)
    page = c_.get("/performance/" + Q).content.decode()
    row = _row(page, "referrals")
    assert "Validated" not in row and "1 child with errors" in row
    # An indicator with no children behind it stays validated.
    assert "Validated" in _row(page, "cpp_started")
    detail = c_.get("/performance/referrals/" + Q).content.decode()
    assert "1 child counted with errors" in detail and "Validated" not in detail


def test_the_indicator_page_shows_numerator_errors(world, client):
    kid = build.child(world)
    c = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    build.s47(world, c, discussed=date(2025, 6, 10), start=date(2025, 6, 9))  # SG06
    check_children([kid.pk], today=TODAY)
    page = _as(client, world.analyst_eve).get("/performance/" + Q).content.decode()
    assert "1 child with errors" in _row(page, "s47_started")


def test_kpis_json_is_unchanged_by_errors(world):
    """kpis.md section 5 is a contract: the JSON has no data-quality fields."""
    import json
    from io import StringIO

    from django.core.management import call_command

    kid = build.child(world)
    c = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    build.visit(world, c, date(2025, 6, 1))
    check_children([kid.pk], today=TODAY)
    out = StringIO()
    call_command("kpis", "--from", "2025-04-01", "--to", "2026-03-31", "--json", stdout=out)
    assert "error" not in out.getvalue().lower() and "valid" not in out.getvalue().lower()
    json.loads(out.getvalue())


@pytest.mark.parametrize("few", [0, 200])
def test_error_counts_by_list_and_by_subquery_agree(world, monkeypatch, few):
    """Few children with errors are matched by a list of ids, many by a subquery."""
    from safeguard.performance.indicators import Period, Scope
    from safeguard.performance.selectors import children_with_errors
    from safeguard.quality import selectors as quality

    monkeypatch.setattr(quality, "FEW", few)
    for n in range(3):
        kid = build.child(world)
        c = build.case(world, kid, referred=date(2025, 6, 2 + n), worker=world.sw_amy)
        if n:
            build.visit(world, c, date(2025, 6, 1))
        check_children([kid.pk], today=TODAY)
    period = Period(date(2025, 4, 1), date(2026, 3, 31))
    assert children_with_errors("referrals", period, Scope(), "denominator") == 2
    assert children_with_errors("referrals", period, Scope(), "numerator") is None
    scope = Scope(authority_id=world.authority.pk, team_id=world.team_b.pk)
    assert children_with_errors("referrals", period, scope, "denominator") == 0
