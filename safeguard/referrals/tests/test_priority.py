"""Issue 13, item 2: contacts carry a priority (RAG) with its reason and who set it; a red
contact is decided within the authority's standard in clock hours (24 by default), nights and
weekends counted; the front door puts red first, overdue red before all."""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import ChangeEvent
from safeguard.casework.models import Case
from safeguard.core.errors import ApplicationError
from safeguard.referrals.models import Contact, Referral
from safeguard.referrals.selectors import awaiting_decision, decision_clock, front_door_rows
from safeguard.referrals.services import contact_decide, contact_record, referral_record
from safeguard.referrals.tests.test_front_door import decide_url, levels, on  # noqa: F401

pytestmark = pytest.mark.django_db

FRIDAY = date(2026, 12, 4)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def record(world, child=None, *, priority="red", reason="Baby with a bruise; police on scene", day=FRIDAY, hour=16):
    return contact_record(
        by=world.sw_amy, child=child or world.child_sam, contact_date=day, source="6", reason="Call from police",
        priority=priority, priority_reason=reason if priority == "red" else "", received_time=time(hour, 0),
    )


def counts() -> tuple:
    return (Contact.objects.count(), Case.objects.count(), ChangeEvent.objects.count())


# --- The red contact's clock ------------------------------------------------------------------


def test_red_contact_received_friday_afternoon_is_due_saturday_afternoon(world):
    contact = record(world)
    assert contact.received == at(FRIDAY, 16)
    assert contact.decision_due_at(24) == at(date(2026, 12, 5), 16)
    assert (contact.priority_set_by, contact.priority_reason) == (world.sw_amy, "Baby with a bruise; police on scene")


def test_red_clock_counts_the_weekend_in_hours_and_turns_overdue(world):
    contact = record(world)
    [before] = front_door_rows([contact], hours=24, now=at(date(2026, 12, 5), 14, 30))
    assert (before.clock, before.overdue) == ("due by 16:00 Sat 5 December, 1 hour left", False)
    [after] = front_door_rows([contact], hours=24, now=at(date(2026, 12, 5), 17))
    assert (after.clock, after.overdue) == ("overdue by 1 hour", True)
    assert decision_clock(at(date(2026, 12, 5), 16), at(date(2026, 12, 5), 19))[0] == "overdue by 3 hours"
    assert decision_clock(at(date(2026, 12, 5), 16), at(date(2026, 12, 5), 16, 25))[0] == "overdue by 25 minutes"


@pytest.mark.parametrize("priority", ["amber", "green", ""])
def test_amber_green_and_unrated_contacts_keep_the_working_day_rule(world, priority):
    contact = record(world, priority=priority)
    assert contact.decision_due_at(24) is None
    [row] = front_door_rows([contact], hours=24, now=at(date(2026, 12, 7), 10))
    assert (row.clock, row.overdue, row.due_at) == ("", False, None)
    assert row.waiting == 1  # Friday to Monday: one working day


def test_the_local_standard_changes_the_due_time(world):
    contact = record(world)
    assert contact.decision_due_at(4) == at(FRIDAY, 20)
    [row] = front_door_rows([contact], hours=4, now=at(FRIDAY, 21))
    assert (row.clock, row.overdue) == ("overdue by 1 hour", True)


def test_a_contact_without_a_time_starts_its_clock_at_the_start_of_its_day(world):
    contact = contact_record(by=world.sw_amy, child=world.child_sam, contact_date=FRIDAY, source="6", reason="r", priority="red", priority_reason="r")
    assert contact.received_at is None and contact.received == at(FRIDAY, 0)
    today = contact_record(by=world.sw_amy, child=world.child_tom, contact_date=timezone.localdate(), source="6", reason="r")
    assert today.received_at is not None


