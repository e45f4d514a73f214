"""The demo's contacts about several children of a family (decision 0065): siblings referred
in one episode came to the front door together, and one such contact waits to be decided, so
that the pages deciding them and showing the family's children have content."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from safeguard.people.models import Relationship
from safeguard.referrals.models import ContactGroup


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.SAFEGUARD_DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.txt"
    call_command("demo", stdout=io.StringIO(), children=120, seed=7, as_at="2026-06-30")


def test_siblings_contacts_come_together_and_one_waits(demo, client):
    groups = list(ContactGroup.objects.prefetch_related("contacts"))
    assert len(groups) >= 2
    waiting = 0
    for group in groups:
        contacts = list(group.contacts.all())
        assert 2 <= len(contacts) <= 3
        for contact in contacts:
            assert (contact.contact_date, contact.source, contact.reason) == (
                group.contact_date, group.source, group.reason,
            )  # fmt: skip
            assert contact.authority_id == group.authority_id
        ids = [c.child_id for c in contacts]
        # The children of one group are siblings.
        assert Relationship.objects.filter(kind="sibling", person_id__in=ids, other_id__in=ids).exists()
        decided = {bool(c.outcome) for c in contacts}
        assert len(decided) == 1  # decided together, or waiting together
        waiting += not decided.pop()
    assert waiting == 1
    # The new pages have content: the waiting family's children to decide, and their
    # family's page with its shared chronology.
    group = next(g for g in groups if not g.contacts.all()[0].outcome)
    client.force_login(group.created_by)
    page = client.get(reverse("referrals:contact-group-decide", args=[group.pk])).content.decode()
    assert page.count('id="child-c') == len(group.contacts.all())
    child = group.contacts.all()[0].child
    page = client.get(reverse("casework:family-children", args=[child.pk])).content.decode()
    assert 'id="family-chronology"' in page
