"""The front door's policy and its access functions: the case-file rules (casework), asked
through this app's own ``permissions`` and ``selectors`` (issue 12)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from safeguard.audit.models import AccessEvent, AccessPurpose
from safeguard.audit.testing import clear_access_log
from safeguard.casework import selectors as casework
from safeguard.people.tests.sealing import seal
from safeguard.referrals import permissions, selectors
from safeguard.referrals.models import Referral
from safeguard.referrals.permissions import Action
from safeguard.referrals.services import contact_record
from safeguard.testing.journey import open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(world):
    return contact_record(
        by=world.sw_amy,
        child=world.child_sam,
        contact_date=date(2025, 6, 2),
        source="2A",
        reason="Bruise on his arm",
    )


@pytest.mark.parametrize(
    ("who", "view", "narrative", "record", "authorise"),
    [
        ("sw_amy", True, True, True, False),
        ("tm_carol", True, True, True, True),
        ("analyst_eve", True, False, False, False),
        ("police_pat", False, False, False, False),
        ("health_hana", False, False, False, False),
        ("admin_al", False, False, False, False),
        ("other_sw", False, False, False, False),
    ],
)
def test_who_may_see_and_record_at_the_front_door(
    world, contact, who, view, narrative, record, authorise
):
    referral = open_case(world, world.child_tom, received=date(2025, 6, 2)).referral
    user = getattr(world, who)
    for obj in (contact, referral, world.child_sam):
        assert permissions.can(user, Action.VIEW, obj) is view
        assert permissions.can(user, Action.READ_NARRATIVE, obj) is narrative
        assert permissions.can(user, Action.RECORD, obj) is record
        assert permissions.can(user, Action.AUTHORISE, obj) is authorise
    authority_id = world.authority.pk
    assert permissions.can(user, Action.RECORD, authority_id=authority_id) is record


def test_lists_start_from_what_each_user_may_see(world, contact):
    referral = open_case(world, world.child_tom, received=date(2025, 6, 2)).referral
    for user in (world.sw_amy, world.sw_ben, world.analyst_eve):
        assert list(permissions.visible_to(user)) == [contact]
        assert list(permissions.visible_to(user, Referral)) == [referral]
    for user in (world.police_pat, world.health_hana, world.admin_al, world.other_sw):
        assert not permissions.visible_to(user).exists()
        assert not permissions.visible_to(user, Referral).exists()
    # A sealed child's contacts follow the seal.
    seal(world, world.child_sam, world.sw_amy)
    assert list(permissions.visible_to(world.sw_amy)) == [contact]
    assert not permissions.visible_to(world.sw_ben).exists()


def test_access_contact_logs_the_child_and_turns_partners_away_unlogged(world, contact):
    clear_access_log()
    got = selectors.access_contact(user=world.sw_amy, contact_id=contact.pk, action=Action.RECORD)
    assert got == contact and got.child == world.child_sam
    assert list(AccessEvent.objects.values_list("person_id", "purpose")) == [
        (world.child_sam.pk, AccessPurpose.EDIT)
    ]
    clear_access_log()
    # Partners never see the front door: turned away before the child is read.
    with pytest.raises(Http404):
        selectors.access_contact(user=world.health_hana, contact_id=contact.pk)
    with pytest.raises(Http404):
        casework.access_child(user=world.health_hana, person_id=world.child_sam.pk)
    assert not AccessEvent.objects.exists()
    with pytest.raises(PermissionDenied):
        selectors.access_contact(user=world.analyst_eve, contact_id=contact.pk, action=Action.RECORD)
