"""A contact decided as early help leads straight to an early help assessment."""

from datetime import date

import pytest
from django.urls import reverse

from safeguard.referrals import services as referrals
from safeguard.referrals.models import ThresholdIndicator, ThresholdLevel

pytestmark = pytest.mark.django_db


def test_the_decided_contact_offers_an_early_help_assessment(world, client):
    level = ThresholdLevel.objects.create(authority=world.authority, number=2, name="Early help",
                                          implied_outcome="early_help")
    indicator = ThresholdIndicator.objects.create(level=level, text="School attendance is falling")
    contact = referrals.contact_record(by=world.sw_amy, child=world.child_tom, contact_date=date(2025, 5, 1),
                                       source="2A", reason="Attendance falling")
    referrals.contact_decide(by=world.sw_amy, contact=contact, level=level, indicators=[indicator],
                             rationale="Single-agency support will meet the need", outcome="early_help",
                             decision_date=date(2025, 5, 1))
    client.force_login(world.sw_amy)
    content = client.get(reverse("referrals:contact-decide", args=[contact.pk])).content.decode()
    link = reverse("earlyhelp:eha-new", args=[world.child_tom.pk]) + f"?contact={contact.pk}"
    assert f'href="{link}"' in content
    assert "Start an early help assessment" in content
