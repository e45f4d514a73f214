"""Annex A list 1 and a contact about several children (decision 0065): each child's contact
is a row of its own, as if each had been recorded alone."""

from datetime import date

import pytest

from safeguard.people.models import Person
from safeguard.referrals.services import contact_group_record
from safeguard.returns.builders.annex_a import AnnexAPeriod, build_annex_a

pytestmark = pytest.mark.django_db


def test_each_child_of_a_family_s_contact_is_a_row_of_list_1(world):
    edge = Person.objects.create(
        authority=world.authority, family_name="Smith", given_names="Sid", date_of_birth=date(2020, 2, 9),
        la_child_id="T000009",
    )  # fmt: skip
    contact_group_record(
        by=world.sw_amy, children=[world.child_sam, world.child_sally, edge], contact_date=date(2026, 6, 1),
        source="2A", reason="All three hungry at school",
    )  # fmt: skip
    rows = build_annex_a(authority=world.authority, period=AnnexAPeriod(date(2026, 9, 30))).lists[0].records()
    assert sorted(row["Child Unique ID"] for row in rows) == ["T000001", "T000002", "T000009"]
