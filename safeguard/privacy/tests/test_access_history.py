"""The access history page: who, when, what, from where; filters; the CSV; who may see it."""

import csv
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from safeguard.audit.models import AccessEvent
from safeguard.audit.testing import tamper


def _url(world, name="privacy:access-history"):
    return reverse(name, kwargs={"person_id": world.child_sam.pk})


@pytest.mark.django_db
def test_the_page_shows_who_when_what_and_from_where_and_is_itself_logged(world, client):
    client.force_login(world.police_pat)
    client.get(
        reverse("people:detail", kwargs={"person_id": world.child_sam.pk}), REMOTE_ADDR="10.1.2.3"
    )
    client.force_login(world.tm_carol)
    response = client.get(_url(world))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pat Patel" in page and "Partner practitioner" in page and "Viewed the record" in page
    assert "10.1.2.3" in page and f"/people/{world.child_sam.pk}/" in page
    # Opening the access history is itself an access to the record.
    assert AccessEvent.objects.filter(
        user=world.tm_carol, person_id=world.child_sam.pk, reason="Access history"
    ).exists()


@pytest.mark.django_db
def test_filter_by_date(world, client):
    london = ZoneInfo("Europe/London")
    for day in (1, 15, 28):
        event = AccessEvent.objects.create(
            user=world.sw_ben, role="social_worker", person_id=world.child_sam.pk,
            purpose="view", route=f"GET /day-{day}/",
        )  # fmt: skip
        # Backdated behind the application's back (the log is append-only).
        tamper(AccessEvent, event.pk, at=datetime(2025, 2, day, 23, 30, tzinfo=london))
    client.force_login(world.sm_dan)
    query = "?from_date_day=15&from_date_month=2&from_date_year=2025&to_date_day=15&to_date_month=2&to_date_year=2025"
    page = client.get(_url(world) + query).content.decode()
    assert "/day-15/" in page and "/day-1/" not in page and "/day-28/" not in page
    bad = client.get(
        _url(world)
        + "?from_date_day=2&from_date_month=2&from_date_year=2025&to_date_day=1&to_date_month=2&to_date_year=2025"
    )
    assert bad.status_code == 200 and "must be the same as or after" in bad.content.decode()
    download = client.get(_url(world, "privacy:access-history-csv") + query)
    rows = list(csv.reader(download.content.decode("utf-8-sig").splitlines()))
    assert [r[6] for r in rows[1:]] == ["GET /day-15/"]
    assert rows[1][0] == "2025-02-15 23:30:00"  # UTC in winter


@pytest.mark.django_db
def test_csv_download_neutralises_formula_cells(world, client):
    AccessEvent.objects.create(
        user=world.sw_ben, role="social_worker", person_id=world.child_sam.pk, purpose="view",
        route="GET /x/", reason='=HYPERLINK("http://evil.invalid","click")',
    )  # fmt: skip
    client.force_login(world.sw_amy)
    response = client.get(_url(world, "privacy:access-history-csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(response.content.decode("utf-8-sig").splitlines()))
    assert rows[0][0] == "When (UTC)"
    reasons = [r[5] for r in rows[1:]]
    assert '\'=HYPERLINK("http://evil.invalid","click")' in reasons
    assert not any(cell[:1] in "=+-@" for row in rows for cell in row if cell)


@pytest.mark.django_db
def test_who_may_see_it(world, client):
    # The allocated social worker may; a social worker of another team may not.
    client.force_login(world.sw_amy)
    assert client.get(_url(world)).status_code == 200
    client.force_login(world.sw_ben)
    assert client.get(_url(world)).status_code == 403
    # Partners never, even those who may see the child.
    client.force_login(world.police_pat)
    assert client.get(_url(world)).status_code == 403
    client.force_login(world.analyst_eve)
    assert client.get(_url(world)).status_code == 403


@pytest.mark.django_db
def test_person_page_links_to_the_access_history(world, client):
    client.force_login(world.sw_amy)
    page = client.get(
        reverse("people:detail", kwargs={"person_id": world.child_sam.pk})
    ).content.decode()
    assert _url(world) in page
    client.force_login(world.police_pat)
    page = client.get(
        reverse("people:detail", kwargs={"person_id": world.child_sam.pk})
    ).content.decode()
    assert _url(world) not in page
