"""The dashboard: figures with definitions, last year, the trend chart and table, drill-down
(logged, only the children the user may see) and CSV downloads safe from formula injection."""

import csv
import io
from datetime import date

import pytest

from safeguard.audit.models import AccessEvent
from safeguard.core.csv import safe_cell
from safeguard.performance import permissions
from safeguard.performance.tests import build

pytestmark = pytest.mark.django_db

Q = "?from=2025-04-01&to=2026-03-31"


@pytest.fixture
def data(world):
    kid = build.child(world)
    kid.family_name = "=HYPERLINK(1)"
    kid.save()
    build.case(world, kid, referred=date(2024, 6, 10), closed=date(2024, 7, 1))
    c = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    build.assessment(c, start=date(2025, 6, 2), done=date(2025, 6, 20))
    build.case(world, referred=date(2025, 9, 1), worker=world.sw_ben, team=world.team_b)
    return kid


def _client(client, user):
    client.force_login(user)
    return client


def test_dashboard_shows_each_indicator_with_its_definition_and_last_year(world, data, client):
    response = _client(client, world.analyst_eve).get("/performance/" + Q)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Re-referrals within 12 months" in page
    assert "add_months(r, -12) &lt;= p &lt; r" in page
    assert "Same period last year" in page
    row = page[page.index('id="rereferrals_12m"') :]
    row = row[: row.index("</tr>")]
    assert "50.0%" in row and ">1<" in row and ">2<" in row
    # Last year (2024-25) had one referral and no re-referral.
    assert "0.0%" in row


def test_dashboard_for_a_team_and_a_worker(world, data, client):
    c = _client(client, world.analyst_eve)
    page = c.get(f"/performance/{Q}&team={world.team_b.pk}").content.decode()
    row = page[page.index('id="referrals"') :]
    assert ">1<" in row[: row.index("</tr>")]
    assert c.get(f"/performance/{Q}&worker={world.sw_amy.pk}").status_code == 200


def test_a_team_manager_sees_only_their_own_teams(world, data, client):
    c = _client(client, world.tm_carol)
    assert c.get(f"/performance/{Q}&team={world.team_a.pk}").status_code == 200
    assert c.get(f"/performance/{Q}&team={world.team_b.pk}").status_code == 403
    assert c.get(f"/performance/{Q}&worker={world.sw_ben.pk}").status_code == 403
    assert list(permissions.visible_to(world.tm_carol)) == [world.team_a]


def test_bad_input_gives_a_message_not_an_error(world, data, client):
    c = _client(client, world.analyst_eve)
    page = c.get("/performance/?from=2025-02-30&to=yesterday").content.decode()
    assert "Enter the &#x27;from&#x27; date as YYYY-MM-DD" in page
    assert c.get("/performance/?from=2026-04-01&to=2025-04-01").status_code == 200
    assert c.get("/performance/?from=1900-01-01&to=1900-12-31").status_code == 200
    assert c.get("/performance/?team=abc").status_code == 404
    assert c.get("/performance/no_such_kpi/").status_code == 404
    assert c.get("/performance/referrals/children/?part=other").status_code == 404


def test_indicator_page_has_a_chart_and_the_same_figures_in_a_table(world, data, client):
    page = _client(client, world.sm_dan).get("/performance/referrals/" + Q).content.decode()
    assert '<svg class="sg-chart" role="img" aria-labelledby="chart-title chart-desc"' in page
    assert page.count("<rect ") == 24
    assert "Jun 2025" in page and "Apr 2024" in page
    assert "Child Protection Team A" in page and "Child Protection Team B" in page


