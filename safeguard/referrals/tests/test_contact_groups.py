"""Siblings together (issue 16 item 7, decision 0065): one contact about several children of
a family, a contact for each child, all decided from one page (each under the single
contact's rules, the referral recorded with its decision), all or nothing."""

import tomllib
from collections import Counter
from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse

from safeguard.audit.models import AccessEvent, ChangeEvent
from safeguard.casework import services as casework
from safeguard.casework.models import Case, ChronologyEntry
from safeguard.casework.tests.matrix import sam_case
from safeguard.core.errors import ApplicationError
from safeguard.people.models import Person, Relationship
from safeguard.people.services import residence_add
from safeguard.people.tests.sealing import seal
from safeguard.referrals.management.commands.load_thresholds import DEFAULT_FILE
from safeguard.referrals.models import Contact, ContactGroup, Referral
from safeguard.referrals.services import contact_group_record, thresholds_load

pytestmark = pytest.mark.django_db

Notice = apps.get_model("notices", "Notice")

CONTACT_DAY = date(2025, 6, 2)
DECIDED = date(2025, 6, 3)


def on(field: str, day: date) -> dict:
    return {f"{field}_day": str(day.day), f"{field}_month": str(day.month), f"{field}_year": str(day.year)}


def counts() -> tuple:
    return (
        ContactGroup.objects.count(), Contact.objects.count(), Contact.objects.exclude(outcome="").count(),
        Referral.objects.count(), Case.objects.count(), ChangeEvent.objects.count(), ChronologyEntry.objects.count(),
    )  # fmt: skip


@pytest.fixture
def levels(world):
    with DEFAULT_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    return {level.number: level for level in thresholds_load(by=None, authority=world.authority, data=data)}


@pytest.fixture
def sid(world):
    """Sid Smith, Sam and Sally's younger brother, living with them and their mother."""
    child = Person.objects.create(
        authority=world.authority, given_names="Sid", family_name="Smith", date_of_birth=date(2020, 2, 9), sex="M"
    )
    Relationship.objects.create(person=world.mother_mary, other=child, kind="parent", start_date=child.date_of_birth)
    residence_add(by=world.sw_amy, person=child, line_1="1 Test Street", town="Testshire", postcode="TE1 1ST",
                  start_date=date(2020, 2, 9))  # fmt: skip
    return child


@pytest.fixture
def held_case(world):
    """Sam's open case, allocated to Ben: a contact about Sam is passed to him."""
    case = sam_case(world)
    casework.case_allocate(
        by=world.tm_carol, case=case, worker=world.sw_ben, team=world.team_b, start_date=date(2025, 1, 8),
        reason="Capacity",
    )  # fmt: skip
    return case


@pytest.fixture
def group(world, sid):
    return contact_group_record(
        by=world.sw_amy, children=[world.child_sam, world.child_sally, sid], contact_date=CONTACT_DAY, source="2A",
        reason="School: the three children came in hungry and unwashed all week", priority="amber",
    )  # fmt: skip


def new_url(world) -> str:
    return reverse("referrals:contact-group-new", args=[world.child_sam.pk])


def decide_url(group) -> str:
    return reverse("referrals:contact-group-decide", args=[group.pk])


def part(group, child) -> str:
    contact = group.contacts.get(child=child)
    return f"c{contact.pk.hex[:12]}"


def decision(prefix: str, level, *, outcome=None, **extra) -> dict:
    data = {
        "level": level.pk,
        "indicators": [level.indicators.first().pk],
        "rationale": f"Rationale for {prefix}",
        "outcome": outcome or level.implied_outcome,
        "manager": "",
        "manager_reason": "",
        "priority": "amber",
        **on("decision_date", DECIDED),
        **extra,
    }
    return {f"{prefix}-{name}": value for name, value in data.items()}


# --- Recording ----------------------------------------------------------------------------------


def test_the_family_s_other_children_are_offered_and_never_an_adult(world, client, sid):
    client.force_login(world.sw_amy)
    response = client.get(new_url(world))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{world.child_sally.pk}"' in page and f'value="{sid.pk}"' in page
    assert f'value="{world.mother_mary.pk}"' not in page and "Tom" not in page
    assert "Sally Smith, born 2 July 2018" in page


