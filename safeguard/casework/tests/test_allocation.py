"""Allocating and reallocating a case: a reason is required and kept on the allocation (shown
in the case's allocation history), the new worker is told, the form starts with nobody
chosen and lists the workers of one team, and the page names the case's line manager
(``selectors.line_manager``: the allocated team's manager, or the manager above it)."""

from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse

from safeguard.accounts import services as accounts
from safeguard.accounts.models import Team
from safeguard.casework import selectors, services
from safeguard.casework.models import Allocation
from safeguard.casework.tests.matrix import sam_case
from safeguard.core.errors import ApplicationError

pytestmark = pytest.mark.django_db

Notice = apps.get_model("notices", "Notice")
ON = date(2025, 1, 8)


def on(field: str, day: date) -> dict:
    return {f"{field}_day": str(day.day), f"{field}_month": str(day.month), f"{field}_year": str(day.year)}


@pytest.fixture
def case(world):
    return sam_case(world)


def allocate_url(case) -> str:
    return reverse("casework:allocate", args=[case.pk])


def test_an_empty_reason_is_refused_for_allocating_and_reallocating(world, case):
    with pytest.raises(ApplicationError, match="Give the reason for allocating the case"):
        services.case_allocate(by=world.tm_carol, case=case, worker=world.sw_amy, team=world.team_a, start_date=ON, reason=" ")
    assert not Allocation.objects.filter(case=case).exists()
    services.case_allocate(by=world.tm_carol, case=case, worker=world.sw_amy, team=world.team_a, start_date=ON, reason="Room on her caseload")
    with pytest.raises(ApplicationError, match="Give the reason for reallocating the case"):
        services.case_allocate(by=world.tm_carol, case=case, worker=world.sw_ben, team=world.team_b, start_date=ON, reason="")
    assert list(case.allocations.values_list("worker", flat=True)) == [world.sw_amy.pk]


def test_the_form_needs_a_reason_to_reallocate(world, client, case):
    services.case_allocate(by=world.tm_carol, case=case, worker=world.sw_amy, team=world.team_a, start_date=ON, reason="First")
    client.force_login(world.tm_carol)
    page = client.get(allocate_url(case)).content.decode()
    assert "Reason for reallocating" in page and "Reallocate the case" in page
    response = client.post(allocate_url(case) + f"?team={world.team_b.pk}", {"worker": world.sw_ben.pk, "team": world.team_b.pk, "reason": "", **on("start_date", date(2025, 2, 3))})
    assert response.status_code == 200
    assert "Give the reason for reallocating the case" in response.content.decode()
    assert case.allocations.count() == 1


def test_reallocating_keeps_both_reasons_in_the_history_and_tells_the_new_worker(world, client, case):
    client.force_login(world.tm_carol)
    response = client.post(allocate_url(case), {"worker": world.sw_amy.pk, "team": world.team_a.pk, "reason": "Amy has room", **on("start_date", ON)})
    assert response.status_code == 302
    notice = Notice.objects.get(user=world.sw_amy)
    assert notice.subject == "A case has been allocated to you"
    assert notice.url == reverse("casework:case-detail", args=[case.pk])
    assert "Sam" not in notice.subject + notice.body  # an email names no child

    response = client.post(allocate_url(case), {"worker": world.sw_ben.pk, "team": world.team_b.pk, "reason": "Ben speaks the family's language", **on("start_date", date(2025, 2, 3))})
    assert response.status_code == 302
    assert Notice.objects.get(user=world.sw_ben).subject == "A case has been reallocated to you"
    history = list(case.allocations.order_by("start_date").values_list("worker", "reason", "end_date"))
    assert history == [
        (world.sw_amy.pk, "Amy has room", date(2025, 2, 3)),
        (world.sw_ben.pk, "Ben speaks the family's language", None),
    ]
    page = client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    assert "Amy has room" in page and "Ben speaks the family&#x27;s language" in page


def test_the_reason_is_narrative_kept_from_analysts(world, client, case):
    services.case_allocate(by=world.tm_carol, case=case, worker=world.sw_amy, team=world.team_a, start_date=ON, reason="Knows the school")
    client.force_login(world.analyst_eve)
    page = client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    assert "Amy Adeyemi" in page and "Knows the school" not in page


def test_allocating_to_oneself_sends_no_notice(world, case):
    services.case_allocate(by=world.sw_amy, case=case, worker=world.sw_amy, team=world.team_a, start_date=ON, reason="Duty")
    assert not Notice.objects.filter(user=world.sw_amy).exists()


def test_pressing_allocate_without_choosing_allocates_nobody(world, client, case):
    client.force_login(world.tm_carol)
    response = client.get(allocate_url(case))
    content = response.content.decode()
    assert 'name="worker"' in content and "checked" not in content.split('name="worker"', 1)[1].split("</form>")[0]
    response = client.post(allocate_url(case), {"team": world.team_a.pk, "reason": "x", **on("start_date", ON)})
    assert "Choose the worker" in response.content.decode()
    assert not case.allocations.exists()


def test_the_form_lists_only_the_chosen_teams_workers(world, client, case):
    client.force_login(world.tm_carol)
    page = client.get(allocate_url(case)).content.decode()
    assert "Amy Adeyemi" in page and "Carol Chen" in page and "Ben Bailey" not in page
    assert "Olly Owen" not in page and "Eve" not in page  # another authority; an analyst


def test_line_manager_is_the_allocated_teams_manager_or_the_one_above(world, case):
    service = Team.objects.create(agency=world.csc, name="Safeguarding Service")
    assert selectors.line_manager(case, on=ON) is None  # unallocated
    services.case_allocate(by=world.tm_carol, case=case, worker=world.sw_amy, team=world.team_a, start_date=ON, reason="x")
    assert selectors.line_manager(case, on=ON) is None  # nobody named
    accounts.team_update(world.team_a, by=world.sm_dan, parent=service)
    accounts.team_update(service, by=world.sm_dan, manager=world.sm_dan)
    assert selectors.line_manager(case, on=ON) == world.sm_dan
    accounts.team_update(world.team_a, by=world.sm_dan, manager=world.tm_carol)
    assert selectors.line_manager(case, on=ON) == world.tm_carol
    assert selectors.line_manager(case, on=date(2025, 1, 7)) is None  # before the allocation


def test_the_allocation_page_names_the_line_manager(world, client, case):
    accounts.team_update(world.team_a, by=world.sm_dan, manager=world.tm_carol)
    services.case_allocate(by=world.tm_carol, case=case, worker=world.sw_amy, team=world.team_a, start_date=ON, reason="x")
    client.force_login(world.sm_dan)
    response = client.get(allocate_url(case))
    assert response.context["line_manager"] == world.tm_carol
    assert "Carol Chen" in response.content.decode().split('id="line-manager"')[1].split("</dd>")[0]


def test_an_authority_without_social_care_teams_says_so(world, client, case):
    Team.objects.filter(agency=world.csc).update(agency=world.police)
    client.force_login(world.sm_dan)
    response = client.get(allocate_url(case))
    assert response.status_code == 200
    assert "has no social care team" in response.content.decode()
