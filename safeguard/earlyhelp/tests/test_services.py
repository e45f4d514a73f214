"""Early help services: each stores its record with a change event (and a chronology entry for
an assessment completed, a team started or ended), and each refusal stores nothing."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from safeguard.accounts.models import Agency, AgencyKind
from safeguard.audit.models import ChangeEvent
from safeguard.casework import services as casework
from safeguard.casework.models import ChronologyEntry
from safeguard.core.errors import ApplicationError
from safeguard.earlyhelp import services
from safeguard.earlyhelp.models import (
    EarlyHelpAssessment,
    TAFReview,
    TeamAroundFamily,
)
from safeguard.referrals.models import Contact
from safeguard.referrals.services import contact_record
from safeguard.testing.decisions import close_case

pytestmark = pytest.mark.django_db

START = date(2025, 3, 3)


def counts() -> tuple:
    models = (EarlyHelpAssessment, TeamAroundFamily, TAFReview, ChronologyEntry, ChangeEvent)
    return tuple(m.objects.count() for m in models)


def start_eha(world, **overrides) -> EarlyHelpAssessment:
    fields = {
        "by": world.health_hana,
        "child": world.child_sally,
        "start_date": START,
        "organisation": world.health,
        "consent_given": True,
        "consent_date": START,
        "lead_user": world.health_hana,
        "needs": "Sleep and feeding worries",
    }
    return services.eha_start(**(fields | overrides))


def start_taf(world, **overrides) -> TeamAroundFamily:
    fields = {
        "by": world.voluntary_val,
        "child": world.child_tom,
        "start_date": START,
        "lead_user": world.voluntary_val,
        "plan": "Weekly family support; school to watch attendance",
        "members": [{"agency": "Testshire Schools", "name": "Ms Hill", "role": "DSL"}],
    }
    return services.taf_start(**(fields | overrides))


def refused(call, message: str, field: str | None = None) -> None:
    """``call`` is refused with ``message`` (on ``field``) and stores nothing."""
    before = counts()
    with pytest.raises(ApplicationError) as caught:
        call()
    assert message in caught.value.message
    if field is not None:
        assert caught.value.field == field
    assert counts() == before


def closed_case(world, child, referred=date(2024, 6, 3), closed=date(2025, 1, 10)):
    case = casework.case_open(by=world.sw_amy, child=child, referral_date=referred, referral_source="6")
    return close_case(by=world.sw_amy, case=case, closure_date=closed, reason="RC7")


# --- Early help assessments ---------------------------------------------------------------------


def test_an_assessment_is_started_with_its_change_event(world):
    before = counts()
    eha = start_eha(world)
    assert (eha.child, eha.authority, eha.start_date, eha.organisation) == (world.child_sally, world.authority, START, world.health)
    assert (eha.organisation_name, eha.consent_given, eha.consent_date) == ("Testshire Health Trust", True, START)
    # The lead professional's details come from the chosen user.
    assert (eha.lead_user, eha.lead_name, eha.lead_agency, eha.lead_role) == (world.health_hana, "Hana Hussain", "Testshire Health Trust", "Partner practitioner")
    assert eha.created_by == world.health_hana
    event = ChangeEvent.objects.get(target_id=str(eha.pk))
    assert (event.verb, event.person_id, event.user, event.before) == ("created", world.child_sally.pk, world.health_hana, None)
    assert event.after["start_date"] == "2025-03-03"
    # Starting is not on the chronology; completing is.
    assert counts() == (before[0] + 1, 0, 0, before[3], before[4] + 1)


def test_an_assessment_by_an_organisation_outside_the_list_with_a_lead_without_an_account(world):
    eha = start_eha(world, organisation=None, organisation_other="Little Acorns Nursery", lead_user=None,
                    lead_name="Jo Bloggs", lead_agency="Little Acorns Nursery", lead_role="Manager")
    assert (eha.organisation, eha.organisation_name, eha.lead_user, eha.lead_professional) == (
        None, "Little Acorns Nursery", None, "Jo Bloggs, Manager, Little Acorns Nursery")


def test_an_unborn_child_may_have_an_assessment(world):
    world.unborn.involvements.create(agency=world.health, worker=world.health_hana, role="Midwife", start_date=date(2024, 1, 1))
    assert start_eha(world, child=world.unborn).child == world.unborn


@pytest.mark.parametrize(
    ("overrides", "message", "field"),
    [
        ({"start_date": None}, "Enter the start date", "start_date"),
        ({"start_date": date(2099, 1, 1)}, "The start date cannot be in the future", "start_date"),
        ({"start_date": date(2018, 1, 1), "consent_date": date(2018, 1, 1)}, "cannot be before Sally Smith was born (02 July 2018)", "start_date"),
        ({"consent_given": False}, "Say why consent was not sought", "consent_not_sought_reason"),
        ({"consent_given": False, "consent_not_sought_reason": "  "}, "Say why consent was not sought", "consent_not_sought_reason"),
        ({"consent_date": None}, "Enter the date consent was given", "consent_date"),
        ({"consent_date": START + timedelta(days=1)}, "Consent must be given before the assessment starts", "consent_date"),
        ({"organisation": None}, "Choose the organisation completing the assessment, or enter its name", "organisation"),
        ({"lead_user": None}, "Enter the lead professional's name", "lead_name"),
        ({"lead_user": None, "lead_name": "Jo Bloggs"}, "Enter the lead professional's agency", "lead_agency"),
        ({"lead_name": "x" * 201}, "must be 200 characters or fewer", "lead_name"),
    ],
)
def test_a_bad_assessment_is_refused(world, overrides, message, field):
    refused(lambda: start_eha(world, **overrides), message, field)


def test_the_organisation_must_be_of_the_childs_authority(world):
    elsewhere = Agency.objects.create(authority=world.other_authority, name="Elsewhere Schools", kind=AgencyKind.EDUCATION)
    refused(lambda: start_eha(world, organisation=elsewhere), "Choose an organisation from the list", "organisation")


@pytest.mark.parametrize("lead", ["police_pat", "analyst_eve", "clinician_cam", "other_sw"])
def test_the_lead_user_must_be_able_to_record_the_childs_early_help(world, lead):
    """So that the lead professional can see their own work: the police, an analyst, a
    clinician and another authority's worker never record this child's early help."""
    refused(lambda: start_eha(world, lead_user=getattr(world, lead)), "cannot record early help for Sally Smith", "lead_user")


def test_early_help_is_for_children(world):
    world.mother_mary.involvements.create(agency=world.health, worker=world.health_hana, role="Health visitor", start_date=date(2024, 1, 1))
    refused(lambda: start_eha(world, child=world.mother_mary), "Early help is for children: Mary Smith was 35", "start_date")


def test_one_assessment_at_a_time(world):
    start_eha(world)
    refused(lambda: start_eha(world, start_date=date(2025, 4, 1), consent_date=date(2025, 4, 1)),
            "Sally Smith already has an early help assessment in progress (started 03 March 2025)")


@pytest.mark.parametrize("who", ["police_pat", "analyst_eve", "school_sid", "admin_al", "clinician_cam", "other_sw"])
def test_those_who_may_not_record_are_refused(world, who):
    before = counts()
    with pytest.raises(PermissionDenied):
        start_eha(world, by=getattr(world, who))
    assert counts() == before


# The front door's diversion.


@pytest.fixture
def diverted(world):
    contact = contact_record(by=world.sw_amy, child=world.child_sally, contact_date=date(2025, 2, 24), source="3B", reason="Health visitor worried about low mood at home")
    Contact.objects.filter(pk=contact.pk).update(outcome="early_help", decision_date=date(2025, 2, 25), decided_by=world.tm_carol)
    contact.refresh_from_db()
    return contact


def test_an_assessment_names_the_contact_that_diverted_the_child(world, diverted):
    eha = start_eha(world, by=world.sw_amy, contact=diverted)
    assert eha.contact == diverted
    assert Contact.objects.get(pk=diverted.pk).early_help_assessment == eha


def test_the_contact_must_be_the_childs_decided_as_early_help_and_unused(world, diverted):
    toms = contact_record(by=world.sw_amy, child=world.child_tom, contact_date=date(2025, 2, 24), source="2A", reason="x")
    refused(lambda: start_eha(world, by=world.sw_amy, contact=toms), "That contact is about another child", "contact")
    Contact.objects.filter(pk=diverted.pk).update(outcome="advice")
    refused(lambda: start_eha(world, by=world.sw_amy, contact=diverted), "That contact was not decided as early help", "contact")
    Contact.objects.filter(pk=diverted.pk).update(outcome="early_help")
    refused(lambda: start_eha(world, by=world.sw_amy, contact=diverted, start_date=date(2025, 2, 24), consent_date=date(2025, 2, 24)),
            "cannot start before the front door decided the contact (25 February 2025)", "start_date")
    eha = start_eha(world, by=world.sw_amy, contact=diverted)
    services.eha_complete(by=world.sw_amy, assessment=eha, completed_date=date(2025, 3, 20), outcome="nfa")
    refused(lambda: start_eha(world, by=world.sw_amy, contact=diverted, start_date=date(2025, 4, 1), consent_date=date(2025, 4, 1)),
            "That contact already has an early help assessment", "contact")


def test_an_assessment_can_follow_a_case_of_the_child(world):
    case = closed_case(world, world.child_sally)
    toms = closed_case(world, world.child_tom)
    refused(lambda: start_eha(world, by=world.sw_amy, stepped_down_from=toms), "That case is about another child", "stepped_down_from")
    refused(lambda: start_eha(world, by=world.sw_amy, stepped_down_from=case, start_date=date(2024, 6, 2), consent_date=date(2024, 6, 2)),
            "The case it stepped down from was referred on 03 June 2024", "stepped_down_from")
    eha = start_eha(world, by=world.sw_amy, stepped_down_from=case)
    assert eha.stepped_down_from == case


# Completion.


def test_completing_an_assessment_goes_on_the_chronology(world):
    eha = start_eha(world)
    before = counts()
    services.eha_complete(by=world.health_hana, assessment=eha, completed_date=date(2025, 3, 28), outcome="taf", needs="  Isolation; sleep  ")
    eha.refresh_from_db()
    assert (eha.completed_date, eha.outcome, eha.needs, eha.version) == (date(2025, 3, 28), "taf", "Isolation; sleep", 2)
    assert counts() == (before[0], 0, 0, before[3] + 1, before[4] + 2)
    event = ChangeEvent.objects.filter(target_id=str(eha.pk)).first()
    assert (event.verb, event.before["completed_date"], event.after["completed_date"]) == ("ended", None, "2025-03-28")
    entry = ChronologyEntry.objects.get(child=world.child_sally, what__startswith="Early help assessment completed")
    assert (entry.event_date, entry.case, entry.created_by) == (date(2025, 3, 28), None, world.health_hana)
    assert entry.what == "Early help assessment completed by Testshire Health Trust: team around the family"
    assert entry.source_agency == "Testshire Health Trust"


def test_completion_keeps_the_needs_written_at_the_start_when_none_are_given(world):
    eha = start_eha(world)
    services.eha_complete(by=world.health_hana, assessment=eha, completed_date=date(2025, 3, 28), outcome="single_agency")
    eha.refresh_from_db()
    assert eha.needs == "Sleep and feeding worries"


@pytest.mark.parametrize(
    ("overrides", "message", "field"),
    [
        ({"completed_date": None}, "Enter the completion date", "completed_date"),
        ({"completed_date": date(2099, 1, 1)}, "The completion date cannot be in the future", "completed_date"),
        ({"completed_date": date(2025, 3, 2)}, "cannot be completed before it started (03 March 2025)", "completed_date"),
        ({"outcome": "maybe"}, "Choose the outcome of the assessment", "outcome"),
        ({"needs": "   "}, "Enter the summary of the child's and family's needs", "needs"),
    ],
)
def test_a_bad_completion_is_refused(world, overrides, message, field):
    eha = start_eha(world)
    fields = {"by": world.health_hana, "assessment": eha, "completed_date": date(2025, 3, 28), "outcome": "taf"}
    refused(lambda: services.eha_complete(**(fields | overrides)), message, field)
    eha.refresh_from_db()
    assert (eha.completed_date, eha.outcome, eha.version) == (None, "", 1)


def test_an_assessment_is_completed_once(world):
    eha = start_eha(world)
    services.eha_complete(by=world.health_hana, assessment=eha, completed_date=date(2025, 3, 28), outcome="nfa")
    refused(lambda: services.eha_complete(by=world.sw_amy, assessment=eha, completed_date=date(2025, 3, 29), outcome="taf"),
            "This assessment was already completed on 28 March 2025")


# --- Teams around the family --------------------------------------------------------------------


def test_a_team_around_the_family_starts_on_the_chronology(world):
    before = counts()
    taf = start_taf(world)
    assert (taf.child, taf.authority, taf.start_date, taf.lead_name, taf.lead_agency) == (world.child_tom, world.authority, START, "Val Vance", "Testshire Family Action")
    # The lead professional is always one of the members.
    assert taf.members == [
        {"agency": "Testshire Family Action", "name": "Val Vance", "role": "Partner practitioner"},
        {"agency": "Testshire Schools", "name": "Ms Hill", "role": "DSL"},
    ]
    assert counts() == (before[0], 1, 0, before[3] + 1, before[4] + 2)
    assert ChangeEvent.objects.get(target_id=str(taf.pk)).verb == "created"
    entry = ChronologyEntry.objects.get(child=world.child_tom)
    assert (entry.event_date, entry.what, entry.source_agency) == (START, "Team around the family started, led by Val Vance, Partner practitioner, Testshire Family Action", "Testshire Family Action")


def test_a_team_follows_its_assessment(world):
    eha = start_eha(world)
    services.eha_complete(by=world.health_hana, assessment=eha, completed_date=date(2025, 3, 28), outcome="taf")
    taf = start_taf(world, by=world.health_hana, child=world.child_sally, lead_user=world.health_hana, assessment=eha, start_date=date(2025, 4, 2))
    assert list(eha.teams_around_family.all()) == [taf]


@pytest.mark.parametrize(
    ("overrides", "message", "field"),
    [
        ({"start_date": None}, "Enter the start date", "start_date"),
        ({"start_date": date(2099, 1, 1)}, "The start date cannot be in the future", "start_date"),
        ({"start_date": date(2012, 11, 4)}, "cannot be before Tom Jones was born (05 November 2012)", "start_date"),
        ({"members": [{"agency": "", "name": "Ms Hill", "role": ""}]}, "Enter the agency of Ms Hill", "members"),
        ({"lead_user": None}, "Enter the lead professional's name", "lead_name"),
    ],
)
def test_a_bad_team_is_refused(world, overrides, message, field):
    refused(lambda: start_taf(world, **overrides), message, field)


def test_one_team_at_a_time_and_never_overlapping(world):
    taf = start_taf(world)
    refused(lambda: start_taf(world, start_date=date(2025, 5, 1)), "Tom Jones already has a team around the family (since 03 March 2025)")
    services.taf_end(by=world.voluntary_val, taf=taf, end_date=date(2025, 6, 2), end_reason="needs_met")
    refused(lambda: start_taf(world, start_date=date(2025, 6, 1)), "The start date falls inside or before an earlier team around the family", "start_date")
    assert start_taf(world, start_date=date(2025, 6, 2)).start_date == date(2025, 6, 2)


def test_no_team_while_the_child_has_an_open_case(world):
    casework.case_open(by=world.sw_amy, child=world.child_tom, referral_date=date(2025, 1, 6), referral_source="6")
    refused(lambda: start_taf(world, by=world.sw_amy),
            "Tom Jones has an open children's social care case (referred 06 January 2025): step down to a team around the family when it closes")


def test_a_partner_is_told_of_the_open_case_without_its_details(world):
    casework.case_open(by=world.sw_amy, child=world.child_tom, referral_date=date(2025, 1, 6), referral_source="6")
    refused(lambda: start_taf(world), "Tom Jones has an open children's social care case: step down to a team around the family when it closes")


def test_a_team_steps_down_from_the_latest_closed_case(world):
    older = closed_case(world, world.child_tom, referred=date(2024, 1, 8), closed=date(2024, 3, 1))
    latest = closed_case(world, world.child_tom, referred=date(2024, 6, 3), closed=date(2025, 2, 28))
    refused(lambda: start_taf(world, by=world.sw_amy, stepped_down_from=older),
            "A team around the family steps down only from the child's latest closed case", "stepped_down_from")
    refused(lambda: start_taf(world, by=world.sw_amy, stepped_down_from=latest, start_date=date(2025, 2, 27)),
            "cannot start before the case closed (28 February 2025)", "start_date")
    taf = start_taf(world, by=world.sw_amy, stepped_down_from=latest)
    assert taf.stepped_down_from == latest


def test_the_assessment_must_be_the_childs_and_come_first(world):
    eha = start_eha(world)
    refused(lambda: start_taf(world, by=world.sw_amy, assessment=eha), "That assessment is about another child", "assessment")
    refused(lambda: start_taf(world, by=world.health_hana, child=world.child_sally, lead_user=world.health_hana, assessment=eha, start_date=date(2025, 3, 2)),
            "cannot start before its assessment (03 March 2025)", "start_date")


# Reviews.


def test_a_review_is_recorded_and_sets_the_next_due(world):
    taf = start_taf(world)
    assert taf.next_review_due == START + timedelta(weeks=6) == date(2025, 4, 14)
    before = counts()
    review = services.taf_review_record(by=world.sw_ben, taf=taf, review_date=date(2025, 4, 10), progress=" Attendance up; sleep better ")
    assert (review.taf, review.review_date, review.progress, review.created_by) == (taf, date(2025, 4, 10), "Attendance up; sleep better", world.sw_ben)
    assert counts() == (before[0], before[1], 1, before[3], before[4] + 1)
    assert ChangeEvent.objects.get(target_id=str(review.pk)).person_id == world.child_tom.pk
    taf = TeamAroundFamily.objects.get(pk=taf.pk)
    assert taf.next_review_due == date(2025, 5, 22)


@pytest.mark.parametrize(
    ("overrides", "message", "field"),
    [
        ({"review_date": None}, "Enter the review date", "review_date"),
        ({"review_date": date(2099, 1, 1)}, "The review date cannot be in the future", "review_date"),
        ({"review_date": date(2025, 3, 2)}, "cannot be before the team around the family started (03 March 2025)", "review_date"),
        ({"review_date": date(2025, 7, 1)}, "The team around the family ended on 30 June 2025", "review_date"),
        ({"progress": "  "}, "Enter the progress made and what the team agreed", "progress"),
    ],
)
def test_a_bad_review_is_refused(world, overrides, message, field):
    taf = start_taf(world)
    services.taf_end(by=world.voluntary_val, taf=taf, end_date=date(2025, 6, 30), end_reason="needs_met")
    fields = {"by": world.voluntary_val, "taf": taf, "review_date": date(2025, 4, 10), "progress": "Going well"}
    refused(lambda: services.taf_review_record(**(fields | overrides)), message, field)


# Ending.


def test_ending_a_team_goes_on_the_chronology(world):
    taf = start_taf(world)
    before = counts()
    services.taf_end(by=world.voluntary_val, taf=taf, end_date=date(2025, 6, 30), end_reason="stepped_up", end_notes="Disclosure at school")
    taf.refresh_from_db()
    assert (taf.end_date, taf.end_reason, taf.end_notes, taf.is_open, taf.next_review_due) == (date(2025, 6, 30), "stepped_up", "Disclosure at school", False, None)
    # The team's change, and the handover of its plan to the front door (decision 0081).
    assert counts() == (before[0], before[1], 0, before[3] + 1, before[4] + 3)
    assert ChangeEvent.objects.filter(target_id=str(taf.pk)).first().verb == "ended"
    entry = ChronologyEntry.objects.filter(child=world.child_tom).order_by("event_date").last()
    assert (entry.event_date, entry.what, entry.outcome) == (date(2025, 6, 30), "Team around the family ended: stepped up to children's social care", "Disclosure at school")
    # The start keeps its own entry.
    assert ChronologyEntry.objects.filter(child=world.child_tom).count() == 2


@pytest.mark.parametrize(
    ("overrides", "message", "field"),
    [
        ({"end_date": None}, "Enter the end date", "end_date"),
        ({"end_date": date(2099, 1, 1)}, "The end date cannot be in the future", "end_date"),
        ({"end_date": date(2025, 3, 2)}, "cannot end before it started (03 March 2025)", "end_date"),
        ({"end_date": date(2025, 4, 9)}, "cannot end before its last review (10 April 2025)", "end_date"),
        ({"end_reason": "bored"}, "Choose why the team around the family ended", "end_reason"),
        ({"end_reason": "other"}, "Say why the team around the family ended", "end_notes"),
    ],
)
def test_a_bad_ending_is_refused(world, overrides, message, field):
    taf = start_taf(world)
    services.taf_review_record(by=world.voluntary_val, taf=taf, review_date=date(2025, 4, 10), progress="Going well")
    fields = {"by": world.voluntary_val, "taf": taf, "end_date": date(2025, 6, 30), "end_reason": "needs_met"}
    refused(lambda: services.taf_end(**(fields | overrides)), message, field)
    taf.refresh_from_db()
    assert (taf.end_date, taf.version) == (None, 1)


def test_a_team_ends_once(world):
    taf = start_taf(world)
    services.taf_end(by=world.voluntary_val, taf=taf, end_date=date(2025, 6, 30), end_reason="moved_away")
    refused(lambda: services.taf_end(by=world.sw_amy, taf=taf, end_date=date(2025, 7, 1), end_reason="needs_met"),
            "The team around the family already ended on 30 June 2025")


def test_the_authoritys_review_interval_sets_the_next_review_due(world):
    """The interval is the authority's setting (issue 19 item 5): every team's next review
    moves with it (set on the local standards page: timescales' tests)."""
    from safeguard.accounts.models import LocalAuthority

    taf = start_taf(world)
    LocalAuthority.objects.filter(pk=world.authority.pk).update(taf_review_weeks=8)
    taf = TeamAroundFamily.objects.get(pk=taf.pk)
    assert taf.next_review_due == START + timedelta(weeks=8) == date(2025, 4, 28)
    services.taf_review_record(by=world.sw_ben, taf=taf, review_date=date(2025, 4, 10), progress="Better")
    taf = TeamAroundFamily.objects.get(pk=taf.pk)
    assert taf.next_review_due == date(2025, 6, 5)


def test_the_next_review_is_due_from_today_on_a_team_started_today(world):
    today = timezone.localdate()
    taf = start_taf(world, start_date=today)
    assert taf.next_review_due == today + timedelta(weeks=6)
