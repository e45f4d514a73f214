"""Periods the dashboard cannot show get a clear message on the page, never a 500 (issue 11,
item 11). The figures span 1970 to 2070 and the dashboard compares each period with the same
period a year earlier, so a period starting in 1970 has no comparison year."""

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

PAGES = [
    "/performance/",
    "/performance/referrals/",
    "/performance/referrals/children/",
    "/performance/demand/",
]

PERIODS = [
    ("1970-01-01", "2070-12-31"),  # the reported one: no year before 1970 to compare with
    ("1970-06-01", "1970-07-01"),
    ("0001-01-01", "0001-12-31"),
    ("9999-01-01", "9999-12-31"),
    ("1969-12-31", "2026-03-31"),
    ("2026-03-31", "2025-04-01"),  # reversed
    ("2026-02-30", "2026-03-31"),  # no such day
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_an_unusable_period_gets_a_clear_message(world, client, page, start, end):
    client.raise_request_exception = False
    client.force_login(world.analyst_eve)
    response = client.get(page, {"from": start, "to": end})
    assert response.status_code == 200, response.status_code
    text = response.content.decode()
    assert "govuk-error-summary" in text
    assert any(
        message in text
        for message in (
            "Choose a period that starts on or after 1 January 1971",
            "choose dates from 1 January 1970 to 31 December 2070",
            "as YYYY-MM-DD",
            "The end of the period must not be before its start",
        )
    )


@pytest.mark.parametrize("page", ["/performance/", "/performance/referrals/"])
def test_the_csv_download_of_an_unusable_period_is_not_a_500(world, client, page):
    client.raise_request_exception = False
    client.force_login(world.analyst_eve)
    response = client.get(page, {"from": "1970-01-01", "to": "2070-12-31", "format": "csv"})
    assert response.status_code in (200, 404)


@pytest.mark.parametrize("page", PAGES)
def test_the_earliest_comparable_period_is_shown(world, client, page):
    client.force_login(world.analyst_eve)
    response = client.get(page, {"from": "1971-01-01", "to": "1971-03-31"})
    assert response.status_code == 200
    assert "govuk-error-summary" not in response.content.decode()


@pytest.mark.parametrize(
    ("start", "end"), [("1969-12-31", "1970-12-31"), ("0001-01-01", "0001-12-31")]
)
def test_kpis_command_refuses_an_out_of_range_period_clearly(world, start, end):
    with pytest.raises(CommandError) as error:
        call_command("kpis", "--from", start, "--to", end)
    assert "1970" in str(error.value)
