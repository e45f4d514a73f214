"""The child's status (decision 0048): a child on a child protection plan is shown as such
on the case page's summary and on the person page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.casework.tests.matrix import sam_case
from safeguard.protection.models import ChildProtectionPlan

pytestmark = pytest.mark.django_db


def test_a_child_protection_plan_shows_on_the_case_and_the_child(world, client):
    case = sam_case(world)
    ChildProtectionPlan.objects.create(
        case=case, start_date=timezone.localdate() - timedelta(days=3),
        initial_category="NEG", latest_category="NEG",
    )
    client.force_login(world.sw_amy)
    person = client.get(reverse("people:detail", kwargs={"person_id": world.child_sam.pk}))
    status = person.content.decode().split('id="child-status"', 1)[1].split("</p>", 1)[0]
    assert "On a child protection plan" in status
    page = client.get(reverse("casework:case-detail", kwargs={"case_id": case.pk}))
    plan_status = page.content.decode().split('id="plan-status"', 1)[1].split("</p>", 1)[0]
    assert "On a child protection plan" in plan_status
    client.force_login(world.police_pat)
    partner = client.get(reverse("people:detail", kwargs={"person_id": world.child_sam.pk}))
    assert "child protection plan" not in partner.content.decode()