def test_front_door_page_shows_the_clock_and_puts_overdue_red_first(world, client, monkeypatch):
    green = record(world, world.child_tom, priority="green", day=date(2026, 12, 1), hour=9)
    amber = record(world, world.child_sally, priority="amber", day=date(2026, 12, 2), hour=9)
    unrated = contact_record(by=world.sw_amy, child=world.child_tom, contact_date=date(2026, 11, 30), source="6", reason="Old contact")
    red_new = record(world, world.child_sally, day=date(2026, 12, 5), hour=12)
    red_old = record(world)
    monkeypatch.setattr(timezone, "now", lambda: at(date(2026, 12, 5), 17))
    client.force_login(world.tm_carol)
    response = client.get(reverse("referrals:front-door"))
    assert [row.contact for row in response.context["rows"]] == [red_old, red_new, amber, unrated, green]
    page = response.content.decode()
    assert "Overdue by 1 hour" in page
    assert "Due by 12:00 Sun 6 December, 19 hours left" in page
    assert "decided within 24 hours of its receipt" in page
    # The word always, never colour alone.
    assert re.search(r'govuk-tag--red">Red<span class="govuk-visually-hidden"> priority', page)
    assert 'govuk-tag--orange">Amber' in page and 'govuk-tag--green">Green' in page and "Not rated" in page


def test_front_door_uses_the_authoritys_standard(world, client, monkeypatch):
    world.authority.red_contact_decision_hours = 2
    world.authority.save()
    record(world)
    monkeypatch.setattr(timezone, "now", lambda: at(FRIDAY, 17))
    client.force_login(world.tm_carol)
    page = client.get(reverse("referrals:front-door")).content.decode()
    assert "Due by 18:00 Fri 4 December, 1 hour left" in page
    assert "decided within 2 hours of its receipt" in page


