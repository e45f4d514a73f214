"""Issue 13, item 2: a case's priority (RAG) is changed, always with a reason, by a team or
service manager or the worker it is allocated to; the change is in the change history and on
the chronology ("Priority changed to red: reason"), and the case page shows it as a tag."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from safeguard.audit.models import ChangeEvent
from safeguard.casework import permissions, services
from safeguard.casework.models import Case, ChronologyEntry
from safeguard.casework.permissions import Action
from safeguard.casework.tests.matrix import sam_case
from safeguard.core.errors import ApplicationError
from safeguard.testing.decisions import close_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return sam_case(world)


def url(case) -> str:
    return reverse("casework:priority", args=[case.pk])


def counts() -> tuple:
    return (ChronologyEntry.objects.count(), ChangeEvent.objects.count())


def test_manager_changes_the_priority_with_a_reason_on_the_chronology(world, client, case):
    client.force_login(world.tm_carol)
    response = client.post(url(case), {"priority": "red", "priority_reason": "Police report a new assault", "version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.priority, case.priority_reason, case.priority_set_by) == ("red", "Police report a new assault", world.tm_carol)
    assert case.priority_set_at is not None
    entry = ChronologyEntry.objects.get(case=case, what__startswith="Priority")
    assert entry.what == "Priority changed to red: Police report a new assault"
    event = ChangeEvent.objects.filter(target_id=str(case.pk)).latest("sequence")
    assert (event.before["priority"], event.after["priority"]) == ("", "red")
    page = client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    row = page[page.index('id="case-priority"'):]
    assert 'govuk-tag--red">Red<span class="govuk-visually-hidden"> priority' in row
    assert "Police report a new assault" in row[:600] and "Carol Chen" in row[:600]
    assert url(case) in page


def test_allocated_worker_may_change_it_and_no_other_social_worker(world, client, case):
    assert not permissions.can(world.sw_amy, Action.CHANGE_PRIORITY, case)
    services.case_allocate(by=world.tm_carol, case=case, worker=world.sw_amy, team=world.team_a, start_date=date(2025, 1, 7), reason="Test")
    case = Case.objects.get(pk=case.pk)
    assert permissions.can(world.sw_amy, Action.CHANGE_PRIORITY, case)
    assert not permissions.can(world.sw_ben, Action.CHANGE_PRIORITY, case)
    assert not permissions.can(world.analyst_eve, Action.CHANGE_PRIORITY, case)
    assert not permissions.can(world.police_pat, Action.CHANGE_PRIORITY, case)
    assert permissions.can(world.sm_dan, Action.CHANGE_PRIORITY, case)
    client.force_login(world.sw_amy)
    assert client.get(url(case)).status_code == 200
    response = client.post(url(case), {"priority": "amber", "priority_reason": "Mother has moved out with the children", "version": case.version})
    assert response.status_code == 302
    client.force_login(world.sw_ben)
    assert client.get(url(case)).status_code == 403
    with pytest.raises(PermissionDenied):
        services.case_priority_change(by=world.sw_ben, case=case, priority="green", reason="r")


def test_social_worker_not_allocated_sees_no_change_link(world, client, case):
    client.force_login(world.sw_amy)
    page = client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    assert url(case) not in page
    assert "Not rated" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"priority": "", "priority_reason": "x"}, "Choose the priority: red, amber or green"),
        ({"priority": "purple", "priority_reason": "x"}, "Choose the priority: red, amber or green"),
        ({"priority": "red", "priority_reason": "  "}, "Enter the reason for the priority: a red priority needs one"),
    ],
)
def test_bad_priority_change_is_refused_and_changes_nothing(world, client, case, data, message):
    client.force_login(world.tm_carol)
    before = counts()
    response = client.post(url(case), {**data, "version": case.version})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == before
    case.refresh_from_db()
    assert case.priority == ""


def test_every_change_needs_a_reason_and_a_different_priority(world, case):
    services.case_priority_change(by=world.tm_carol, case=case, priority="amber", reason="Concerns about neglect")
    before = counts()
    with pytest.raises(ApplicationError, match="Enter the reason for changing the priority from amber to green"):
        services.case_priority_change(by=world.tm_carol, case=case, priority="green", reason="")
    with pytest.raises(ApplicationError, match="The priority is already amber"):
        services.case_priority_change(by=world.tm_carol, case=case, priority="amber", reason="again")
    assert counts() == before


def test_a_long_reason_is_cut_to_fit_the_chronology(world, case):
    services.case_priority_change(by=world.tm_carol, case=case, priority="red", reason="word " * 200)
    entry = ChronologyEntry.objects.get(case=case, what__startswith="Priority")
    assert len(entry.what) == 500 and entry.what.endswith("…")


def test_a_stale_change_is_refused(world, client, case):
    client.force_login(world.tm_carol)
    services.case_priority_change(by=world.sm_dan, case=case, priority="amber", reason="Dan's view")
    response = client.post(url(case), {"priority": "green", "priority_reason": "Carol's view", "version": case.version})
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.priority == "amber"


def test_a_closed_case_keeps_its_priority(world, case):
    close_case(by=world.sw_amy, case=case, closure_date=date(2025, 1, 7), reason="RC7")
    with pytest.raises(ApplicationError, match="closed"):
        services.case_priority_change(by=world.tm_carol, case=case, priority="red", reason="r")
