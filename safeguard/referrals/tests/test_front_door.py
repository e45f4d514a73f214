"""The front door: recording contacts, deciding them against the threshold of need (with a
manager's reason to depart from it), recording referrals, and the list of contacts waiting."""

import re
import tomllib
from collections import Counter
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AccessEvent, ChangeEvent
from safeguard.casework.models import Case
from safeguard.core.workdays import working_days_between
from safeguard.referrals.management.commands.load_thresholds import DEFAULT_FILE
from safeguard.referrals.models import Contact, Referral
from safeguard.referrals.services import (
    contact_decide,
    contact_record,
    referral_record,
    thresholds_load,
)
from safeguard.referrals.tests.matrix import MATRIX, TARGETS
from safeguard.testing.matrix import TARGETS as SHARED_TARGETS

ALL_TARGETS = SHARED_TARGETS | TARGETS

pytestmark = pytest.mark.django_db


def on(field: str, day: date) -> dict:
    return {f"{field}_day": str(day.day), f"{field}_month": str(day.month), f"{field}_year": str(day.year)}


def counts() -> tuple:
    return (Contact.objects.count(), Contact.objects.exclude(outcome="").count(), Referral.objects.count(), Case.objects.count(), ChangeEvent.objects.count())


def events() -> Counter:
    return Counter(AccessEvent.objects.values_list("person_id", flat=True))


@pytest.fixture
def levels(world):
    with DEFAULT_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    return {level.number: level for level in thresholds_load(by=None, authority=world.authority, data=data)}


@pytest.fixture
def contact(world):
    return contact_record(by=world.sw_amy, child=world.child_sam, contact_date=date(2025, 6, 2), source="2A", reason="Bruise on his arm; often hungry at school")


def decide_url(contact) -> str:
    return reverse("referrals:contact-decide", args=[contact.pk])


def decision(level, *, indicators=None, outcome=None, **extra) -> dict:
    chosen = indicators if indicators is not None else [level.indicators.first()]
    return {
        "level": level.pk,
        "indicators": [i.pk for i in chosen],
        "rationale": "School and health describe the same worries",
        "outcome": outcome or level.implied_outcome,
        "manager": "",
        "manager_reason": "",
        "priority": "amber",
        **on("decision_date", date(2025, 6, 3)),
        **extra,
    }


# --- Contacts -----------------------------------------------------------------------------------


