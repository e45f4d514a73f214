"""A contact about several children (decision 0065) in the subject access export: the child's
own contact is there, naming the group it came with; the other children's contacts are not."""

import io
import json
import zipfile
from datetime import date

import pytest
from django.urls import reverse

from safeguard.privacy.services import sar_create
from safeguard.referrals.services import contact_group_record

pytestmark = pytest.mark.django_db


def _walk(node):
    yield node
    for items in node.get("children", {}).values():
        for child in items:
            yield from _walk(child)


def test_the_child_s_contact_names_its_group_and_no_sibling_s_contact_is_exported(world, client):
    group = contact_group_record(
        by=world.sw_amy, children=[world.child_sam, world.child_sally], contact_date=date(2025, 6, 2),
        source="2A", reason="Both children hungry at school",
    )  # fmt: skip
    sar = sar_create(
        by=world.sm_dan, person=world.child_sam, requester="Sam's mother", received_date=date(2025, 6, 30)
    )
    client.force_login(world.sm_dan)
    response = client.get(reverse("privacy:sar-download", kwargs={"sar_id": sar.pk}))
    assert response.status_code == 200
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("record.json"))
    contacts = [n for n in _walk(data["person"]) if n["record"] == "referrals.contact"]
    assert len(contacts) == 1
    fields = contacts[0]["fields"]
    assert fields["reason"] == "Both children hungry at school"
    assert fields["group"]["record"] == "referrals.contactgroup"
    assert fields["group"]["id"] == str(group.pk)
    assert fields["group"]["text"] == "Contact about several children, 2 June 2025"
