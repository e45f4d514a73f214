"""Plain words for the figures (issue 21): every indicator's definition in plain English with
the exact rule beside it, and every drill-down (page and CSV) showing the dates and codes
that put each child in the figure."""

import csv
import html
import io
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguard.performance import selectors
from safeguard.performance.calendar import ensure_calendar
from safeguard.performance.indicators import INDICATORS, PLAIN_DEFINITIONS, Period
from safeguard.performance.tests import build

Q = "?from=2025-04-01&to=2026-03-31"
PERIOD = Period(date(2025, 4, 1), date(2026, 3, 31))
# What reads as code: internal names, comparisons, a function's call.
CODE_LIKE = re.compile(r"_|<|>|=|\w\(|\bwd\b|\bp\b|\br\b")


def test_every_indicator_has_a_plain_definition_without_code():
    assert set(PLAIN_DEFINITIONS) == {i.id for i in INDICATORS}
    for indicator in INDICATORS:
        assert indicator.plain == PLAIN_DEFINITIONS[indicator.id]
        assert indicator.plain.endswith("."), indicator.id
        assert not CODE_LIKE.search(indicator.plain), (indicator.id, indicator.plain)
        assert indicator.plain != indicator.definition


def test_the_code_check_finds_the_old_formulas():
    assert CODE_LIKE.search("add_months(r, -12) <= p < r")
    assert CODE_LIKE.search("wd(start, authorisation) <= 45")
    assert CODE_LIKE.search("Same as cpp_repeat.")


@pytest.fixture
def kid(world):
    """One child with a record behind every kind of figure, on known dates."""
    kid = build.child(world)
    c = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    build.referral(world, c, received=date(2025, 6, 2), decided=date(2025, 6, 3))
    build.assessment(c, start=date(2025, 6, 2), done=date(2025, 6, 20))
    build.s47(world, c, start=date(2025, 7, 1), icpc=date(2025, 7, 10))
    build.plan(world, c, start=date(2025, 7, 10), icpc=date(2025, 7, 10))
    return kid


def _get(client, world, url):
    client.force_login(world.analyst_eve)
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def test_the_dashboard_and_each_indicator_page_show_the_plain_words_and_the_exact_rule(
    world, kid, client
):
    dashboard = _get(client, world, "/performance/" + Q).content.decode()
    for indicator in INDICATORS:
        if f'id="{indicator.id}"' not in dashboard:
            continue  # a section 3 indicator without its data
        row = dashboard[dashboard.index(f'id="{indicator.id}"') :]
        row = row[: row.index("</tr>")]
        assert html.escape(indicator.plain) in row, indicator.id
        assert "The exact rule" in row and html.escape(indicator.definition) in row
    for indicator in INDICATORS[:3] + (selectors.BY_ID["cpp_reviews_on_time"],):
        page = _get(client, world, f"/performance/{indicator.id}/{Q}").content.decode()
        plain = page.index(html.escape(indicator.plain))
        rule = page.index(html.escape(indicator.definition))
        assert plain < page.index("The exact rule") < rule


def test_the_dashboard_csv_gives_the_plain_words_beside_the_exact_rule(world, kid, client):
    text = _get(client, world, "/performance/" + Q + "&format=csv").content.decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        indicator = selectors.BY_ID[row[header.index("id")]]
        assert row[header.index("definition")] == indicator.definition
        assert row[header.index("in plain words")] == indicator.plain


def _table(client, world, indicator_id, part="denominator"):
    url = f"/performance/{indicator_id}/children/{Q}&part={part}&format=csv"
    return list(csv.reader(io.StringIO(_get(client, world, url).content.decode("utf-8-sig"))))


def _csv(client, world, indicator_id, part="denominator"):
    header, *rows = _table(client, world, indicator_id, part)
    return [dict(zip(header, row, strict=True)) for row in rows]


def _kid_row(rows, kid):
    return next(row for row in rows if row["given names"] == kid.given_names)


def test_every_drill_down_csv_has_the_columns_of_its_records(world, kid, client):
    ensure_calendar()
    for indicator in INDICATORS:
        for part in ("denominator", "numerator"):
            source = getattr(indicator, part)
            if source is None:
                continue
            model = source(PERIOD).model.__name__
            expected = [label.lower() for label, _path in selectors.EVIDENCE[model]]
            header, *rows = _table(client, world, indicator.id, part)
            assert header[:4] == ["family name", "given names", "date of birth", "local child id"]
            assert header[4 : 4 + len(expected)] == expected, (indicator.id, part)
            assert all(len(row) == len(header) for row in rows)


@pytest.mark.parametrize(
    "indicator_id, expected",
    [
        ("referrals", {"referral date": "2025-06-02", "referral source": "6",
                       "no further action": "no", "closure date": ""}),
        ("assessments_completed", {"referral date": "2025-06-02", "assessment": "single",
                                   "assessment started": "2025-06-02",
                                   "assessment completed": "2025-06-20"}),
        ("icpcs", {"section 47 started": "2025-07-01", "initial conference": "2025-07-10"}),
        ("cpp_started", {"plan started": "2025-07-10", "plan ended": "",
                         "category of abuse": "NEG"}),
        ("core_groups_on_time", {"plan started": "2025-07-10"}),
        ("referral_decisions_within_1wd", {"referral received": "2025-06-02",
                                           "decision": "assessment", "decided": "2025-06-03"}),
        ("cin_open_at_end", {"referral date": "2025-06-02", "closure date": ""}),
        ("average_caseload", {"worker": "amy", "allocated from": "2025-06-02"}),
    ],
)  # fmt: skip
def test_each_drill_down_csv_gives_the_childs_own_dates_and_codes(
    world, kid, client, indicator_id, expected
):
    rows = _csv(client, world, indicator_id)
    row = _kid_row(rows, kid)
    for column, value in expected.items():
        assert row[column] == value, (indicator_id, column)


def test_a_child_with_two_records_behind_a_figure_has_both_dates(world, kid, client):
    build.case(world, kid, referred=date(2025, 11, 3))
    row = _kid_row(_csv(client, world, "referrals"), kid)
    assert row["referral date"] == "2025-06-02; 2025-11-03"
    row = _kid_row(_csv(client, world, "rereferrals_12m", "numerator"), kid)
    assert "2025-11-03" in row["referral date"]


def test_the_drill_down_page_shows_the_dates_beside_each_child(world, kid, client):
    page = _get(client, world, f"/performance/icpcs/children/{Q}").content.decode()
    assert '<th scope="col" class="govuk-table__header">Initial conference</th>' in page
    assert "10 Jul 2025" in page and "1 Jul 2025" in page


def _queries(client, world, url):
    client.force_login(world.analyst_eve)
    client.get(url)  # warm: the calendar and the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_drill_down_reads_the_dates_in_a_fixed_number_of_queries(world, kid, client):
    for url in (
        f"/performance/referrals/children/{Q}",
        f"/performance/referrals/children/{Q}&format=csv",
    ):
        few = _queries(client, world, url)
        for _ in range(4):
            other = build.child(world)
            c = build.case(world, other, referred=date(2025, 8, 1))
            build.case(world, other, referred=date(2025, 9, 1))
            build.assessment(c, start=date(2025, 8, 1), done=date(2025, 8, 20))
        assert _queries(client, world, url) == few, url
