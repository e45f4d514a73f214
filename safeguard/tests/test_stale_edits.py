"""A save over a newer version is refused with 409 and both versions side by side."""

from datetime import date

import pytest
from django.urls import reverse

from safeguard.casework import services as casework
from safeguard.casework.models import CINPlan
from safeguard.core.concurrency import StaleRecord, save_versioned
from safeguard.earlyhelp import services as earlyhelp
from safeguard.earlyhelp.models import TeamAroundFamily
from safeguard.earlyhelp.tests.matrix import tom_taf
from safeguard.people import services as people
from safeguard.people.models import Person
from safeguard.people.tests.test_forms_bad_input import GOOD_PERSON
from safeguard.referrals.models import Contact
from safeguard.referrals.tests.test_front_door import contact, decide_url, decision, levels  # noqa: F401
from safeguard.testing.journey import open_case

PERSON = {**GOOD_PERSON, "family_name": "Smith"}


def on(field: str, day: date) -> dict:
    return {f"{field}_day": str(day.day), f"{field}_month": str(day.month), f"{field}_year": str(day.year)}


def test_the_conditional_update_refuses_a_change_made_since_the_read(world):
    mine = Person.objects.get(pk=world.child_sam.pk)
    theirs = Person.objects.get(pk=world.child_sam.pk)
    theirs.given_names = "Theirs"
    save_versioned(theirs)
    mine.given_names = "Mine"
    with pytest.raises(StaleRecord) as error:
        save_versioned(mine)
    assert error.value.current.given_names == "Theirs"
    world.child_sam.refresh_from_db()
    assert (world.child_sam.given_names, world.child_sam.version) == ("Theirs", 2)


def test_a_stale_person_edit_answers_409_with_both_versions_and_keeps_the_entries(world, client):
    sam = world.child_sam
    url = reverse("people:edit", args=[sam.pk])
    client.force_login(world.sw_amy)
    seen = client.get(url).context["form"].initial["version"]
    people.person_update(by=world.tm_carol, person=sam, version=seen, given_names="Johnny")

    response = client.post(url, {**PERSON, "given_names": "Jonathan", "version": seen})

    assert response.status_code == 409
    page = response.content.decode()
    assert "This person changed while you were editing it" in page
    conflict = response.context["form"].conflict
    row = next(r for r in conflict.rows if r.label == "Given names")
    assert (row.yours, row.stored, row.differs) == ("Jonathan", "Johnny", True)
    assert conflict.changes[0].who == world.tm_carol.get_full_name()
    assert "Given names" in conflict.changes[0].fields
    assert world.tm_carol.get_full_name() in page
    assert 'value="Jonathan"' in page  # what Amy typed is still in the form
    assert f'name="version" value="{seen + 1}"' in page  # saving again is over the current one
    sam.refresh_from_db()
    assert (sam.given_names, sam.version) == ("Johnny", seen + 1)

    again = client.post(url, {**PERSON, "given_names": "Jonathan", "version": seen + 1})
    assert again.status_code == 302
    sam.refresh_from_db()
    assert (sam.given_names, sam.version) == ("Jonathan", seen + 2)


def test_a_current_edit_is_not_a_conflict(world, client):
    client.force_login(world.sw_amy)
    url = reverse("people:edit", args=[world.child_sam.pk])
    response = client.post(url, {**PERSON, "nhs_number": "9434765918", "version": 1})
    assert response.status_code == 200  # a plain mistake is not a conflict
    assert "changed while you were editing" not in response.content.decode()


def test_ending_a_cin_plan_someone_else_just_ended_is_a_conflict(world, client):
    case = open_case(world, received=date(2025, 3, 3))
    plan = casework.cin_plan_start(by=world.sw_amy, case=case, start_date=date(2025, 3, 10))
    url = reverse("casework:cin-plan-end", args=[plan.pk])
    client.force_login(world.sw_amy)
    seen = client.get(url).context["form"].initial["version"]
    casework.cin_plan_end(by=world.tm_carol, plan=plan, end_date=date(2025, 4, 1))

    response = client.post(url, {**on("end_date", date(2025, 5, 2)), "version": seen})

    assert response.status_code == 409
    row = response.context["form"].conflict.rows[0]
    assert (row.yours, row.stored) == ("2 May 2025", "1 April 2025")
    assert CINPlan.objects.get(pk=plan.pk).end_date == date(2025, 4, 1)


def test_ending_a_team_around_the_family_twice_keeps_the_second_users_entries(world, client):
    taf = tom_taf(world)
    url = reverse("earlyhelp:taf-end", args=[taf.pk])
    client.force_login(world.voluntary_val)
    seen = client.get(url).context["form"].initial["version"]
    earlyhelp.taf_end(by=world.voluntary_val, taf=taf, end_date=date(2025, 6, 2), end_reason="needs_met")

    notes = "Family moved; handed over to the new school"
    response = client.post(url, {**on("end_date", date(2025, 6, 30)), "end_reason": "other", "end_notes": notes, "version": seen})

    assert response.status_code == 409
    assert notes in response.content.decode()
    assert TeamAroundFamily.objects.get(pk=taf.pk).end_date == date(2025, 6, 2)


def test_two_managers_allocating_at_once_cannot_both_succeed(world, client):
    case = open_case(world, received=date(2025, 3, 3))
    url = reverse("casework:allocate", args=[case.pk])
    client.force_login(world.tm_carol)
    seen = client.get(url).context["form"].initial["version"]
    casework.case_allocate(by=world.sm_dan, case=case, worker=world.sw_amy, team=world.team_a,
                           start_date=date(2025, 3, 4), version=seen, reason="Test")

    response = client.post(url, {"worker": world.sw_ben.pk, "team": world.team_b.pk, **on("start_date", date(2025, 3, 5)), "reason": "Ben knows the family", "version": seen})

    assert response.status_code == 409
    conflict = response.context["form"].conflict
    rows = {r.label: (r.yours, r.stored) for r in conflict.rows}
    assert rows["Worker"] == (str(world.sw_ben), str(world.sw_amy))
    assert conflict.changes[0].who == world.sm_dan.get_full_name()
    assert list(case.allocations.values_list("worker", flat=True)) == [world.sw_amy.pk]


def test_deciding_a_contact_someone_else_just_decided_is_a_conflict(world, client, levels, contact):  # noqa: F811
    client.force_login(world.sw_ben)
    page = client.get(decide_url(contact)).content.decode()
    assert f'name="version" value="{contact.version}"' in page
    seen = contact.version
    client.force_login(world.sw_amy)
    assert client.post(decide_url(contact), {**decision(levels[3]), "version": seen}).status_code == 302

    client.force_login(world.sw_ben)
    response = client.post(decide_url(contact), {**decision(levels[2], rationale="Ben's own reasons"), "version": seen})

    assert response.status_code == 409
    assert "Ben&#x27;s own reasons" in response.content.decode()
    assert Contact.objects.get(pk=contact.pk).level == levels[3]
