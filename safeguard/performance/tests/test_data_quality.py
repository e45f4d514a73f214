"""The data-quality error counts and the "Validated" tag on the dashboard and indicator page
(the checks themselves are tested in safeguard/quality/tests)."""

import csv as _csv
import io
from datetime import date

import pytest

from safeguard.performance.indicators import BY_ID
from safeguard.quality.services import check_authority, check_children
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
    check_authority(world.authority, today=TODAY)
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


def test_a_census_query_does_not_unvalidate_a_figure(world, client):
    """A query asks for a record to be confirmed; it may well be right (decision 0018)."""
    kid = build.child(world, upn=None)  # of school age with no pupil number: query 8770Q
    build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    check_authority(world.authority, today=TODAY)
    assert kid.quality_issues.get().rule == "CIN 8770Q"
    page = _as(client, world.analyst_eve).get("/performance/" + Q).content.decode()
    assert "Validated" in _row(page, "referrals")


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


def test_error_counts_come_with_the_figure_for_each_scope(world):
    """``figure(..., errors=True)`` counts, in the figure's own statements, the children behind
    each part with an open issue; the authority, a team without them, and the comparison
    with last year agree."""
    from safeguard.performance.indicators import Period, Scope
    from safeguard.performance.selectors import figure, figures_compared, last_year

    for n in range(3):
        kid = build.child(world)
        c = build.case(world, kid, referred=date(2025, 6, 2 + n), worker=world.sw_amy)
        if n:
            build.visit(world, c, date(2025, 6, 1))
        check_children([kid.pk], today=TODAY)
    period = Period(date(2025, 4, 1), date(2026, 3, 31))
    referrals = figure(BY_ID["referrals"], period, Scope(), errors=True)
    assert (referrals.denominator, referrals.denominator_errors) == (3, 2)
    assert referrals.numerator_errors is None and referrals.has_errors
    assert referrals.quality(checked=True) == referrals.quality(checked=None) == "errors"
    assert figure(BY_ID["referrals"], period).denominator_errors is None  # not asked for
    now, before = figures_compared(period, last_year(period), Scope(), errors=True)["referrals"]
    assert (now.denominator, now.denominator_errors) == (3, 2)
    assert before.denominator_errors is None
    scope = Scope(authority_id=world.authority.pk, team_id=world.team_b.pk)
    other = figure(BY_ID["referrals"], period, scope, errors=True)
    assert (other.denominator, other.denominator_errors) == (0, 0) and not other.has_errors
    assert other.quality(checked=True) == "validated"
    assert other.quality(checked=None) == "not checked"


def test_a_rate_counts_errors_in_its_numerator_and_denominator_apart(world):
    """A re-referred child with clean records is in both parts; a child referred once, with a
    visit dated before the referral, only in the denominator: only it has errors."""
    from safeguard.performance.indicators import Period, Scope
    from safeguard.performance.selectors import figure

    period = Period(date(2025, 4, 1), date(2026, 3, 31))
    clean = build.child(world)
    build.case(world, clean, referred=date(2025, 5, 1), closed=date(2025, 5, 20))
    build.case(world, clean, referred=date(2025, 7, 1), worker=world.sw_amy)
    wrong = build.child(world)
    build.visit(
        world,
        build.case(world, wrong, referred=date(2025, 6, 2), worker=world.sw_amy),
        date(2025, 6, 1),
    )
    check_children([clean.pk, wrong.pk], today=TODAY)
    rate = figure(BY_ID["rereferrals_12m"], period, Scope(), errors=True)
    assert (rate.numerator, rate.denominator) == (1, 3)
    assert (rate.numerator_errors, rate.denominator_errors) == (0, 1)
    assert rate.has_errors


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_figures_are_the_same_on_one_connection_or_several(world, settings):
    """With the data committed, the statements run side by side (core.parallel_reads); every
    figure and error count matches a run on the request's connection alone."""
    from safeguard.core import parallel_reads
    from safeguard.performance.indicators import Period, Scope
    from safeguard.performance.selectors import figures, figures_compared, last_year, trend
    from safeguard.performance.tests import build as figures_build

    for n in range(4):
        kid = build.child(world)
        c = build.case(world, kid, referred=date(2025, 5 + n, 2), worker=world.sw_amy)
        figures_build.assessment(c, start=date(2025, 5 + n, 2), done=date(2025, 6 + n, 20))
        if n % 2:
            build.visit(world, c, date(2025, 5, 1))
        check_children([kid.pk], today=TODAY)
    period = Period(date(2025, 4, 1), date(2026, 3, 31))
    scopes = [Scope(), Scope(authority_id=world.authority.pk, team_id=world.team_a.pk)]

    def everything():
        out = [figures(period)]
        out += [figures_compared(period, last_year(period), s, errors=True) for s in scopes]
        out.append(trend(BY_ID["assessments_within_45wd"], period.end))
        return out

    settings.SAFEGUARD_READ_WORKERS = 1
    alone = everything()
    settings.SAFEGUARD_READ_WORKERS = 2
    assert parallel_reads.workers(10) == 2
    side_by_side = everything()
    assert side_by_side == alone
    compared = side_by_side[1]
    assert compared["referrals"][0].denominator == 4
    assert compared["referrals"][0].denominator_errors == 2


def test_no_figure_is_validated_until_every_child_has_been_checked(world, client):
    """Children saved before any full check may have errors nobody has seen: until
    ``check-quality`` has run once, clean-looking figures say "Not checked"."""
    from safeguard.quality.models import QualityCheck

    kid = build.child(world)
    build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    c_ = _as(client, world.analyst_eve)
    page = c_.get("/performance/" + Q).content.decode()
    assert "Validated" not in page
    assert "Not checked" in _row(page, "referrals")
    assert "have not yet been checked in full" in page
    csv = c_.get("/performance/" + Q + "&format=csv").content.decode("utf-8-sig")
    header, first = list(_csv.reader(io.StringIO(csv)))[:2]  # the first indicator row
    assert "not checked" in first and first[header.index("validated")] == "not checked"
    detail = c_.get("/performance/referrals/" + Q).content.decode()
    assert "Not checked" in detail and "Validated" not in detail

    check_authority(world.authority, today=TODAY)
    done = QualityCheck.objects.get()
    assert (done.authority, done.children, done.issues) == (world.authority, 1, 0)
    assert done.started_at <= done.finished_at
    page = c_.get("/performance/" + Q).content.decode()
    assert "Validated" in _row(page, "referrals") and "Not checked" not in page
    assert "checked in full on" in page
    csv = c_.get("/performance/" + Q + "&format=csv").content.decode("utf-8-sig")
    header, first = list(_csv.reader(io.StringIO(csv)))[:2]
    assert first[header.index("validated")] == "yes"


def test_errors_show_before_a_full_check_too(world, client):
    kid = build.child(world)
    c = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    build.visit(world, c, date(2025, 6, 1))
    check_children([kid.pk], today=TODAY)  # as a save does
    row = _row(
        _as(client, world.analyst_eve).get("/performance/" + Q).content.decode(), "referrals"
    )
    assert "Data errors" in row and "1 child with errors" in row and "Not checked" not in row


def test_the_summary_says_when_every_child_was_last_checked(world, client):
    c_ = _as(client, world.analyst_eve)
    assert "has never run" in c_.get("/data-quality/").content.decode()
    kid = build.child(world)
    build.visit(
        world,
        build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy),
        date(2025, 6, 1),
    )
    check_authority(world.authority, today=TODAY)
    page = c_.get("/data-quality/").content.decode()
    assert "Last full check:" in page and "1 child checked, 1 error found" in page
