"""The procedure for a step is linked from that step's form (issue 15 item 6; decision 0040).

Here, not in the procedures app's tests, because it opens the forms of the apps above it."""

import pytest
from django.urls import reverse

from safeguard.procedures import services
from safeguard.procedures.models import Kind, Step
from safeguard.protection.tests.steps import enquiry_of_sam

pytestmark = pytest.mark.django_db


def publish(world, title, step):
    return services.procedure_publish(
        by=world.sm_dan, kind=Kind.PROCEDURE, title=title, body="Text.", step=step
    )


def test_the_initial_conference_form_links_to_its_procedure(world, client):
    enquiry = enquiry_of_sam(world)
    client.force_login(world.sw_amy)
    url = reverse("protection:icpc-new", args=[enquiry.pk])
    assert "procedure-link" not in client.get(url).content.decode()
    procedure = publish(world, "Initial child protection conferences", Step.INITIAL_CONFERENCE)
    publish(world, "Visits", Step.VISIT)
    page = client.get(url).content.decode()
    assert reverse("procedures:detail", args=[procedure.pk]) in page
    assert "Initial child protection conferences" in page and "Visits" not in page
    assert "Not yet acknowledged by you" in page
    services.procedure_acknowledge(by=world.sw_amy, procedure=procedure)
    assert "Not yet acknowledged by you" not in client.get(url).content.decode()


def test_the_visit_and_strategy_forms_link_to_theirs(world, client):
    enquiry = enquiry_of_sam(world)
    visits = publish(world, "Visits", Step.VISIT)
    strategy = publish(world, "Strategy discussions", Step.STRATEGY_DISCUSSION)
    client.force_login(world.sw_amy)
    page = client.get(reverse("casework:visit-new", args=[enquiry.case_id])).content.decode()
    assert reverse("procedures:detail", args=[visits.pk]) in page
    page = client.get(reverse("protection:strategy-new", args=[enquiry.case_id])).content.decode()
    assert reverse("procedures:detail", args=[strategy.pk]) in page


def test_the_contact_decision_links_to_its_procedure(world, client):
    from datetime import date

    from safeguard.referrals import services as referrals

    contact = referrals.contact_record(
        by=world.sw_amy, child=world.child_tom, contact_date=date(2025, 5, 1), source="2A",
        reason="Attendance falling",
    )  # fmt: skip
    procedure = publish(world, "Deciding contacts", Step.CONTACT_DECISION)
    client.force_login(world.sw_amy)
    page = client.get(reverse("referrals:contact-decide", args=[contact.pk])).content.decode()
    assert reverse("procedures:detail", args=[procedure.pk]) in page
