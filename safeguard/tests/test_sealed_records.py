"""Sealed records across the apps: a sealed child's cases show only to named staff, on the
case pages and in the lists of what is due (the rest is in people/tests/test_sealed.py)."""

from datetime import date

import pytest
from django.urls import reverse

from safeguard.casework import services as casework
from safeguard.people.tests.sealing import colleague, seal, seal_sam
from safeguard.testing.journey import open_case


@pytest.fixture
def fay(world):
    return colleague(world)


@pytest.fixture
def sealed(world):
    return seal_sam(world)


@pytest.mark.django_db
def test_sealed_childs_case_pages_are_restricted(world, sealed, fay, client):
    case = casework.case_open(
        by=world.sw_amy, child=sealed, referral_date=date(2025, 1, 6), referral_source="6"
    )
    client.force_login(fay)
    for url in (
        reverse("casework:case-detail", args=[case.pk]),
        reverse("casework:chronology", args=[sealed.pk]),
        reverse("casework:chronology-pdf", args=[sealed.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "This record is restricted" in response.content.decode()
    client.force_login(world.sw_amy)
    assert client.get(reverse("casework:case-detail", args=[case.pk])).status_code == 200


@pytest.mark.django_db
def test_due_lists_leave_out_sealed_children(world, sealed, fay, client):
    johns = open_case(world, received=date(2025, 3, 3))
    casework.case_allocate(by=world.tm_carol, case=johns, worker=world.sw_amy, team=world.team_a,
                           start_date=date(2025, 3, 3), reason="Test")
    casework.cin_plan_start(by=world.sw_amy, case=johns, start_date=date(2025, 3, 10))
    # Opened by Ben: Tom's unallocated case waits in Team B's queue (issue 14).
    toms = open_case(world, world.child_tom, received=date(2025, 4, 1), by=world.sw_ben)
    seal(world, world.child_tom, world.sw_ben)

    client.force_login(fay)
    response = client.get(reverse("timescales:team", args=[world.team_a.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["rows"] == []
    # The visit and plan review, and the referral's next steps: the assessment, seeing Sam.
    assert "4 items on restricted records are not shown" in body
    assert "Smith" not in body

    # The service list: neither the sealed allocated case nor the sealed unallocated one.
    client.force_login(world.sm_dan)
    for name in ("timescales:service", "timescales:unallocated"):
        response = client.get(reverse(name))
        assert response.context["rows"] == []
        assert "Tom Jones" not in response.content.decode()

    # The named worker sees her work as before.
    client.force_login(world.sw_amy)
    response = client.get(reverse("timescales:team", args=[world.team_a.pk]))
    assert {r.child for r in response.context["rows"]} == {world.child_sam}
    assert "restricted records" not in response.content.decode()
    client.force_login(world.sw_ben)
    response = client.get(reverse("timescales:unallocated"))
    assert response.status_code == 403 or toms in [r.case for r in response.context["rows"]]