def test_contact_page_renders_with_todays_date_and_the_source_list(world, client):
    client.force_login(world.sw_amy)
    response = client.get(reverse("referrals:contact-new", args=[world.child_sam.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Record a contact" in page
    assert '<option value="3E">Health services: A&amp;E (accident and emergency department) (3E)</option>' in page
    assert events() == Counter({world.child_sam.pk: 1})


def test_contact_is_recorded_and_goes_to_its_decision(world, client):
    client.force_login(world.sw_amy)
    data = {"source": "6", "reason": "Police attended a domestic incident", "priority": "green", **on("contact_date", date(2025, 6, 2))}
    response = client.post(reverse("referrals:contact-new", args=[world.child_sam.pk]), data)
    contact = Contact.objects.get()
    assert response.status_code == 302
    assert response["Location"] == decide_url(contact)
    assert (contact.child, contact.source, contact.created_by) == (world.child_sam, "6", world.sw_amy)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"priority": "green", "source": "", "reason": "x", **on("contact_date", date(2025, 6, 2))}, "Choose who made the contact"),
        ({"priority": "green", "source": "ZZ", "reason": "x", **on("contact_date", date(2025, 6, 2))}, "Select a valid choice"),
        ({"priority": "green", "source": "6", "reason": " ", **on("contact_date", date(2025, 6, 2))}, "Enter the reason for the contact"),
        ({"priority": "green", "source": "6", "reason": "x", **on("contact_date", date(2099, 6, 2))}, "cannot be in the future"),
        ({"priority": "green", "source": "6", "reason": "x", "contact_date_day": "2", "contact_date_month": "", "contact_date_year": "2025"}, "must include a month"),
    ],
)
def test_bad_contact_is_refused_and_stores_nothing(world, client, data, message):
    client.force_login(world.sw_amy)
    before = counts()
    response = client.post(reverse("referrals:contact-new", args=[world.child_sam.pk]), data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert message in response.content.decode()
    assert counts() == before


# --- Decisions ----------------------------------------------------------------------------------


def test_decision_page_shows_levels_with_their_indicators_and_earlier_referrals(world, client, levels, contact):
    earlier = referral_record(by=world.sw_amy, child=world.child_sam, received_date=date(2024, 9, 2), source="3A", decision="nfa", decision_date=date(2024, 9, 2))
    too_old = referral_record(by=world.sw_amy, child=world.child_tom, received_date=date(2024, 1, 2), source="3A", decision="nfa", decision_date=date(2024, 1, 2))
    client.force_login(world.sw_amy)
    response = client.get(decide_url(contact))
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 earlier referral in 12 months" in page
    assert "2 Sep 2024" in page and "Referral: no further action" not in page
    assert reverse("casework:case-detail", args=[earlier.case_id]) in page
    assert reverse("casework:case-detail", args=[too_old.case_id]) not in page
    assert "Closed 2 Sep 2024" in page
    # Each level's indicators follow its radio, before the next level.
    level_3, level_4 = levels[3], levels[4]
    start = page.index(f'name="level" type="radio" value="{level_3.pk}"')
    end = page.index(f'name="level" type="radio" value="{level_4.pk}"')
    for indicator in level_3.indicators.all():
        assert start < page.index(f'name="indicators" type="checkbox" value="{indicator.pk}"') < end
    assert "Only if the outcome differs from what the level suggests" in page
    assert "Carol Chen (Team manager)" in page and "Dan Doyle (Service manager)" in page
    assert "Amy Adeyemi (Social worker)" not in page
    assert events() == Counter({world.child_sam.pk: 1})


def test_decision_that_follows_the_threshold_is_recorded(world, client, levels, contact):
    client.force_login(world.sw_amy)
    chosen = list(levels[3].indicators.all()[:2])
    response = client.post(decide_url(contact), decision(levels[3], indicators=chosen))
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.level, contact.outcome, contact.suggested_outcome) == (levels[3], "referral", "referral")
    assert (contact.decided_by, contact.manager, contact.decision_date) == (world.sw_amy, None, date(2025, 6, 3))
    assert set(contact.indicators.all()) == set(chosen)
    page = client.get(decide_url(contact)).content.decode()
    assert "Record the referral" in page
    assert f"{reverse('referrals:referral-new', args=[world.child_sam.pk])}?contact={contact.pk}" in page


def test_departure_without_a_manager_is_refused(world, client, levels, contact):
    client.force_login(world.sw_amy)
    before = counts()
    response = client.post(decide_url(contact), decision(levels[2], outcome="referral"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Level 2 suggests “Early help”. A different outcome needs a team or service manager&#x27;s agreement and reason" in page
    assert counts() == before


def test_departure_with_a_manager_but_no_reason_is_refused(world, client, levels, contact):
    client.force_login(world.sw_amy)
    before = counts()
    response = client.post(decide_url(contact), decision(levels[2], outcome="referral", manager=world.tm_carol.pk))
    assert "Enter the manager&#x27;s reason for departing from the threshold" in response.content.decode()
    assert counts() == before


def test_departure_with_a_manager_and_reason_is_recorded_naming_the_manager(world, client, levels, contact):
    client.force_login(world.sw_amy)
    data = decision(levels[2], outcome="referral", manager=world.tm_carol.pk, manager_reason="Third contact this year; pattern of neglect")
    response = client.post(decide_url(contact), data)
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.outcome, contact.suggested_outcome, contact.manager) == ("referral", "early_help", world.tm_carol)
    assert contact.manager_reason == "Third contact this year; pattern of neglect"
    page = client.get(decide_url(contact)).content.decode()
    assert "Differs from the threshold" in page
    assert "Carol Chen: Third contact this year; pattern of neglect" in page


def test_indicators_must_come_from_the_chosen_level(world, client, levels, contact):
    client.force_login(world.sw_amy)
    before = counts()
    response = client.post(decide_url(contact), decision(levels[3], indicators=[levels[4].indicators.first()]))
    assert "Choose indicators from the level you have chosen" in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"level": ""}, "Choose the level of need"),
        ({"indicators": []}, "Choose the indicators that led to this level"),
        ({"rationale": ""}, "Enter the rationale for the decision"),
        ({"outcome": ""}, "Choose the outcome"),
        ({**on("decision_date", date(2025, 6, 1))}, "The decision cannot be before the contact"),
        ({"manager": "999999"}, "Choose a manager from the list"),
    ],
)
def test_bad_decision_is_refused_and_stores_nothing(world, client, levels, contact, change, message):
    client.force_login(world.sw_amy)
    before = counts()
    response = client.post(decide_url(contact), {**decision(levels[3]), **change})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert counts() == before
    # What was typed is shown again.
    if change.get("rationale") is None:
        assert "School and health describe the same worries" in page


