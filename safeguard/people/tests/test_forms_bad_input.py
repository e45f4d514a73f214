"""Bad input to every people form returns the form with a clear error and stores nothing."""

import pytest
from django.urls import reverse

from safeguard.audit.models import ChangeEvent
from safeguard.people.models import (
    Address,
    Involvement,
    Person,
    PersonName,
    Relationship,
    Residence,
)

pytestmark = pytest.mark.django_db

GOOD_PERSON = {
    "given_names": "Ada",
    "family_name": "Brackenfold",
    "date_of_birth_day": "1",
    "date_of_birth_month": "2",
    "date_of_birth_year": "2019",
    "sex": "F",
    "ethnicity": "WBRI",
    "nhs_number": "",
    "upn": "",
    "la_child_id": "",
    "police_reference": "",
}


def _counts():
    return tuple(
        m.objects.count()
        for m in (Person, PersonName, Address, Residence, Relationship, Involvement, ChangeEvent)
    )


BAD_PEOPLE = [
    ({"nhs_number": "9434765918"}, "check digit"),
    ({"nhs_number": "94347659"}, "10 digits"),
    ({"nhs_number": "9990000000"}, "not a valid NHS number"),
    ({"upn": "A801200005001"}, "check letter"),
    ({"upn": "B8012000O5001"}, "I, O or S"),
    ({"upn": "B80120"}, "13"),
    ({"la_child_id": "KM-0001!"}, "letters and digits"),
    ({"family_name": ""}, "Enter the family name"),
    ({"date_of_birth_year": "2099"}, "future"),
    ({"date_of_birth_day": "31", "date_of_birth_month": "2"}, "real date"),
    ({"date_of_birth_month": ""}, "must include a month"),
    ({"date_of_birth_day": "", "date_of_birth_month": "", "date_of_birth_year": ""}, "expected date of birth"),
    ({"expected_date_of_birth_day": "1", "expected_date_of_birth_month": "1", "expected_date_of_birth_year": "2030"}, "not both"),
    ({"sex": "X"}, "Select a valid choice"),
    ({"ethnicity": "ZZZZ"}, "Select a valid choice"),
    ({"disabilities": ["NONE", "MOB"]}, "on its own"),
    ({"family_name": "x" * 201}, "Family name must be 200 characters or fewer"),
    ({"given_names": "Robert'); DROP TABLE people_person;--", "nhs_number": "' OR 1=1--"}, "NHS number"),
    ({"family_name": "Nul\x00Byte"}, "Null characters"),
]


@pytest.mark.parametrize(("change", "message"), BAD_PEOPLE)
def test_create_person_refuses_bad_input(world, client, change, message):
    client.force_login(world.sw_amy)
    before = _counts()
    response = client.post(reverse("people:create"), {**GOOD_PERSON, **change})
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert message in content
    assert _counts() == before
    # What was typed is still there.
    if change.get("given_names"):
        assert 'value="Robert&#x27;); DROP TABLE people_person;--"' in content


def test_create_person_with_good_input_stores_it_with_history(world, client):
    client.force_login(world.sw_amy)
    response = client.post(reverse("people:create"), {**GOOD_PERSON, "nhs_number": "943 476 5900"})
    person = Person.objects.get(family_name="Brackenfold")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert person.nhs_number == "9434765900"
    event = ChangeEvent.objects.get(target_id=str(person.pk))
    assert (event.user, event.verb, event.before) == (world.sw_amy, "created", None)
    assert event.after["family_name"] == "Brackenfold"


def test_existing_nhs_number_is_refused(world, client):
    client.force_login(world.sw_amy)
    before = _counts()
    response = client.post(reverse("people:create"), {**GOOD_PERSON, "nhs_number": "9434765919"})
    assert "Another record in this authority already has this NHS number" in response.content.decode()
    assert _counts() == before


def test_possible_duplicate_asks_for_confirmation_before_creating(world, client):
    client.force_login(world.sw_amy)
    data = {**GOOD_PERSON, "given_names": "Jon", "family_name": "Smyth",
            "date_of_birth_day": "14", "date_of_birth_month": "3", "date_of_birth_year": "2015"}
    before = _counts()
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 200
    assert response.context["duplicates"] == [world.child_sam]
    assert _counts() == before
    response = client.post(reverse("people:create"), {**data, "confirm_not_duplicate": "yes"})
    assert response.status_code == 302
    assert Person.objects.filter(family_name="Smyth").count() == 1


def test_edit_refuses_bad_input_and_keeps_the_record(world, client):
    client.force_login(world.sw_amy)
    sam = world.child_sam
    url = reverse("people:edit", args=[sam.pk])
    data = {**GOOD_PERSON, "family_name": "Smith", "given_names": "Sam", "version": sam.version,
            "upn": "A801200005001"}
    before = _counts()
    response = client.post(url, data)
    assert "check letter" in response.content.decode()
    assert _counts() == before
    sam.refresh_from_db()
    assert (sam.upn, sam.version) == (None, 1)


