"""People services: who changed what is kept; refused changes store nothing."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from safeguard.audit.models import ChangeEvent
from safeguard.core.concurrency import StaleRecord
from safeguard.core.errors import ApplicationError
from safeguard.people import selectors, services
from safeguard.people.models import Involvement, Person
from safeguard.people.names import phonetic_key

pytestmark = pytest.mark.django_db


def test_update_keeps_before_and_after(world):
    sam = world.child_sam
    services.person_update(by=world.tm_carol, person=sam, version=1, upn="B801200005001")
    event = ChangeEvent.objects.filter(target_id=str(sam.pk), verb="updated").get()
    assert event.user == world.tm_carol
    assert event.role == "team_manager"
    assert event.before["upn"] is None
    assert event.after["upn"] == "B801200005001"
    assert event.changed_fields == ["upn"]
    sam.refresh_from_db()
    assert (sam.version, sam.updated_by) == (2, world.tm_carol)


def test_a_changed_name_is_found_by_its_new_sound(world):
    """The versioned save does not go through ``Person.save``: the name keys the search
    reads must still follow the new name."""
    sam = services.person_update(
        by=world.sw_amy, person=world.child_sam, version=1, family_name="Brown"
    )
    sam.refresh_from_db()
    assert (sam.family_name, sam.family_key) == ("Brown", phonetic_key("Brown"))
    found = selectors.person_search(user=world.sw_amy, name="Sam Braun")
    assert [p.pk for p in found] == [sam.pk]


def test_an_update_that_changes_nothing_writes_no_history(world):
    services.person_update(by=world.sw_amy, person=world.child_sam, version=1, given_names="Sam")
    assert not ChangeEvent.objects.filter(verb="updated").exists()


def test_partners_and_analysts_cannot_change_records(world):
    for user in (world.police_pat, world.analyst_eve, world.admin_al):
        with pytest.raises(PermissionDenied):
            services.person_update(by=user, person=world.child_sam, given_names="X")
        with pytest.raises(PermissionDenied):
            services.person_create(by=user, family_name="X", date_of_birth=date(2020, 1, 1))
    assert Person.objects.filter(family_name="X").count() == 0


def test_another_authority_cannot_change_our_records(world):
    with pytest.raises(PermissionDenied):
        services.person_update(by=world.other_sw, person=world.child_sam, given_names="X")


def test_unborn_child_needs_no_date_of_birth_but_an_expected_one(world):
    unborn = services.person_create(by=world.sw_amy, family_name="Brackenfold",
                                    expected_date_of_birth=date(2031, 5, 1), sex="U")
    assert unborn.is_unborn
    assert unborn.is_child_on(date(2026, 1, 1))
    with pytest.raises(ApplicationError, match="expected date of birth"):
        services.person_create(by=world.sw_amy, family_name="Brackenfold")


def test_date_of_death_before_birth_is_refused(world):
    with pytest.raises(ApplicationError, match="before the date of birth"):
        services.person_update(by=world.sw_amy, person=world.child_sam, date_of_death=date(2010, 1, 1))
    world.child_sam.refresh_from_db()
    assert world.child_sam.date_of_death is None


def test_relationship_is_recorded_on_both_people(world):
    rel = services.relationship_add(by=world.sw_amy, person=world.mother_mary, other=world.child_tom,
                                    kind="carer", start_date=date(2024, 2, 1))
    events = ChangeEvent.objects.filter(target_id=str(rel.pk))
    assert {e.person_id for e in events} == {world.mother_mary.pk, world.child_tom.pk}
    with pytest.raises(ApplicationError, match="already recorded"):
        services.relationship_add(by=world.sw_amy, person=world.mother_mary, other=world.child_tom, kind="carer")


def test_involvement_end(world):
    inv = world.child_tom.involvements.get(agency=world.voluntary)
    with pytest.raises(ApplicationError, match="before the start"):
        services.involvement_end(by=world.sw_ben, involvement=inv, end_date=date(2023, 1, 1))
    services.involvement_end(by=world.sw_ben, involvement=inv, end_date=date(2025, 6, 1))
    inv.refresh_from_db()
    assert inv.end_date == date(2025, 6, 1)
    assert ChangeEvent.objects.filter(target_id=str(inv.pk), verb="ended").exists()


def test_ending_an_involvement_read_before_another_change_is_refused(world):
    """Ending is a versioned save: a copy read before someone else's change cannot
    overwrite it."""
    inv = world.child_tom.involvements.get(agency=world.voluntary)
    stale = Involvement.objects.get(pk=inv.pk)
    services.involvement_end(by=world.sw_ben, involvement=inv, end_date=date(2025, 6, 1))
    with pytest.raises(StaleRecord):
        services.involvement_end(by=world.sw_amy, involvement=stale, end_date=date(2025, 7, 1))
    inv.refresh_from_db()
    assert (inv.end_date, inv.version, inv.updated_by) == (date(2025, 6, 1), 2, world.sw_ben)
    assert ChangeEvent.objects.filter(target_id=str(inv.pk), verb="ended").count() == 1


def test_a_sibling_pair_is_recorded_once_whichever_way_round(world):
    with pytest.raises(ApplicationError, match="already recorded"):
        services.relationship_add(by=world.sw_amy, person=world.child_sally, other=world.child_sam, kind="sibling")


def test_the_family_network_records_parental_responsibility_and_wider_family(world):
    rel = services.relationship_add(
        by=world.sw_amy,
        person=world.mother_mary,
        other=world.child_tom,
        kind="step_parent",
        parental_responsibility=True,
    )
    assert rel.parental_responsibility and rel.get_kind_display() == "Step-parent"
    gran = services.relationship_add(
        by=world.sw_amy, person=world.mother_mary, other=world.child_tom, kind="grandparent"
    )
    assert not gran.parental_responsibility


def test_only_a_parent_step_parent_or_carer_holds_parental_responsibility(world):
    with pytest.raises(ApplicationError, match="Only a parent, step-parent or carer"):
        services.relationship_add(
            by=world.sw_amy,
            person=world.mother_mary,
            other=world.child_tom,
            kind="visiting_adult",
            parental_responsibility=True,
        )
    assert not world.child_tom.relationships_to.exists()


def test_parental_responsibility_is_shown_with_the_child(world, client):
    services.relationship_add(
        by=world.sw_amy,
        person=world.mother_mary,
        other=world.child_tom,
        kind="parent",
        parental_responsibility=True,
    )
    client.force_login(world.sw_amy)
    page = client.get(f"/people/{world.child_tom.pk}/").content.decode()
    assert "Parent:" in page and "Parental responsibility" in page