def test_decided_contact_cannot_be_decided_again(world, client, levels, contact):
    contact_decide(by=world.sw_amy, contact=contact, level=levels[3], indicators=[levels[3].indicators.first()], rationale="r", outcome="referral", decision_date=date(2025, 6, 3))
    client.force_login(world.sw_amy)
    before = counts()
    response = client.post(decide_url(contact), decision(levels[1]))
    assert response.status_code == 200
    assert "Record decision" not in response.content.decode()
    contact.refresh_from_db()
    assert contact.level == levels[3]
    assert counts() == before


def test_decision_page_without_thresholds_says_so(world, client, contact):
    client.force_login(world.sw_amy)
    page = client.get(decide_url(contact)).content.decode()
    assert "no threshold of need set up" in page


# --- Referrals ----------------------------------------------------------------------------------


def test_referral_from_a_contact_defaults_from_it_and_opens_the_case(world, client, levels, contact):
    contact_decide(by=world.sw_amy, contact=contact, level=levels[4], indicators=[levels[4].indicators.first()], rationale="Unexplained bruise", outcome="referral", decision_date=date(2025, 6, 2))
    client.force_login(world.sw_amy)
    address = f"{reverse('referrals:referral-new', args=[world.child_sam.pk])}?contact={contact.pk}"
    response = client.get(address)
    form = response.context["form"]
    assert (form.initial["received_date"], form.initial["source"]) == (date(2025, 6, 2), "2A")
    data = {"source": "2A", "decision": "strategy", "primary_need": "N1", "priority": "red", "priority_reason": "Unexplained bruise on a baby", "reason": "Possible physical abuse", **on("received_date", date(2025, 6, 2)), **on("decision_date", date(2025, 6, 3))}
    response = client.post(address, data)
    referral = Referral.objects.get()
    assert referral.case.primary_need == "N1"
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:case-detail", args=[referral.case_id])
    assert (referral.contact, referral.decided_by) == (contact, world.sw_amy)
    # The case page says who decided the referral and the contact, and on what threshold.
    page = client.get(response["Location"]).content.decode()
    referral_section = page[page.index('id="referral"'):page.index('id="allocations"')]
    assert "Strategy discussion (risk of significant harm), 3 June 2025" in referral_section
    assert "Decided by</dt><dd class=\"govuk-summary-list__value\">Amy Adeyemi" in referral_section
    assert "Level 4: Specialist: child protection" in referral_section
    assert "Unallocated" in page


def test_referral_without_a_contact_defaults_to_today(world, client):
    client.force_login(world.sw_amy)
    response = client.get(reverse("referrals:referral-new", args=[world.child_tom.pk]))
    assert response.status_code == 200
    assert response.context["form"].initial["source"] == ""
    assert "Referrals in the last 12 months" in response.content.decode()


