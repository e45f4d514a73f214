"""The family's children together (issue 16 item 7, decision 0065): every child of the family
the viewer may see with their current status, and one chronology of them all, filtered by
child, kind of entry and dates; a sealed sibling left out and counted; each child shown logged;
a fixed number of queries whatever the size of the family."""

import uuid
from collections import Counter
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguard.audit.models import AccessEvent
from safeguard.casework import services
from safeguard.casework.models import ChronologyEntry
from safeguard.casework.tests.matrix import sam_case
from safeguard.people.models import Person, Relationship
from safeguard.people.services import residence_add
from safeguard.people.tests.sealing import seal

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(world):
    """Sam (open case), Sally (open case on a child in need plan), Sid (no case), living with
    their mother Mary; a contact's entry for each; a worker's entry on Sally's file."""
    sid = Person.objects.create(
        authority=world.authority, given_names="Sid", family_name="Smith", date_of_birth=date(2020, 2, 9), sex="M"
    )
    residence_add(by=world.sw_amy, person=sid, line_1="1 Test Street", town="Testshire", postcode="TE1 1ST",
                  start_date=date(2020, 2, 9))  # fmt: skip
    sam_case(world)
    sally_case = services.case_open(
        by=world.sw_amy, child=world.child_sally, referral_date=date(2025, 1, 6), referral_source="6"
    )
    services.cin_plan_start(by=world.sw_amy, case=sally_case, start_date=date(2025, 2, 3))
    services.chronology_entry_add(
        by=world.sw_amy, case=sally_case, event_date=date(2025, 3, 1), what="Sally told her teacher she was frightened",
        source_agency="School",
    )  # fmt: skip
    for child in (world.child_sam, world.child_sally, sid):
        # The entry the front door writes for each child's contact (casework imports no
        # higher app: the entry is made as it stands).
        ChronologyEntry.objects.create(
            child=child, event_date=date(2025, 6, 2), what="Contact from Schools: all three hungry at school",
            source_agency="Schools", source_type="referrals.contact", source_id=str(uuid.uuid4()),
        )  # fmt: skip
    return sid


def url(world, **query) -> str:
    path = reverse("casework:family-children", args=[world.child_sam.pk])
    if query:
        from urllib.parse import urlencode

        path += "?" + urlencode(query)
    return path


def rows(page: str) -> str:
    return page[page.index('id="family-chronology"') :] if 'id="family-chronology"' in page else ""


def test_every_child_is_shown_with_their_status(world, client, family):
    client.force_login(world.sw_amy)
    response = client.get(url(world))
    assert response.status_code == 200
    page = response.content.decode()
    table = page[page.index('id="family-children"') : page.index("</table>")]
    assert "Sam Smith" in table and "Sally Smith" in table and "Sid Smith" in table
    assert "Mary" not in table  # an adult is not one of the children
    assert "On a child in need plan" in table and "since 3 Feb 2025" in table  # Sally
    assert "Child in need" in table  # Sam's open case
    assert "Not known to children's social care now" in table  # Sid


def test_one_chronology_holds_every_child_s_entries(world, client, family):
    client.force_login(world.sw_amy)
    chronology = rows(client.get(url(world)).content.decode())
    assert chronology.count("Contact from") == 3
    assert "Sally told her teacher she was frightened" in chronology
    assert "Referral received" not in chronology  # Sam's case was opened without a referral


def test_the_chronology_is_filtered_by_child_kind_and_dates(world, client, family):
    client.force_login(world.sw_amy)
    only_sally = rows(client.get(url(world, child=world.child_sally.pk)).content.decode())
    assert only_sally.count("Contact from") == 1 and "frightened" in only_sally
    contacts = rows(client.get(url(world, kind="referrals.contact")).content.decode())
    assert contacts.count("Contact from") == 3 and "frightened" not in contacts
    manual = rows(client.get(url(world, kind="manual")).content.decode())
    assert "frightened" in manual and "Contact from" not in manual
    dated = {"date_from_day": "1", "date_from_month": "3", "date_from_year": "2025",
             "date_to_day": "31", "date_to_month": "3", "date_to_year": "2025"}  # fmt: skip
    march = rows(client.get(url(world, **dated)).content.decode())
    assert "frightened" in march and "Contact from" not in march
    page = client.get(url(world)).content.decode()
    assert '<option value="referrals.contact">Contacts</option>' in page
    assert '<option value="manual">Entries added by a worker</option>' in page


def test_bad_filters_are_refused_with_a_message_and_every_entry_shown(world, client, family):
    client.force_login(world.sw_amy)
    backwards = {"date_from_day": "1", "date_from_month": "4", "date_from_year": "2025",
                 "date_to_day": "1", "date_to_month": "3", "date_to_year": "2025"}  # fmt: skip
    response = client.get(url(world, **backwards))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The to date must be the same as or after the from date" in page
    assert rows(page).count("Contact from") == 3
    # A child outside the family (Tom) is not one to choose.
    page = client.get(url(world, child=world.child_tom.pk)).content.decode()
    assert "Choose a child of the family" in page and "Tom" not in rows(page)
    page = client.get(url(world, kind="nonsense")).content.decode()
    assert "Choose a kind of entry shown" in page


def test_a_sealed_sibling_is_left_out_and_counted(world, client, family):
    seal(world, world.child_sally, world.sw_amy)
    client.force_login(world.sw_ben)
    response = client.get(url(world))
    page = response.content.decode()
    table = page[page.index('id="family-children"') : page.index("</table>")]
    assert "Sally" not in table and "frightened" not in page
    assert str(world.child_sally.pk) not in page
    assert "1 other child of the family is not shown: their record is restricted" in page
    assert rows(page).count("Contact from") == 2  # Sam's and Sid's
    # Asking for her by id shows nothing of her either.
    page = client.get(url(world, child=world.child_sally.pk)).content.decode()
    assert "Choose a child of the family" in page and "frightened" not in page


def test_each_child_shown_is_logged_once(world, client, family):
    client.force_login(world.sw_amy)
    client.get(url(world))
    logged = Counter(AccessEvent.objects.filter(user=world.sw_amy).values_list("person_id", flat=True))
    assert logged == Counter({world.child_sam.pk: 1, world.child_sally.pk: 1, family.pk: 1})


def test_partners_and_analysts_do_not_see_the_family_s_chronology(world, client, family):
    for who, status in (("police_pat", 404), ("analyst_eve", 403), ("other_sw", 404)):
        client.force_login(getattr(world, who))
        assert client.get(url(world)).status_code == status


def test_the_page_reads_a_fixed_number_of_queries(world, client, family):
    """A fourth child, with a case and entries of their own, adds no query."""

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(world)).status_code == 200
        return len(captured)

    client.force_login(world.sw_amy)
    three = count()
    suki = Person.objects.create(
        authority=world.authority, given_names="Suki", family_name="Smith", date_of_birth=date(2021, 5, 1)
    )
    Relationship.objects.create(person=world.child_sam, other=suki, kind="sibling")
    case = services.case_open(by=world.sw_amy, child=suki, referral_date=date(2025, 1, 6), referral_source="6")
    services.chronology_entry_add(by=world.sw_amy, case=case, event_date=date(2025, 3, 2), what="Suki seen at home")
    assert count() == three
