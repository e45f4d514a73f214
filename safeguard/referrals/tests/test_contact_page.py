"""A contact's own page (issue 16 item 5, "nothing is write-only"): every field of the contact
and its decision in words, the reasons to those who read narrative, the child's access logged;
and the ways to it: the child's contacts on the person page, newest first, and the contact's
entry in the chronology."""

import html
import tomllib
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguard.audit.models import AccessEvent
from safeguard.people.tests.sealing import seal
from safeguard.referrals.management.commands.load_thresholds import DEFAULT_FILE
from safeguard.referrals.services import contact_decide, contact_record, thresholds_load

pytestmark = pytest.mark.django_db

REASON = "The school reports a bruise on his arm and that he is often hungry"
RATIONALE = "School and health describe the same worries"
MANAGER_REASON = "Early help is already working with the family"
PRIORITY_REASON = "Seen at school today and safe"


@pytest.fixture
def levels(world):
    with DEFAULT_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    loaded = thresholds_load(by=None, authority=world.authority, data=data)
    return {level.number: level for level in loaded}


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _contact(world, day=date(2025, 6, 2), reason=REASON):
    return contact_record(
        by=world.sw_amy,
        child=world.child_sam,
        contact_date=day,
        source="2A",
        reason=reason,
        priority="amber",
    )


def _decided(world, levels, contact=None, indicators=1):
    """A contact decided as no further action against a level that suggests otherwise, so that
    the manager's reason is recorded too."""
    contact = contact or _contact(world)
    level = next(lv for lv in levels.values() if lv.implied_outcome not in ("nfa", "passed"))
    return contact_decide(
        by=world.tm_carol,
        contact=contact,
        level=level,
        indicators=list(level.indicators.all()[:indicators]),
        rationale=RATIONALE,
        outcome="nfa",
        decision_date=contact.contact_date + timedelta(days=1),
        manager=world.tm_carol,
        manager_reason=MANAGER_REASON,
        priority="green",
        priority_reason=PRIORITY_REASON,
    )


def _url(contact) -> str:
    return reverse("referrals:contact-detail", args=[contact.pk])


def test_the_contact_page_shows_every_field_in_words(world, client, levels):
    contact = _decided(world, levels)
    client.force_login(world.sw_amy)
    text = _text(client.get(_url(contact)))
    for shown in (
        "Contact of 2 June 2025",
        "Schools (2A)",  # the source in words
        REASON,
        str(contact.level),
        contact.indicators.first().text,
        RATIONALE,
        "No further action",
        "Differs from the threshold",
        f"The level suggested: {contact.get_suggested_outcome_display().lower()}",
        "Carol Chen",
        MANAGER_REASON,
        "3 June 2025",
        "Green",
        PRIORITY_REASON,
        "Amy Adeyemi",
    ):
        assert shown in text, shown
    # No form, no decision to make: the page only reads.
    assert "<form" not in text.split("<main")[1]


def test_an_undecided_contact_says_so_and_offers_the_decision_to_those_who_decide(
    world, client, levels
):
    contact = _contact(world)
    client.force_login(world.sw_amy)
    text = _text(client.get(_url(contact)))
    assert "Not decided yet" in text
    assert reverse("referrals:contact-decide", args=[contact.pk]) in text
    client.force_login(world.analyst_eve)
    text = _text(client.get(_url(contact)))
    assert "Not decided yet" in text
    assert reverse("referrals:contact-decide", args=[contact.pk]) not in text


def test_an_analyst_sees_when_from_whom_and_the_outcome_but_not_why(world, client, levels):
    contact = _decided(world, levels)
    client.force_login(world.analyst_eve)
    text = _text(client.get(_url(contact)))
    assert "Contact of 2 June 2025" in text and "No further action" in text
    assert str(contact.level) in text
    for hidden in (REASON, RATIONALE, MANAGER_REASON, PRIORITY_REASON):
        assert hidden not in text, hidden


def test_partners_and_other_authorities_find_no_contact(world, client, levels):
    contact = _decided(world, levels)
    for user in (world.police_pat, world.health_hana, world.other_sw, world.inspector_ian):
        client.force_login(user)
        assert client.get(_url(contact)).status_code == 404, user


def test_a_sealed_childs_contact_is_restricted_to_those_named(world, client, levels):
    contact = _decided(world, levels)
    seal(world, world.child_sam, world.sw_amy, by=world.sm_dan)
    client.force_login(world.sw_amy)
    assert client.get(_url(contact)).status_code == 200
    client.force_login(world.tm_carol)
    response = client.get(_url(contact))
    assert response.status_code == 403
    assert "This record is restricted" in response.content.decode()
    assert REASON not in _text(response)


def test_reading_a_contact_logs_the_childs_access(world, client, levels):
    contact = _decided(world, levels)
    events = AccessEvent.objects.filter(user=world.sw_ben, person_id=world.child_sam.pk)
    before = events.count()
    client.force_login(world.sw_ben)
    assert client.get(_url(contact)).status_code == 200
    assert events.count() == before + 1
    assert events.first().route == f"GET {_url(contact)}"


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_contact_page_makes_a_fixed_number_of_queries(world, client, levels):
    one = _decided(world, levels, indicators=1)
    many = _decided(world, levels, contact=_contact(world, day=date(2025, 6, 9)), indicators=5)
    assert many.indicators.count() > 1
    client.force_login(world.sw_amy)
    client.get(_url(one))  # the session's renewal, once a minute, is not the page's
    assert _queries(client, _url(one)) == _queries(client, _url(many))


# --- The ways to a contact ------------------------------------------------------------------------


def test_the_person_page_lists_the_childs_contacts_newest_first(world, client, levels):
    older = _decided(world, levels)
    newer = _contact(world, day=date(2025, 7, 1), reason="Seen in A&E with a burn")
    client.force_login(world.sw_amy)
    text = _text(client.get(reverse("people:detail", args=[world.child_sam.pk])))
    section = text.split('id="contacts"')[1].split("</table>")[0]
    assert section.index(_url(newer)) < section.index(_url(older))
    assert "No further action" in section and "Not decided yet" in section
    assert "Seen in A&amp;E" in section or "Seen in A&E" in section
    # Analysts see the list without the reasons; partners see no contacts at all.
    client.force_login(world.analyst_eve)
    text = _text(client.get(reverse("people:detail", args=[world.child_sam.pk])))
    assert _url(older) in text and "Seen in A&E" not in text
    client.force_login(world.police_pat)
    response = client.get(reverse("people:detail", args=[world.child_sam.pk]))
    assert response.status_code == 200
    assert 'id="contacts"' not in response.content.decode()
    assert _url(older) not in response.content.decode()


def test_the_person_page_reads_the_contacts_in_one_query(world, client, levels):
    url = reverse("people:detail", args=[world.child_sam.pk])
    _contact(world)
    client.force_login(world.sw_amy)
    client.get(url)
    one = _queries(client, url)
    for i in range(8):
        _contact(world, day=date(2025, 6, 3) + timedelta(days=i))
    assert _queries(client, url) == one


def test_a_contacts_chronology_entry_links_to_the_contact(world, client, levels):
    contact = _decided(world, levels)
    client.force_login(world.sw_amy)
    text = client.get(reverse("casework:chronology", args=[world.child_sam.pk])).content.decode()
    assert f'href="{_url(contact)}"' in text
    # The printed chronology carries no links.
    printed = client.get(
        reverse("casework:chronology", args=[world.child_sam.pk]) + "?print=1"
    ).content.decode()
    assert f'href="{_url(contact)}"' not in printed