def test_referral_for_a_contact_of_another_child_is_404(world, client, contact):
    client.force_login(world.sw_amy)
    response = client.get(f"{reverse('referrals:referral-new', args=[world.child_tom.pk])}?contact={contact.pk}")
    assert response.status_code == 404
    response = client.get(f"{reverse('referrals:referral-new', args=[world.child_tom.pk])}?contact=nonsense")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"decision": ""}, "Choose the decision on the referral"),
        ({"source": ""}, "Choose where the referral came from"),
        ({**on("received_date", date(2099, 1, 1)), **on("decision_date", date(2099, 1, 1))}, "cannot be in the future"),
        ({**on("decision_date", date(2025, 5, 1))}, "The decision cannot be before the referral was received"),
        ({"received_date_year": "25"}, "Year must include 4 numbers"),
        ({"primary_need": ""}, "Choose the primary need: a referral that goes on to an assessment"),
        ({"primary_need": "", "decision": "strategy"}, "Choose the primary need: a referral that goes on to an assessment"),
        ({"primary_need": "N10"}, "Choose the primary need from the list"),
    ],
)
def test_bad_referral_is_refused_and_stores_nothing(world, client, change, message):
    client.force_login(world.sw_amy)
    before = counts()
    data = {"source": "6", "priority": "amber", "decision": "assessment", "primary_need": "N4", **on("received_date", date(2025, 6, 2)), **on("decision_date", date(2025, 6, 2)), **change}
    response = client.post(reverse("referrals:referral-new", args=[world.child_tom.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == before


def test_second_open_case_is_refused_with_a_warning(world, client):
    referral_record(by=world.sw_amy, child=world.child_tom, received_date=date(2025, 6, 2), source="6", decision="assessment", decision_date=date(2025, 6, 2), primary_need="N5")
    client.force_login(world.sw_amy)
    assert "already has <a" in client.get(reverse("referrals:referral-new", args=[world.child_tom.pk])).content.decode()
    before = counts()
    data = {"source": "6", "priority": "amber", "decision": "assessment", "primary_need": "N5", **on("received_date", date(2025, 7, 1)), **on("decision_date", date(2025, 7, 1))}
    response = client.post(reverse("referrals:referral-new", args=[world.child_tom.pk]), data)
    assert "already has an open case" in response.content.decode()
    assert counts() == before


def test_referral_form_asks_the_primary_need_in_census_wording(world, client):
    """Issue 11 item 14: the front door records the working primary need, as radios with the
    2025-26 census wording and code."""
    client.force_login(world.sw_amy)
    page = client.get(reverse("referrals:referral-new", args=[world.child_tom.pk])).content.decode()
    assert 'name="primary_need"' in page and 'type="radio"' in page
    assert "Abuse, neglect and exploitation (N1)" in page and "Not stated (N0)" in page


def test_referral_decided_nfa_needs_no_primary_need(world, client):
    client.force_login(world.sw_amy)
    data = {"source": "6", "priority": "green", "decision": "nfa", **on("received_date", date(2025, 6, 2)), **on("decision_date", date(2025, 6, 2))}
    response = client.post(reverse("referrals:referral-new", args=[world.child_tom.pk]), data)
    assert response.status_code == 302
    case = Case.objects.get(child=world.child_tom)
    assert (case.referral_nfa, case.primary_need) == (True, "")


def test_no_case_is_opened_for_an_adult(world, client):
    """Issue 11 item 16: a child in need case is for a child under 18 on the referral date;
    the one service that opens a case refuses an adult, and nothing is stored."""
    from safeguard.people.models import Person

    adult = Person.objects.create(authority=world.authority, given_names="Ada", family_name="Grown", date_of_birth=date(2007, 6, 2))
    client.force_login(world.sw_amy)
    before = counts()
    data = {"source": "6", "priority": "amber", "decision": "assessment", "primary_need": "N1", **on("received_date", date(2025, 6, 2)), **on("decision_date", date(2025, 6, 2))}
    response = client.post(reverse("referrals:referral-new", args=[adult.pk]), data)
    assert response.status_code == 200
    assert "Ada Grown was 18 on 2 June 2025: a child in need case is only for a child under 18" in response.content.decode()
    assert counts() == before
    # The day before the 18th birthday, the child is still a child.
    data |= on("received_date", date(2025, 6, 1)) | on("decision_date", date(2025, 6, 1))
    response = client.post(reverse("referrals:referral-new", args=[adult.pk]), data)
    assert response.status_code == 302


def test_unborn_child_can_be_referred(world):
    from safeguard.people.models import Person

    unborn = Person.objects.create(authority=world.authority, family_name="Baby", expected_date_of_birth=date(2025, 9, 1))
    referral = referral_record(by=world.sw_amy, child=unborn, received_date=date(2025, 6, 2), source="3F", decision="assessment", decision_date=date(2025, 6, 2), primary_need="N1")
    assert referral.case.child == unborn


# --- The list -----------------------------------------------------------------------------------


def test_front_door_lists_waiting_contacts_oldest_first_and_logs_each_child_once(world, client, levels):
    newer = contact_record(by=world.sw_amy, child=world.child_sam, contact_date=date(2025, 6, 4), source="6", reason="Second call")
    older = contact_record(by=world.sw_amy, child=world.child_sam, contact_date=date(2025, 6, 2), source="2A", reason="First call")
    tom = contact_record(by=world.sw_ben, child=world.child_tom, contact_date=date(2025, 6, 3), source="3A", reason="GP worried")
    decided = contact_record(by=world.sw_amy, child=world.child_sally, contact_date=date(2025, 6, 1), source="1A", reason="Grandmother")
    contact_decide(by=world.sw_amy, contact=decided, level=levels[1], indicators=[levels[1].indicators.first()], rationale="Universal", outcome="advice", decision_date=date(2025, 6, 1))
    client.force_login(world.tm_carol)
    response = client.get(reverse("referrals:front-door"))
    assert response.status_code == 200
    assert [row.contact for row in response.context["rows"]] == [older, tom, newer]
    assert response.context["rows"][0].waiting == working_days_between(date(2025, 6, 2), timezone.localdate())
    page = response.content.decode()
    assert re.search(r"First call.*GP worried.*Second call", page, re.S)
    assert "Grandmother" not in page
    assert events() == Counter({world.child_sam.pk: 1, world.child_tom.pk: 1})
    assert set(AccessEvent.objects.values_list("purpose", flat=True)) == {"list"}


def test_front_door_is_for_social_care(world, client, contact):
    client.force_login(world.police_pat)
    assert client.get(reverse("referrals:front-door")).status_code == 403
    client.force_login(world.other_sw)
    response = client.get(reverse("referrals:front-door"))
    assert response.status_code == 200 and response.context["rows"] == []
    assert AccessEvent.objects.count() == 0


def test_analyst_sees_the_list_without_decide_links(world, client, contact):
    client.force_login(world.analyst_eve)
    page = client.get(reverse("referrals:front-door")).content.decode()
    # The row and how long it waits, not the reason (issue 11, item 12).
    assert "SMITH" in page and "Bruise on his arm" not in page
    assert "Not shown to performance analysts" in page
    assert decide_url(contact) not in page


@pytest.mark.parametrize("name", ["referrals:contact-new", "referrals:contact-decide", "referrals:referral-new"])
def test_every_front_door_page_logs_the_child_exactly_once(world, client, levels, name):
    _, target, query, _ = MATRIX[name]
    kwargs = ALL_TARGETS[target](world)
    client.force_login(world.sw_amy)
    before = events()
    response = client.get(reverse(name, kwargs=kwargs) + query)
    assert response.status_code == 200
    assert events() - before == Counter({world.child_sam.pk: 1})


def test_an_empty_post_shows_what_is_missing(world, client):
    """An empty POST is refused with the form's messages, not shown as a fresh form (issue 12:
    every view reads the POST through ``core.submission.posted``)."""
    client.force_login(world.sw_amy)
    before = counts()
    response = client.post(reverse("referrals:contact-new", args=[world.child_sam.pk]), {})
    assert response.status_code == 200
    assert "Choose who made the contact" in response.content.decode()
    assert counts() == before
