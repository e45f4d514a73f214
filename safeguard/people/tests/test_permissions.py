"""The people policy: who sees whom."""

from datetime import date

import pytest

from safeguard.people import permissions
from safeguard.people.models import Involvement
from safeguard.people.permissions import Action

pytestmark = pytest.mark.django_db


def _names(user):
    return sorted(p.full_name for p in permissions.visible_to(user))


def test_social_care_staff_see_their_own_authority_only(world):
    everyone_here = sorted(["Jones", "Sam Smith", "Mary Smith", "Sally Smith", "Tom Jones"])
    for user in (world.sw_amy, world.sw_ben, world.tm_carol, world.sm_dan, world.analyst_eve):
        assert _names(user) == everyone_here
    assert _names(world.other_sw) == ["Olive Other"]


def test_partners_see_only_what_an_open_involvement_grants(world):
    assert _names(world.police_pat) == ["Sam Smith"]  # through the team
    assert _names(world.health_hana) == ["Sally Smith"]  # named worker
    assert _names(world.voluntary_val) == ["Tom Jones"]
    assert _names(world.school_sid) == []  # the school's involvement has ended
    assert _names(world.clinician_cam) == []


def test_an_involvement_that_has_not_started_grants_nothing(world):
    Involvement.objects.create(person=world.child_tom, agency=world.police, team=world.police_team,
                               role="Officer", start_date=date(2099, 1, 1))
    assert _names(world.police_pat) == ["Sam Smith"]


def test_a_team_involvement_of_another_agency_grants_nothing(world):
    """A team id alone is not enough: the involvement must be the team's own agency's."""
    Involvement.objects.create(person=world.child_tom, agency=world.health, team=world.police_team,
                               role="Mislabelled", start_date=date(2024, 1, 1))
    assert _names(world.police_pat) == ["Sam Smith"]


def test_administrators_and_disabled_staff_see_no_one(world):
    assert _names(world.admin_al) == []
    assert _names(world.disabled_dee) == []


def test_who_may_create_and_edit(world):
    assert permissions.can(world.sw_amy, Action.CREATE)
    assert not permissions.can(world.analyst_eve, Action.CREATE)
    assert permissions.can(world.sw_ben, Action.EDIT, world.child_sam)
    assert not permissions.can(world.police_pat, Action.EDIT, world.child_sam)
    assert permissions.can(world.police_pat, Action.VIEW, world.child_sam)
    assert not permissions.can(world.police_pat, Action.VIEW, world.child_tom)
    assert not permissions.can(world.other_sw, Action.VIEW, world.child_sam)


def test_who_may_review_break_glass(world):
    """Team and service managers of children's social care, on their own authority's
    records only."""
    for user in (world.tm_carol, world.sm_dan):
        assert permissions.can(user, Action.REVIEW_BREAK_GLASS)
        assert permissions.can(user, Action.REVIEW_BREAK_GLASS, world.child_sam)
        assert not permissions.can(user, Action.REVIEW_BREAK_GLASS, world.outsider)
    for user in (world.sw_amy, world.analyst_eve, world.police_pat, world.admin_al,
                 world.other_sw, world.disabled_dee):  # fmt: skip
        assert not permissions.can(user, Action.REVIEW_BREAK_GLASS)
        assert not permissions.can(user, Action.REVIEW_BREAK_GLASS, world.child_sam)