def test_stale_edit_is_refused_and_nothing_is_lost(world, client):
    client.force_login(world.sw_amy)
    sam = world.child_sam
    url = reverse("people:edit", args=[sam.pk])
    data = {**GOOD_PERSON, "family_name": "Smith", "given_names": "Johnny", "version": sam.version}
    assert client.post(url, data).status_code == 302
    stale = {**data, "given_names": "Jonathan"}
    response = client.post(url, stale)
    content = response.content.decode()
    assert "Someone else changed this record" in content
    assert 'value="Jonathan"' in content
    sam.refresh_from_db()
    assert (sam.given_names, sam.version) == ("Johnny", 2)


GOOD_ADDRESS = {"line_1": "2 New Road", "line_2": "", "town": "Testshire", "postcode": "te1 2ab",
                "start_date_day": "1", "start_date_month": "6", "start_date_year": "2024"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"postcode": "NOT A CODE"}, "real postcode"),
        ({"line_1": ""}, "Enter address line 1"),
        ({"start_date_year": "2099"}, "future"),
        ({"start_date_year": "2010"}, "before the person was born"),
        ({"start_date_year": "2018"}, "before the start of the current address"),
        ({"line_1": "1 Test Street", "postcode": "TE1 1ST"}, "already lives at this address"),
    ],
)
def test_address_refuses_bad_input(world, client, change, message):
    client.force_login(world.sw_amy)
    before = _counts()
    response = client.post(reverse("people:address-add", args=[world.child_sam.pk]), {**GOOD_ADDRESS, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _counts() == before


def test_a_new_address_ends_the_old_one_and_forms_a_household(world, client):
    client.force_login(world.sw_amy)
    url = reverse("people:address-add", args=[world.child_sam.pk])
    assert client.post(url, GOOD_ADDRESS).status_code == 302
    residences = list(world.child_sam.residences.order_by("start_date"))
    assert [(str(r.address), r.end_date is None) for r in residences] == [
        ("1 Test Street, Testshire, TE1 1ST", False),
        ("2 New Road, Testshire, TE1 2AB", True),
    ]


def test_other_name_refuses_a_missing_family_name(world, client):
    client.force_login(world.sw_amy)
    before = _counts()
    response = client.post(reverse("people:name-add", args=[world.child_sam.pk]),
                           {"kind": "alias", "given_names": "Johnny", "family_name": ""})
    assert "Enter the family name" in response.content.decode()
    assert _counts() == before


def test_relationship_refuses_bad_input(world, client):
    client.force_login(world.sw_amy)
    url = reverse("people:relationship-add", args=[world.child_sam.pk])
    before = _counts()
    response = client.post(url, {"other": str(world.child_tom.pk), "direction": "other_is", "kind": "uncle"})
    assert "Select a valid choice" in response.content.decode()
    response = client.post(url, {"other": str(world.child_tom.pk), "direction": "other_is", "kind": "sibling",
                                 "start_date_day": "1", "start_date_month": "1", "start_date_year": "2099"})
    assert "future" in response.content.decode()
    assert _counts() == before


def test_relationship_to_someone_unseen_is_refused(world, client):
    client.force_login(world.sw_amy)
    url = reverse("people:relationship-add", args=[world.child_sam.pk])
    response = client.post(url, {"other": str(world.outsider.pk), "direction": "other_is", "kind": "sibling"})
    assert response.status_code == 404
    assert not Relationship.objects.filter(other=world.outsider).exists()


def test_involvement_refuses_a_worker_from_another_agency(world, client):
    client.force_login(world.sw_amy)
    before = _counts()
    response = client.post(
        reverse("people:involvement-add", args=[world.child_tom.pk]),
        {"agency": world.police.pk, "team": "", "worker": world.sw_amy.pk, "role": "Officer",
         "start_date_day": "1", "start_date_month": "1", "start_date_year": "2025"},
    )
    assert "That worker is not part of the agency" in response.content.decode()
    assert _counts() == before


def test_involvement_grants_a_partner_sight_of_the_record(world, client):
    client.force_login(world.sw_amy)
    detail = reverse("people:detail", args=[world.child_tom.pk])
    client.force_login(world.school_sid)
    assert client.get(detail).status_code == 404
    client.force_login(world.sw_amy)
    response = client.post(
        reverse("people:involvement-add", args=[world.child_tom.pk]),
        {"agency": world.education.pk, "team": world.school_sid.teams.get().pk, "worker": "",
         "role": "Designated safeguarding lead",
         "start_date_day": "1", "start_date_month": "9", "start_date_year": "2025"},
    )
    assert response.status_code == 302
    client.force_login(world.school_sid)
    assert client.get(detail).status_code == 200