def test_front_door_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    children = [world.child_sam, world.child_tom, world.child_sally]
    for n in range(3):
        record(world, children[n], priority=["red", "amber", "green"][n])
    with django_assert_max_num_queries(12) as few:
        awaiting_decision(user=world.tm_carol)
    for n in range(30):
        record(world, children[n % 3], priority=["red", "amber", "green"][n % 3], hour=n % 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = awaiting_decision(user=world.tm_carol)
    assert len(rows) == 33
    with django_assert_max_num_queries(0):
        front_door_rows(rows, hours=24, now=at(date(2026, 12, 5), 17))
        [(r.child.family_name, r.priority_set_by and r.priority_set_by.last_name) for r in rows]


# --- Setting and changing a contact's priority --------------------------------------------------


def test_contact_form_records_priority_reason_and_time(world, client):
    client.force_login(world.sw_amy)
    data = {"source": "6", "reason": "Police at the home", "priority": "red", "priority_reason": "Baby injured", "received_time": "16:00", **on("contact_date", FRIDAY)}
    response = client.post(reverse("referrals:contact-new", args=[world.child_sam.pk]), data)
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.priority, contact.priority_reason, contact.priority_set_by) == ("red", "Baby injured", world.sw_amy)
    assert contact.received == at(FRIDAY, 16)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"priority": ""}, "Choose the priority: red, amber or green"),
        ({"priority": "purple"}, "Choose the priority: red, amber or green"),
        ({"priority": "red", "priority_reason": " "}, "Enter the reason for the priority: a red priority needs one"),
        ({"received_time": "25:99"}, "Enter the time received as hours and minutes, like 14:30"),
        ({"received_time": "23:59", **on("contact_date", timezone.localdate())}, ""),
    ],
)
def test_bad_priority_on_a_contact_is_refused_and_stores_nothing(
    world, client, change, message, monkeypatch
):
    client.force_login(world.sw_amy)
    data = {"source": "6", "reason": "Police at the home", "priority": "amber", **on("contact_date", FRIDAY), **change}
    if not message:
        # 23:59 today is in the future: the front door's clock is held at noon today so that
        # it always is (the sign-in and session keep the real clock).
        from types import SimpleNamespace

        from safeguard.referrals import services

        noon = timezone.make_aware(datetime.combine(timezone.localdate(), time(12, 0)))
        clock = SimpleNamespace(
            localtime=lambda: noon, localdate=noon.date, make_aware=timezone.make_aware
        )
        monkeypatch.setattr(services, "timezone", clock)
        message = "The time received cannot be in the future"
    before = counts()
    response = client.post(reverse("referrals:contact-new", args=[world.child_sam.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == before


def test_decision_changes_the_priority_only_with_a_reason(world, levels):  # noqa: F811
    contact = record(world, priority="amber")
    before = counts()
    with pytest.raises(ApplicationError, match="Enter the reason for changing the priority from amber to green"):
        contact_decide(by=world.sw_amy, contact=contact, level=levels[2], indicators=[levels[2].indicators.first()], rationale="r", outcome="early_help", decision_date=FRIDAY, priority="green")
    assert counts() == before
    contact_decide(by=world.tm_carol, contact=contact, level=levels[2], indicators=[levels[2].indicators.first()], rationale="r", outcome="early_help", decision_date=FRIDAY, priority="green", priority_reason="Checks show the family has support")
    contact.refresh_from_db()
    assert (contact.priority, contact.priority_reason, contact.priority_set_by) == ("green", "Checks show the family has support", world.tm_carol)
    event = ChangeEvent.objects.filter(target_id=str(contact.pk)).latest("sequence")
    assert event.before["priority"] == "amber" and event.after["priority"] == "green"


def test_decision_page_keeps_the_priority_by_default(world, client, levels):  # noqa: F811
    contact = record(world, priority="amber")
    client.force_login(world.sw_amy)
    response = client.get(decide_url(contact))
    assert response.context["form"]["priority"].value() == "amber"
    page = response.content.decode()
    assert 'name="priority" type="radio" value="amber" checked' in page or re.search(r'name="priority"[^>]*value="amber"[^>]*checked', page)
    assert 'name="priority_reason"' in page


# --- The referral's priority is its case's -------------------------------------------------------


def test_referral_opens_its_case_with_the_priority_set_on_the_form(world, levels):  # noqa: F811
    contact = record(world)
    contact_decide(by=world.sw_amy, contact=contact, level=levels[4], indicators=[levels[4].indicators.first()], rationale="r", outcome="referral", decision_date=FRIDAY)
    before = counts()
    with pytest.raises(ApplicationError, match="from red to amber"):
        referral_record(by=world.sw_amy, child=world.child_sam, contact=contact, received_date=FRIDAY, source="6", decision="strategy", decision_date=FRIDAY, primary_need="N1", priority="amber")
    assert counts() == before
    referral = referral_record(by=world.sw_amy, child=world.child_sam, contact=contact, received_date=FRIDAY, source="6", decision="strategy", decision_date=FRIDAY, primary_need="N1", priority="red", priority_reason="Baby injured")
    case = Referral.objects.get(pk=referral.pk).case
    assert (case.priority, case.priority_reason, case.priority_set_by) == ("red", "Baby injured", world.sw_amy)


def test_referral_form_starts_from_the_contacts_priority(world, client, levels):  # noqa: F811
    contact = record(world, priority="amber")
    contact_decide(by=world.sw_amy, contact=contact, level=levels[3], indicators=[levels[3].indicators.first()], rationale="r", outcome="referral", decision_date=FRIDAY)
    client.force_login(world.sw_amy)
    address = f"{reverse('referrals:referral-new', args=[world.child_sam.pk])}?contact={contact.pk}"
    assert client.get(address).context["form"].initial["priority"] == "amber"
    data = {"source": "6", "decision": "assessment", "primary_need": "N4", "priority": "", **on("received_date", FRIDAY), **on("decision_date", FRIDAY)}
    before = counts()
    response = client.post(address, data)
    assert "Choose the priority: red, amber or green" in response.content.decode()
    assert counts() == before


def test_red_due_time_is_never_later_than_received_plus_the_standard(world):
    contact = record(world, hour=23)
    assert contact.decision_due_at(24) - contact.received == timedelta(hours=24)


def test_front_door_page_costs_the_same_queries_for_3_or_33_contacts(world, client, django_assert_max_num_queries):
    children = [world.child_sam, world.child_tom, world.child_sally]
    for n in range(3):
        record(world, children[n], priority=["red", "amber", "green"][n])
    client.force_login(world.tm_carol)
    client.get(reverse("referrals:front-door"))  # the session's first reads
    with django_assert_max_num_queries(40) as few:
        assert client.get(reverse("referrals:front-door")).status_code == 200
    for n in range(30):
        record(world, children[n % 3], priority=["red", "amber", "green"][n % 3], hour=n % 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("referrals:front-door"))
    assert len(response.context["rows"]) == 33
