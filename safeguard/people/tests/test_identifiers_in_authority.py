"""Issue 11, item 7: NHS numbers and UPNs are unique within an authority, and a clash with
another authority's record neither blocks nor reveals anything."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from safeguard.core.errors import ApplicationError
from safeguard.people import services
from safeguard.people.models import Person

pytestmark = pytest.mark.django_db

NHS = "9434765900"
UPN = "B801200005001"
NEW_CHILD = {
    "given_names": "Ada",
    "family_name": "Brackenfold",
    "date_of_birth_day": "1",
    "date_of_birth_month": "2",
    "date_of_birth_year": "2016",
    "sex": "F",
    "ethnicity": "WBRI",
}


@pytest.fixture
def elsewhere(world):
    """A child of the other authority holding the NHS number and UPN used below."""
    world.outsider.nhs_number = NHS
    world.outsider.upn = UPN
    world.outsider.save()
    return world.outsider


def test_creating_with_another_authoritys_nhs_number_and_upn_says_nothing_of_it(
    world, client, elsewhere
):
    client.force_login(world.sw_amy)
    response = client.post(reverse("people:create"), {**NEW_CHILD, "nhs_number": NHS, "upn": UPN})
    assert response.status_code == 302, response.content.decode()
    ada = Person.objects.get(family_name="Brackenfold")
    assert (ada.authority, ada.nhs_number, ada.upn) == (world.authority, NHS, UPN)


def test_editing_to_another_authoritys_identifiers_is_allowed(world, elsewhere):
    sam = services.person_update(
        by=world.sw_amy, person=world.child_sam, version=1, nhs_number=NHS, upn=UPN
    )
    assert (sam.nhs_number, sam.upn) == (NHS, UPN)


def test_a_clash_in_the_same_authority_is_refused_in_words_about_this_authority(world):
    services.person_update(by=world.sw_amy, person=world.child_tom, version=1, upn=UPN)
    for field, value, label in (("nhs_number", "9434765919", "NHS number"), ("upn", UPN, "UPN")):
        with pytest.raises(ApplicationError) as refused:
            services.person_update(
                by=world.sw_amy, person=world.child_sally, version=1, **{field: value}
            )
        assert refused.value.message == (
            f"Another record in this authority already has this {label}"
        )
        assert refused.value.field == field
    world.child_sally.refresh_from_db()
    assert (world.child_sally.nhs_number, world.child_sally.upn) == (None, None)


def test_the_database_holds_identifiers_unique_within_an_authority(world, elsewhere):
    # Another authority may hold the same numbers...
    Person.objects.create(authority=world.authority, family_name="Ok", nhs_number=NHS, upn=UPN)
    # ...but one authority may not hold them twice, even past the service.
    for field, value in (("nhs_number", NHS), ("upn", UPN)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Person.objects.create(authority=world.authority, family_name="Twice", **{field: value})
