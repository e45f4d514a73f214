"""Every page and API call that returns a person writes exactly one access event per person
returned, and shows nothing when the event cannot be written."""

from collections import Counter

import pytest
from django.db import DatabaseError
from django.urls import reverse

from safeguard.audit.models import AccessEvent

pytestmark = pytest.mark.django_db


def _events():
    return Counter(AccessEvent.objects.values_list("person_id", flat=True))


def test_person_page_logs_the_person_and_each_related_person_shown_once(world, client):
    """The page names Sam, his mother and his sister: three events, one each."""
    client.force_login(world.sw_amy)
    response = client.get(reverse("people:detail", args=[world.child_sam.pk]))
    assert response.status_code == 200
    shown = {world.child_sam.pk, world.mother_mary.pk, world.child_sally.pk}
    assert _events() == Counter(dict.fromkeys(shown, 1))
    event = AccessEvent.objects.get(person_id=world.child_sam.pk)
    assert (event.user, event.role, event.purpose) == (world.sw_amy, "social_worker", "view")
    assert event.route == f"GET /people/{world.child_sam.pk}/"
    assert event.ip_address == "127.0.0.1"


def test_search_logs_one_event_per_result(world, client):
    client.force_login(world.sw_amy)
    response = client.get(reverse("people:search"), {"name": "smith"})
    results = response.context["rows"]
    assert len(results) == 3
    assert _events() == Counter({row["person"].pk: 1 for row in results})
    assert set(AccessEvent.objects.values_list("purpose", flat=True)) == {"search"}


def test_home_page_logs_each_child_on_the_caseload(world, client):
    client.force_login(world.sw_amy)
    response = client.get(reverse("work:home"))
    # By name: Sally Smith, then Sam Smith.
    assert [p.pk for p in response.context["mine"]] == [world.child_sally.pk, world.child_sam.pk]
    assert _events() == Counter({world.child_sam.pk: 1, world.child_sally.pk: 1})


def test_api_detail_and_search_log_each_person_returned(world, client):
    client.force_login(world.police_pat)
    response = client.get(f"/api/v1/people/{world.child_sam.pk}")
    assert response.status_code == 200
    assert response.json()["family_name"] == "Smith"
    assert _events() == Counter({world.child_sam.pk: 1})
    response = client.get("/api/v1/people/", {"name": "smith"})
    # The police see only Sam, through their team's involvement.
    assert [r["id"] for r in response.json()["results"]] == [str(world.child_sam.pk)]
    assert _events() == Counter({world.child_sam.pk: 2})
    assert set(AccessEvent.objects.values_list("purpose", flat=True)) == {"api"}


def test_refused_access_writes_no_event_and_reveals_nothing(world, client):
    client.force_login(world.school_sid)
    response = client.get(reverse("people:detail", args=[world.child_tom.pk]))
    assert response.status_code == 404
    assert b"Jones" not in response.content
    assert AccessEvent.objects.count() == 0


@pytest.fixture
def broken_access_log(monkeypatch):
    def fail(*args, **kwargs):
        raise DatabaseError("disk I/O error")

    monkeypatch.setattr(AccessEvent.objects, "bulk_create", fail)


def test_person_page_shows_no_data_when_the_event_cannot_be_written(world, client, broken_access_log):
    client.force_login(world.sw_amy)
    response = client.get(reverse("people:detail", args=[world.child_sam.pk]))
    assert response.status_code == 503
    content = response.content.decode()
    assert "cannot be shown" in content
    for secret in ("Smith", "9434765919", "T000001", "2015"):
        assert secret not in content


def test_search_shows_no_results_when_events_cannot_be_written(world, client, broken_access_log):
    client.force_login(world.sw_amy)
    response = client.get(reverse("people:search"), {"name": "smith"})
    assert response.status_code == 503
    assert "Smith" not in response.content.decode()


def test_api_returns_no_data_when_the_event_cannot_be_written(world, client, broken_access_log):
    client.force_login(world.sw_amy)
    response = client.get(f"/api/v1/people/{world.child_sam.pk}")
    assert response.status_code == 503
    assert "Smith" not in response.content.decode()
    response = client.get("/api/v1/people/", {"name": "smith"})
    assert response.status_code == 503
    assert "Smith" not in response.content.decode()
