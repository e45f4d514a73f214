"""Nothing arrives unseen (issue 16 item 9): a contact about a child with an open case is
passed to the case holder with a notice; every contact, closed with no further action or not,
is in the child's chronology; the case holder is told of new information on their child, and
the worker who submitted an assessment of the manager's decision."""

import tomllib
from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse

from safeguard.casework import services as casework
from safeguard.casework.models import ChronologyEntry
from safeguard.casework.tests.matrix import sam_case
from safeguard.core.errors import ApplicationError
from safeguard.referrals.management.commands.load_thresholds import DEFAULT_FILE
from safeguard.referrals.models import ContactOutcome
from safeguard.referrals.services import contact_decide, contact_record, thresholds_load

pytestmark = pytest.mark.django_db

Notice = apps.get_model("notices", "Notice")


@pytest.fixture
def levels(world):
    with DEFAULT_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    return {
        level.number: level
        for level in thresholds_load(by=None, authority=world.authority, data=data)
    }


@pytest.fixture
def held_case(world):
    """Sam's open case, allocated to Ben (so that Amy, at the front door, is someone else)."""
    case = sam_case(world)
    casework.case_allocate(
        by=world.tm_carol,
        case=case,
        worker=world.sw_ben,
        team=world.team_b,
        start_date=date(2025, 1, 8),
        reason="Capacity",
    )
    return case


def record(world, child=None, reason="School says he came in hungry again"):
    return contact_record(
        by=world.sw_amy,
        child=child or world.child_sam,
        contact_date=date(2025, 6, 2),
        source="2A",
        reason=reason,
    )


def decide(world, contact, levels, outcome, number=2, **manager):
    return contact_decide(
        by=world.sw_amy,
        contact=contact,
        level=levels[number],
        indicators=[levels[number].indicators.first()],
        rationale="Known to the allocated worker",
        outcome=outcome,
        decision_date=date(2025, 6, 3),
        **manager,
    )


def test_a_contact_on_an_open_case_is_passed_to_the_allocated_worker_with_a_notice(
    world, held_case, levels
):
    contact = record(world)
    assert Notice.objects.filter(
        user=world.sw_ben, subject="A new contact about a child you hold"
    ).exists()
    # Passing it needs no manager's agreement, whatever the level suggests.
    decide(world, contact, levels, ContactOutcome.PASSED_TO_WORKER, number=1)
    contact.refresh_from_db()
    assert (
        contact.outcome == "passed"
        and contact.get_outcome_display() == "Passed to the allocated worker"
    )
    assert contact.manager is None
    notice = Notice.objects.get(user=world.sw_ben, subject="A contact was passed to you")
    assert notice.url == reverse("casework:chronology", args=[world.child_sam.pk])
    # Nobody else was told.
    assert (
        not Notice.objects.filter(subject="A contact was passed to you")
        .exclude(user=world.sw_ben)
        .exists()
    )


def test_an_unallocated_case_s_contact_goes_to_its_team_manager(world, levels):
    case = sam_case(world)  # waiting unallocated in team A
    world.team_a.manager = world.tm_carol
    world.team_a.save()
    contact = record(world)
    decide(world, contact, levels, ContactOutcome.PASSED_TO_WORKER)
    assert Notice.objects.filter(
        user=world.tm_carol, subject="A contact was passed to you"
    ).exists()
    assert case.team == world.team_a


def test_passing_needs_an_open_case_and_an_open_case_takes_no_new_referral(
    world, held_case, levels
):
    tom = record(world, child=world.child_tom)
    with pytest.raises(ApplicationError, match="no open case"):
        decide(world, tom, levels, ContactOutcome.PASSED_TO_WORKER)
    sam = record(world)
    with pytest.raises(ApplicationError, match="pass the contact to the allocated worker"):
        decide(world, sam, levels, ContactOutcome.REFERRAL, number=3)
    sam.refresh_from_db()
    assert sam.outcome == ""


def test_every_contact_is_in_the_chronology_with_its_outcome(world, held_case, levels):
    # A child with no case: the contact closed with no further action is still there.
    tom = record(world, child=world.child_tom, reason="Neighbour heard shouting")
    entry = ChronologyEntry.objects.get(child=world.child_tom)
    assert entry.what == "Contact from Schools: Neighbour heard shouting"
    assert entry.case is None and entry.event_date == date(2025, 6, 2)
    decide(
        world,
        tom,
        levels,
        ContactOutcome.NO_FURTHER_ACTION,
        number=1,
        manager=world.tm_carol,
        manager_reason="Nothing to act on",
    )
    entry.refresh_from_db()
    assert "(no further action)" in entry.what and entry.outcome == "No further action"
    assert ChronologyEntry.objects.filter(child=world.child_tom).count() == 1
    # On an open case, the entry is on the case.
    sam = record(world)
    assert ChronologyEntry.objects.get(source_id=str(sam.pk)).case == held_case


def test_the_chronology_page_shows_contacts(world, held_case, levels, client):
    record(world, reason="Health visitor worried about weight")
    client.force_login(world.sw_ben)
    page = client.get(reverse("casework:chronology", args=[world.child_sam.pk])).content.decode()
    assert "Health visitor worried about weight" in page


def test_the_case_holder_is_told_of_visits_notes_and_direct_work_by_someone_else(
    world, held_case
):
    casework.visit_record(
        by=world.sw_amy, case=held_case, kind="other", visit_date=date(2025, 2, 3), child_seen=True
    )
    casework.case_note_add(
        by=world.sw_amy,
        case=held_case,
        note_date=date(2025, 2, 3),
        subject="Call",
        text="Mother rang",
    )
    casework.direct_work_record(
        by=world.sw_amy, case=held_case, work_date=date(2025, 2, 3), where="School",
        purpose="Three houses", child_views="I like my teacher",
    )  # fmt: skip
    assert set(Notice.objects.filter(user=world.sw_ben).values_list("subject", flat=True)) >= {
        "A visit was recorded on a child you hold",
        "A case note was added on a child you hold",
        "Direct work was recorded with a child you hold",
    }
    assert "I like my teacher" not in "".join(Notice.objects.values_list("body", flat=True))
    # Their own work tells them nothing.
    before = Notice.objects.filter(user=world.sw_ben).count()
    casework.case_note_add(
        by=world.sw_ben,
        case=held_case,
        note_date=date(2025, 2, 4),
        subject="Plan",
        text="Next visit",
    )
    assert Notice.objects.filter(user=world.sw_ben).count() == before
