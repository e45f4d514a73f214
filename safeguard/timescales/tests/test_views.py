"""The "what is due" pages: each child listed is logged; overdue work shows who holds it."""

from collections import Counter
from datetime import date

import pytest
from django.urls import reverse

from safeguard.audit.models import AccessEvent
from safeguard.audit.testing import clear_access_log
from safeguard.casework import services as casework
from safeguard.testing.journey import open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world):
    """Sam's case allocated to Amy (a CIN plan with no visit: overdue) and Tom's unallocated."""
    johns = open_case(world, received=date(2025, 3, 3))
    casework.case_allocate(by=world.tm_carol, case=johns, worker=world.sw_amy, team=world.team_a,
                           start_date=date(2025, 3, 3))
    casework.cin_plan_start(by=world.sw_amy, case=johns, start_date=date(2025, 3, 10))
    toms = open_case(world, world.child_tom, received=date(2025, 4, 1))
    clear_access_log()
    return johns, toms


def test_my_list_shows_my_overdue_work_and_logs_each_child_once(world, client, cases):
    client.force_login(world.sw_amy)
    response = client.get(reverse("timescales:mine"))
    rows = response.context["rows"]
    assert {r.item.rule.id for r in rows} == {"cin_visit", "cin_plan_review"}
    assert all(r.child == world.child_sam for r in rows)
    assert response.context["counts"]["overdue"] >= 1
    assert "Overdue" in response.content.decode()
    assert Counter(AccessEvent.objects.values_list("person_id", flat=True)) == Counter({world.child_sam.pk: 1})


def test_the_service_list_shows_unallocated_cases(world, client, cases):
    johns, toms = cases
    client.force_login(world.tm_carol)
    response = client.get(reverse("timescales:service"))
    assert response.context["unallocated"] == [toms]
    content = response.content.decode()
    assert "Unallocated cases (1)" in content
    assert "Tom Jones" in content
    logged = Counter(AccessEvent.objects.values_list("person_id", flat=True))
    assert set(logged) == {world.child_sam.pk, world.child_tom.pk}


def test_the_team_list_is_open_to_colleagues_covering_a_case(world, client, cases):
    client.force_login(world.sw_ben)  # Team B, covering Team A's work
    response = client.get(reverse("timescales:team", args=[world.team_a.pk]))
    assert response.status_code == 200
    assert {r.child for r in response.context["rows"]} == {world.child_sam}
    assert {r.owner for r in response.context["rows"]} == {"Amy Adeyemi"}


@pytest.mark.parametrize("sort", ["due_date", "-working_days_overdue", "child", "rule", "nonsense"])
def test_every_sort_order_renders(world, client, cases, sort):
    client.force_login(world.tm_carol)
    response = client.get(reverse("timescales:service"), {"sort": sort})
    assert response.status_code == 200
    assert response.context["sort"] == (sort if sort != "nonsense" else "due_date")