def test_a_contact_about_three_children_records_one_contact_for_each(world, client, sid, held_case):
    client.force_login(world.sw_amy)
    data = {
        "children": [world.child_sally.pk, sid.pk], **on("contact_date", CONTACT_DAY), "source": "2A",
        "reason": "School: the three children came in hungry", "priority": "amber", "priority_reason": "",
        "received_time": "",
    }  # fmt: skip
    response = client.post(new_url(world), data)
    group = ContactGroup.objects.get()
    assert response.status_code == 302 and response["Location"] == decide_url(group)
    contacts = {c.child_id: c for c in group.contacts.all()}
    assert set(contacts) == {world.child_sam.pk, world.child_sally.pk, sid.pk}
    for contact in contacts.values():
        assert (contact.contact_date, contact.source, contact.priority) == (CONTACT_DAY, "2A", "amber")
        assert contact.reason == "School: the three children came in hungry"
        # Each child's contact is in their own chronology, as a single contact's is.
        assert ChronologyEntry.objects.filter(child_id=contact.child_id, source_id=str(contact.pk)).exists()
    assert (group.authority, group.created_by) == (world.authority, world.sw_amy)
    # Sam's case holder is told, as for a single contact.
    assert Notice.objects.filter(user=world.sw_ben, subject="A new contact about a child you hold").count() == 1


def test_a_contact_about_the_child_alone_is_refused_with_nothing_kept(world, client, sid):
    client.force_login(world.sw_amy)
    before = counts()
    data = {**on("contact_date", CONTACT_DAY), "source": "2A", "reason": "Hungry", "priority": "green"}
    response = client.post(new_url(world), data)
    assert response.status_code == 200
    assert "Choose the other children the contact is about" in response.content.decode()
    assert counts() == before
    with pytest.raises(ApplicationError, match="Choose at least one more child"):
        contact_group_record(by=world.sw_amy, children=[world.child_sam], contact_date=CONTACT_DAY, source="2A", reason="x")


def test_a_child_not_of_the_family_cannot_be_chosen(world, client, sid):
    client.force_login(world.sw_amy)
    before = counts()
    data = {"children": [world.child_tom.pk], **on("contact_date", CONTACT_DAY), "source": "2A", "reason": "Hungry",
            "priority": "green"}  # fmt: skip
    response = client.post(new_url(world), data)
    assert "Choose children from the list" in response.content.decode()
    assert counts() == before


def test_a_sealed_sibling_is_not_offered_to_a_colleague_not_named(world, client, sid):
    seal(world, world.child_sally, world.sw_amy)
    client.force_login(world.sw_ben)
    page = client.get(new_url(world)).content.decode()
    assert "Sally" not in page and f'value="{sid.pk}"' in page
    assert "1 other child of the family is not shown: their record is restricted" in page
    # The named social worker is offered her.
    client.force_login(world.sw_amy)
    assert f'value="{world.child_sally.pk}"' in client.get(new_url(world)).content.decode()


def test_each_child_offered_is_logged(world, client, sid):
    client.force_login(world.sw_amy)
    client.get(new_url(world))
    logged = Counter(AccessEvent.objects.values_list("person_id", flat=True))
    assert logged == Counter({world.child_sam.pk: 1, world.child_sally.pk: 1, sid.pk: 1})


# --- Deciding from one page ---------------------------------------------------------------------


def test_the_page_has_a_fieldset_for_each_child(world, client, group, levels, sid):
    client.force_login(world.sw_amy)
    response = client.get(decide_url(group))
    assert response.status_code == 200
    page = response.content.decode()
    for child in (world.child_sam, world.child_sally, sid):
        prefix = part(group, child)
        assert f'id="child-{prefix}"' in page
        assert f'name="{prefix}-level" type="radio" value="{levels[3].pk}"' in page
        assert f'id="id_{prefix}-level_0"' in page
    assert "School: the three children came in hungry and unwashed all week" in page
    logged = Counter(AccessEvent.objects.values_list("person_id", flat=True))
    assert logged == Counter({world.child_sam.pk: 1, world.child_sally.pk: 1, sid.pk: 1})


