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
                           start_date=date(2025, 3, 3), reason="Test")
    casework.cin_plan_start(by=world.sw_amy, case=johns, start_date=date(2025, 3, 10))
    toms = open_case(world, world.child_tom, received=date(2025, 4, 1))
    clear_access_log()
    return johns, toms


def test_my_list_shows_my_overdue_work_and_logs_each_child_once(world, client, cases):
    client.force_login(world.sw_amy)
    response = client.get(reverse("timescales:mine"))
    rows = response.context["rows"]
    # The referral decided for assessment set two next steps nobody has met: the assessment to
    # start and the child to see (issue 13, item 1).
    assert {r.item.rule.id for r in rows} == {
        "cin_visit", "cin_plan_review", "referral_assessment", "referral_child_seen",
    }
    assert all(r.child == world.child_sam for r in rows)
    assert response.context["counts"]["overdue"] >= 1
    assert "Overdue" in response.content.decode()
    assert Counter(AccessEvent.objects.values_list("person_id", flat=True)) == Counter({world.child_sam.pk: 1})


def test_the_service_list_links_to_the_unallocated_cases(world, client, cases):
    johns, toms = cases
    client.force_login(world.tm_carol)
    response = client.get(reverse("timescales:service"))
    assert response.context["unallocated_count"] == 1
    assert "Unallocated cases (1)" in response.content.decode()
    clear_access_log()
    response = client.get(reverse("timescales:unallocated"))
    assert [r.case for r in response.context["rows"]] == [toms]
    row = response.context["rows"][0]
    # Tom waits from his referral; he has not been seen; his next step is the assessment.
    assert row.waiting_since == date(2025, 4, 1) and row.last_seen is None
    assert row.next_due.item.rule.id in {"referral_assessment", "referral_child_seen"}
    content = response.content.decode()
    assert "Tom Jones" in content
    assert reverse("casework:allocate", args=[toms.pk]) in content
    logged = Counter(AccessEvent.objects.values_list("person_id", flat=True))
    assert logged == Counter({world.child_tom.pk: 1})


def test_the_team_list_is_open_to_colleagues_covering_a_case(world, client, cases):
    client.force_login(world.sw_ben)  # Team B, covering Team A's work
    response = client.get(reverse("timescales:team", args=[world.team_a.pk]))
    assert response.status_code == 200
    # Tom's case, opened by Amy of Team A and held by nobody, waits with her team (issue 14).
    assert {r.child for r in response.context["rows"]} == {world.child_sam, world.child_tom}
    owners = {(r.child, r.owner) for r in response.context["rows"]}
    assert owners == {(world.child_sam, "Amy Adeyemi"), (world.child_tom, "Unallocated")}


@pytest.mark.parametrize("sort", ["priority", "due_date", "-working_days_overdue", "child", "rule", "nonsense"])
def test_every_sort_order_renders(world, client, cases, sort):
    client.force_login(world.tm_carol)
    response = client.get(reverse("timescales:service"), {"sort": sort})
    assert response.status_code == 200
    assert response.context["sort"] == (sort if sort != "nonsense" else "priority")


def test_a_sealed_childs_items_are_counted_not_named_nor_logged(world, client, cases):
    from safeguard.people.tests.sealing import seal

    seal(world, world.child_sam, world.sw_ben)  # Amy, who holds the case, is not named
    clear_access_log()
    client.force_login(world.sw_amy)
    response = client.get(reverse("timescales:mine"))
    assert response.context["rows"] == []
    # The visit, the plan review, the assessment to start and the child to see.
    assert response.context["restricted"] == 4
    assert "4 items on restricted records are not shown" in response.content.decode()
    assert not AccessEvent.objects.filter(person_id=world.child_sam.pk).exists()


def test_an_unallocated_case_of_a_sealed_child_is_left_out_of_the_service_lists(world, client, cases):
    from safeguard.people.tests.sealing import seal

    _johns, toms = cases
    seal(world, world.child_tom)  # named: Carol, who sealed it; not the analyst
    clear_access_log()
    client.force_login(world.analyst_eve)
    for name in ("timescales:service", "timescales:unallocated"):
        response = client.get(reverse(name))
        assert "Tom Jones" not in response.content.decode()
    assert response.context["rows"] == [] and response.context["restricted"] == 1
    assert not AccessEvent.objects.filter(person_id=world.child_tom.pk).exists()
    client.force_login(world.tm_carol)
    rows = client.get(reverse("timescales:unallocated")).context["rows"]
    assert [r.case for r in rows] == [toms]


def test_the_policy_answers_can_and_visible_to(world):
    from safeguard.timescales.permissions import Action, can, visible_to

    assert can(world.sw_ben, Action.SEE_OWN) and can(world.sw_ben, Action.SEE_TEAM, world.team_a)
    assert not can(world.sw_ben, Action.SEE_SERVICE)
    assert all(can(u, Action.SEE_SERVICE) for u in (world.tm_carol, world.sm_dan, world.analyst_eve))
    assert not can(world.other_sw, Action.SEE_TEAM, world.team_a)
    assert not can(world.police_pat, Action.SEE_OWN)
    assert {world.team_a, world.team_b} <= set(visible_to(world.sw_ben))
    assert world.team_a not in set(visible_to(world.other_sw))
    assert not visible_to(world.police_pat).exists()