def test_trend_csv_has_24_months(world, data, client):
    response = _client(client, world.analyst_eve).get(
        "/performance/assessments_within_45wd/" + Q + "&format=csv&table=trend"
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["month", "from", "to", "numerator", "denominator", "value"]
    assert len(rows) == 25
    assert rows[-1][:3] == ["2026-03", "2026-03-01", "2026-03-31"]
    assert ["2025-06", "2025-06-01", "2025-06-30", "1", "1", "1.0"] in rows


def test_drill_down_lists_the_children_and_logs_each(world, data, client):
    c = _client(client, world.analyst_eve)
    before = AccessEvent.objects.count()
    response = c.get("/performance/rereferrals_12m/children/" + Q + "&part=numerator")
    assert response.status_code == 200
    assert "=HYPERLINK(1)" in response.content.decode()
    assert AccessEvent.objects.count() == before + 1
    event = AccessEvent.objects.latest("at")
    assert event.person_id == data.pk and event.purpose == "list"


def test_drill_down_leaves_out_children_the_user_may_not_see(world, data, client):
    other = build.child(world)
    other.authority = world.other_authority
    other.save()
    build.case(world, other, referred=date(2025, 7, 1), authority=world.other_authority)
    # The analyst's figures are their own authority's only, so nobody is hidden here...
    page = (
        _client(client, world.analyst_eve)
        .get("/performance/referrals/children/" + Q)
        .content.decode()
    )
    assert "Kid" in page and "you may not see" not in page
    # ...and partners and social workers may not drill down at all.
    assert (
        _client(client, world.police_pat).get("/performance/referrals/children/" + Q).status_code
        == 403
    )


def test_csv_downloads_are_safe_from_formula_injection(world, data, client):
    response = _client(client, world.analyst_eve).get(
        "/performance/rereferrals_12m/children/" + Q + "&part=numerator&format=csv"
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "'=HYPERLINK(1)"
    table = _client(client, world.analyst_eve).get("/performance/" + Q + "&format=csv")
    rows = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["id", "indicator", "definition", "numerator", "denominator", "value"]
    assert rows[1][:2] == ["referrals", "Referrals"]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+44", "'+44"),
        ("-2", "'-2"),
        ("@SUM", "'@SUM"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Smith", "Smith"),
        (-2, "-2"),
        (0.25, "0.25"),
        (None, ""),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_the_service_navigation_links_the_dashboard_for_those_who_may_see_it(world, client):
    assert 'href="/performance/"' in _client(client, world.tm_carol).get("/").content.decode()
    assert 'href="/performance/"' not in _client(client, world.sw_amy).get("/").content.decode()


def test_by_worker_links_are_the_case_holders_of_the_shown_teams(world, data, client):
    page = _client(client, world.tm_carol).get("/performance/" + Q).content.decode()
    assert f"worker={world.sw_amy.pk}" in page
    assert f"worker={world.sw_ben.pk}" not in page


def test_a_whole_authority_lists_teams_and_a_team_lists_its_workers(world, data, client):
    c = _client(client, world.analyst_eve)
    page = c.get("/performance/" + Q).content.decode()
    assert f"team={world.team_a.pk}" in page and f"team={world.team_b.pk}" in page
    assert "worker=" not in page and "Choose a team to see the figures" in page
    team_b = c.get(f"/performance/{Q}&team={world.team_b.pk}").content.decode()
    assert f"worker={world.sw_ben.pk}" in team_b and f"worker={world.sw_amy.pk}" not in team_b


def test_drill_down_pages_by_100_and_logs_only_the_page_shown(world, client, monkeypatch):
    from safeguard.performance.views import drilldown

    for _ in range(3):
        build.case(world, referred=date(2025, 6, 2))
    c = _client(client, world.analyst_eve)
    monkeypatch.setattr(drilldown, "PAGE_SIZE", 2)
    before = AccessEvent.objects.count()
    page = c.get("/performance/referrals/children/" + Q).content.decode()
    assert "3 children: page 1 of 2" in page and "page=2" in page
    assert AccessEvent.objects.count() == before + 2
    page = c.get("/performance/referrals/children/" + Q + "&page=2").content.decode()
    assert "page 2 of 2" in page and "page=1" in page
    assert AccessEvent.objects.count() == before + 3
    assert c.get("/performance/referrals/children/" + Q + "&page=x").status_code == 200  # page 1
    response = c.get("/performance/referrals/children/" + Q + "&format=csv")
    assert len(list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))) == 4
    assert AccessEvent.objects.count() == before + 3 + 2 + 3


def test_bar_chart_scales_bars_and_labels_rates_in_per_cent():
    from safeguard.performance.charts import bar_chart

    chart = bar_chart(
        [("Jan", 0.5, "50.0%"), ("Feb", None, "no data"), ("Mar", 1.0, "100.0%")], percent=True
    )
    assert [label for _, label in chart.gridlines] == ["0%", "25%", "50%", "75%", "100%"]
    half, empty, full = chart.bars
    assert empty.height == 0 and full.height == 2 * half.height
    assert full.y + full.height == chart.baseline


def test_a_sole_authority_is_measured_without_the_authority_filter(world, data, client):
    from safeguard.accounts.models import Agency

    c = _client(client, world.analyst_eve)
    before = c.get("/performance/" + Q + "&format=csv").content
    assert c.get("/performance/" + Q).context["choice"].scope.authority_id == world.authority.pk
    world.outsider.delete()
    world.other_sw.delete()
    Agency.objects.filter(authority=world.other_authority).delete()
    world.other_authority.delete()
    assert c.get("/performance/" + Q).context["choice"].scope.authority_id is None
    assert c.get("/performance/" + Q + "&format=csv").content == before


def test_drill_down_counts_a_sealed_child_without_naming_or_logging_them(world, data, client):
    from safeguard.people.tests.sealing import seal

    seal(world, data, world.sw_amy)  # named: Carol and Amy; not the analyst
    before = AccessEvent.objects.filter(person_id=data.pk).count()
    response = _client(client, world.analyst_eve).get(
        "/performance/rereferrals_12m/children/" + Q + "&part=numerator"
    )
    page = response.content.decode()
    assert response.context["people"] == [] and response.context["hidden"] == 1
    assert "1 child you may not see is left out" in page and "HYPERLINK" not in page
    assert AccessEvent.objects.filter(person_id=data.pk).count() == before


def test_drill_down_costs_the_same_queries_however_many_children(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = _client(client, world.analyst_eve)
    c.get("/performance/referrals/children/" + Q)  # the calendar table, filled once

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert c.get("/performance/referrals/children/" + Q).status_code == 200
        return len(captured)

    build.case(world, referred=date(2025, 6, 2))
    few = queries()
    for _ in range(4):
        build.case(world, referred=date(2025, 6, 2))
    assert queries() == few