def test_each_child_is_decided_from_one_page(world, client, held_case, group, levels, sid):
    """Sally to a referral (recorded with it), Sid no further action, Sam (open case) passed
    to the allocated worker."""
    client.force_login(world.sw_amy)
    data = {
        **decision(part(group, world.child_sally), levels[3], referral_decision="assessment", primary_need="N1",
                   referral_reason="Neglect across the sibling group"),
        **decision(part(group, sid), levels[2], outcome="nfa", manager=world.tm_carol.pk,
                   manager_reason="Sid is seen daily at nursery; no worry of his own"),
        **decision(part(group, world.child_sam), levels[3], outcome="passed"),
    }  # fmt: skip
    for contact in group.contacts.all():
        data[f"{part(group, contact.child)}-version"] = contact.version
    response = client.post(decide_url(group), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    contacts = {c.child_id: c for c in group.contacts.select_related("referral__case")}
    sally, sid_contact, sam = contacts[world.child_sally.pk], contacts[sid.pk], contacts[world.child_sam.pk]
    assert sally.outcome == "referral" and sally.referral.decision == "assessment"
    case = sally.referral.case
    assert (case.child, case.referral_date, case.primary_need, case.referral_source) == (world.child_sally, CONTACT_DAY, "N1", "2A")
    assert sally.referral.decision_date == DECIDED and sally.referral.reason == "Neglect across the sibling group"
    assert (sid_contact.outcome, sid_contact.manager, sid_contact.suggested_outcome) == ("nfa", world.tm_carol, "early_help")
    assert not Referral.objects.filter(contact=sid_contact).exists()
    assert sam.outcome == "passed" and not Referral.objects.filter(contact=sam).exists()
    assert Notice.objects.filter(user=world.sw_ben, subject="A contact was passed to you").exists()
    page = client.get(decide_url(group)).content.decode()
    assert "Record the decisions" not in page
    assert reverse("casework:case-detail", args=[case.pk]) in page
    assert "Passed to the allocated worker" in page and "No further action" in page


def test_one_refused_decision_keeps_nothing_and_shows_each_child_s_error(world, client, held_case, group, levels, sid):
    client.force_login(world.sw_amy)
    before = counts()
    data = {
        # Sally's referral has no decision; Sam (open case) cannot be referred.
        **decision(part(group, world.child_sally), levels[3]),
        **decision(part(group, sid), levels[2]),
        **decision(part(group, world.child_sam), levels[3], outcome="referral"),
    }
    response = client.post(decide_url(group), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "Sally Smith: Choose the decision on the referral" in page
    assert "Sam Smith: The child already has an open case: pass the contact to the allocated worker" in page
    assert "Sid Smith:" not in page
    # The typing is kept for every child.
    for child in (world.child_sam, world.child_sally, sid):
        assert f"Rationale for {part(group, child)}" in page
    assert counts() == before
    assert not Notice.objects.filter(user=world.sw_ben, subject="A contact was passed to you").exists()


def test_a_form_error_for_one_child_saves_no_other(world, client, group, levels, sid):
    client.force_login(world.sw_amy)
    before = counts()
    data = {
        **decision(part(group, world.child_sally), levels[2]),
        **decision(part(group, sid), levels[2]),
        **decision(part(group, world.child_sam), levels[2], rationale=""),
    }
    data[f"{part(group, world.child_sam)}-rationale"] = ""
    response = client.post(decide_url(group), data)
    page = response.content.decode()
    assert "Sam Smith: Enter the rationale for the decision" in page
    assert f'href="#id_{part(group, world.child_sam)}-rationale"' in page
    assert counts() == before


def test_a_child_decided_on_their_own_page_is_shown_decided(world, client, group, levels, sid):
    from safeguard.referrals.services import contact_decide

    sam = group.contacts.get(child=world.child_sam)
    level = levels[2]
    contact_decide(by=world.sw_amy, contact=sam, level=level, indicators=[level.indicators.first()],
                   rationale="Early help for Sam", outcome="early_help", decision_date=DECIDED)  # fmt: skip
    client.force_login(world.sw_amy)
    page = client.get(decide_url(group)).content.decode()
    assert f'id="child-{part(group, world.child_sam)}"' not in page
    assert f'id="child-{part(group, sid)}"' in page
    assert "Early help" in page


# --- Who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("sw_amy", 200), ("tm_carol", 200), ("analyst_eve", 403), ("police_pat", 404), ("health_hana", 404),
     ("other_sw", 404), ("admin_al", 404), ("chair_iris", 403)],
)  # fmt: skip
def test_who_may_record_and_decide_as_for_a_single_contact(world, client, group, who, status):
    client.force_login(getattr(world, who))
    assert client.get(new_url(world)).status_code == status
    assert client.get(decide_url(group)).status_code == status


