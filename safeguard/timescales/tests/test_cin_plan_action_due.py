"""Child in need plan actions on the due lists (decision 0068): each is a ``plan_action`` clock
held by its owner, leading to "Record progress", gone once done or the plan ends. (The
timescales app owns the due table, so these tests live here, above protection.)"""

from datetime import date

import pytest
from django.urls import reverse

from safeguard.casework import services as casework
from safeguard.protection import selectors, services
from safeguard.protection.tests.test_cin_plan_actions import DUE, _action, _text, cin_plan_of_sam
from safeguard.timescales.models import DueEntry

pytestmark = pytest.mark.django_db


def test_an_overdue_action_is_on_its_owners_due_list(world, client):
    """A child in need plan's action is a ``plan_action`` clock held by its owner (decision
    0043), so it is on their due list, leading to "Record progress"."""
    plan = cin_plan_of_sam(world)
    action = _action(world, plan, owner_user=world.sw_ben, what="Arrange the dental check-up")
    entry = DueEntry.objects.get(rule_id="plan_action", subject_id=str(action.pk))
    assert (entry.worker_id, entry.due_date) == (world.sw_ben.pk, DUE)
    assert list(selectors.overdue_actions_for(world.sw_ben)) == [action]
    client.force_login(world.sw_ben)
    page = client.get(reverse("timescales:mine"))
    assert "Carry out the plan's action" in _text(page) and "Sam Smith" in _text(page)
    assert reverse("protection:action-progress", args=[action.pk]) in page.content.decode()
    # Done: off the list.
    services.plan_action_progress(
        by=world.sw_amy, action=action, recorded_on=DUE, status="done", note="Seen"
    )
    assert not DueEntry.objects.filter(rule_id="plan_action").exists()


def test_an_ended_plans_actions_are_not_due(world):
    plan = cin_plan_of_sam(world)
    _action(world, plan)
    casework.cin_plan_end(by=world.sw_amy, plan=plan, end_date=date(2025, 4, 1))
    assert not DueEntry.objects.filter(rule_id="plan_action").exists()
    assert not selectors.overdue_actions_for(world.sw_amy).exists()