def test_a_group_whose_children_are_all_sealed_is_not_found(world, client, sid):
    group = contact_group_record(
        by=world.sw_amy, children=[world.child_sam, world.child_sally], contact_date=CONTACT_DAY, source="2A",
        reason="Hungry",
    )  # fmt: skip
    seal(world, world.child_sam, world.sw_amy)
    seal(world, world.child_sally, world.sw_amy)
    client.force_login(world.sw_ben)
    assert client.get(decide_url(group)).status_code == 404
    # With one of them sealed, the other is shown and the sealed one counted.
    group2 = contact_group_record(
        by=world.sw_amy, children=[sid, world.child_sally], contact_date=CONTACT_DAY, source="2A", reason="Hungry",
    )  # fmt: skip
    page = client.get(decide_url(group2)).content.decode()
    assert "Sid Smith" in page and "Sally" not in page
    assert "1 not shown: their record is restricted" in page


def test_the_page_reads_a_fixed_number_of_queries(world, client, levels, sid, django_assert_max_num_queries):
    """A fourth child adds no query."""
    def page_queries(children):
        group = contact_group_record(by=world.sw_amy, children=children, contact_date=CONTACT_DAY, source="2A", reason="Hungry")
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(decide_url(group)).status_code == 200
        return len(captured)

    client.force_login(world.sw_amy)
    three = page_queries([world.child_sam, world.child_sally, sid])
    fourth = Person.objects.create(authority=world.authority, given_names="Suki", family_name="Smith", date_of_birth=date(2021, 5, 1))
    four = page_queries([world.child_sam, world.child_sally, sid, fourth])
    assert four == three


def test_the_front_door_links_each_child_of_a_family_s_contact_to_its_page(world, client, group):
    client.force_login(world.sw_amy)
    page = client.get(reverse("referrals:front-door")).content.decode()
    assert page.count(f'href="{decide_url(group)}"') == 3


def test_each_child_s_contact_page_links_to_the_contact_about_them_all(world, client, group):
    client.force_login(world.sw_amy)
    contact = group.contacts.get(child=world.child_sally)
    page = client.get(reverse("referrals:contact-detail", args=[contact.pk])).content.decode()
    assert f'href="{decide_url(group)}"' in page
    client.force_login(world.analyst_eve)
    page = client.get(reverse("referrals:contact-detail", args=[contact.pk])).content.decode()
    assert decide_url(group) not in page


def test_a_child_passed_on_a_refused_page_tells_no_one(world, client, held_case, group, levels, sid, mailoutbox):
    """Sam passed to his allocated worker, Sally refused: nothing kept, no notice, no email."""
    client.force_login(world.sw_amy)
    data = {
        **decision(part(group, world.child_sally), levels[3]),
        **decision(part(group, sid), levels[2]),
        **decision(part(group, world.child_sam), levels[3], outcome="passed"),
    }
    response = client.post(decide_url(group), data)
    assert "Sally Smith: Choose the decision on the referral" in response.content.decode()
    assert not Notice.objects.filter(user=world.sw_ben, subject="A contact was passed to you").exists()
    assert not [m for m in mailoutbox if m.subject == "A contact was passed to you"]
    assert not group.contacts.exclude(outcome="").exists()
