"""Partners lead early help (issue 19 item 4, decision 0081): a partner finds or creates the
child and starts the assessment in one transaction; a possible match refuses the creation
and tells the partner nothing of the child; the assessment is written by the CAF's domains
with consent or why it was not sought; the lead may come from any agency; step-up and
step-down hand over the records, acknowledged by the receiving side."""

from datetime import date

import pytest
from django.urls import reverse

from safeguard.audit.models import AccessEvent
from safeguard.casework import services as casework
from safeguard.core.errors import ApplicationError
from safeguard.earlyhelp import permissions, services
from safeguard.earlyhelp.models import EarlyHelpAssessment, Handover
from safeguard.earlyhelp.permissions import Action
from safeguard.earlyhelp.tests.matrix import sally_assessment, tom_taf
from safeguard.notices.models import Notice
from safeguard.people.models import Involvement, Person
from safeguard.referrals.services import contact_record
from safeguard.testing.decisions import close_case

pytestmark = pytest.mark.django_db

START = date(2025, 3, 3)


def on(field: str, day: date) -> dict:
    return {f"{field}_day": str(day.day), f"{field}_month": str(day.month), f"{field}_year": str(day.year)}


def new_child(world, **extra) -> dict:
    return {
        "given_names": "Poppy", "family_name": "Fernsby", **on("date_of_birth", date(2020, 5, 6)), "sex": "F",
        "nhs_number": "", **on("start_date", START), "organisation": world.education.pk,
        "consent_given": "yes", **on("consent_date", START), "consent_by": "Ms Fernsby (mother)",
        "lead_user": world.school_sid.pk,
        "child_development_strengths": "Loves reading", "child_development_needs": "Often late",
        "child_development_codes": ["school_attendance"], "parents_carers_codes": ["parenting"],
        "family_environment_needs": "Rent arrears", "family_environment_codes": ["housing"],
        **extra,
    }


def counts() -> tuple:
    return (Person.objects.count(), Involvement.objects.count(), EarlyHelpAssessment.objects.count())


def test_a_partner_creates_a_new_child_and_starts_the_assessment(world, client):
    client.force_login(world.school_sid)
    page = client.get(reverse("earlyhelp:start"), {"name": "Poppy Fernsby", **on("date_of_birth", date(2020, 5, 6))})
    assert "Not found" in page.content.decode()
    response = client.post(reverse("earlyhelp:start-new-child"), new_child(world))
    eha = EarlyHelpAssessment.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("earlyhelp:eha-detail", args=[eha.pk])
    child = eha.child
    assert (child.full_name, child.authority, child.created_by) == ("Poppy Fernsby", world.authority, world.school_sid)
    involvement = Involvement.objects.get(person=child)
    assert (involvement.worker, involvement.agency, involvement.end_date) == (world.school_sid, world.education, None)
    assert permissions.can(world.school_sid, Action.RECORD, child)
    assert eha.identified_needs == ["school_attendance", "parenting", "housing"]
    assert (eha.child_development_strengths, eha.family_environment_needs, eha.consent_by) == ("Loves reading", "Rent arrears", "Ms Fernsby (mother)")
    detail = client.get(response["Location"]).content.decode()
    for text in ("The child&#x27;s development", "Loves reading", "Rent arrears", "Housing", "by Ms Fernsby (mother)"):
        assert text in detail


def test_a_possible_match_creates_nothing_and_tells_the_partner_nothing_of_the_child(world, client):
    """Tom Jones is known; the health visitor is not involved with him. Her new child with his
    name and date of birth is refused with one sentence; the front door's managers are told."""
    client.force_login(world.health_hana)
    found = client.get(reverse("earlyhelp:start"), {"name": "Tom Jones", **on("date_of_birth", date(2012, 11, 5))}).content.decode()
    assert "Not found" in found and str(world.child_tom.pk) not in found
    before, notices = counts(), Notice.objects.count()
    data = new_child(world, given_names="Thomas", family_name="Jones", **on("date_of_birth", date(2012, 11, 5)),
                     organisation=world.health.pk, lead_user=world.health_hana.pk)
    page = client.post(reverse("earlyhelp:start-new-child"), data).content.decode()
    assert "may already be known to children&#x27;s social care" in page
    assert counts() == before
    for secret in (str(world.child_tom.pk), "T000003", "Tom Jones", "Family support worker", "sealed", "restricted"):
        assert secret not in page
    assert not AccessEvent.objects.filter(person_id=world.child_tom.pk, user=world.health_hana).exists()
    assert Notice.objects.count() > notices
    notice = Notice.objects.filter(user=world.tm_carol).last()
    assert notice is not None and "Thomas Jones" in notice.body


def test_a_partner_finds_only_the_children_they_work_with(world, client):
    client.force_login(world.health_hana)
    page = client.get(reverse("earlyhelp:start"), {"name": "Sally Smith", **on("date_of_birth", date(2018, 7, 2))}).content.decode()
    assert reverse("earlyhelp:eha-new", args=[world.child_sally.pk]) in page
    page = client.get(reverse("earlyhelp:start"), {"nhs_number": "9434765919"}).content.decode()  # Sam's
    assert "Not found" in page and "Sam" not in page


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"given_names": ""}, "Enter the child&#x27;s first name"),
        ({"consent_given": "no"}, "Say why consent was not sought"),
        ({"child_development_codes": ["nonsense"]}, "Choose the needs identified from the list"),
        ({"nhs_number": "123"}, "NHS number"),
    ],
)
def test_bad_input_on_the_new_child_page_keeps_the_typing_and_stores_nothing(world, client, extra, message):
    client.force_login(world.school_sid)
    before = counts()
    response = client.post(reverse("earlyhelp:start-new-child"), new_child(world, **extra))
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and message in page
    assert "Loves reading" in page
    assert counts() == before


def test_consent_not_sought_is_kept_with_its_reason(world):
    eha = services.eha_start(by=world.health_hana, child=world.child_sally, start_date=START, organisation=world.health,
                             consent_given=False, consent_date=None, consent_not_sought_reason="Mother in hospital; review next week",
                             lead_user=world.health_hana)
    assert (eha.consent_given, eha.consent_date, eha.consent_not_sought_reason) == (False, None, "Mother in hospital; review next week")


def test_a_lead_from_another_agency_becomes_involved(world):
    """The school's practitioner, not involved with Sally, leads her assessment: with consent,
    the school becomes involved so that he sees his own work; without it, he cannot lead."""
    with pytest.raises(ApplicationError):
        services.eha_start(by=world.health_hana, child=world.child_sally, start_date=START, organisation=world.health,
                           consent_given=False, consent_date=None, consent_not_sought_reason="Not yet", lead_user=world.school_sid)
    eha = services.eha_start(by=world.health_hana, child=world.child_sally, start_date=START, organisation=world.health,
                             consent_given=True, consent_date=START, lead_user=world.school_sid)
    assert (eha.lead_user, eha.lead_agency) == (world.school_sid, "Testshire Schools")
    assert permissions.can(world.school_sid, Action.RECORD, world.child_sally)


def test_step_up_hands_over_and_the_front_door_acknowledges_with_the_contact(world, client):
    taf = tom_taf(world)
    services.taf_end(by=world.voluntary_val, taf=taf, end_date=date(2025, 6, 30), end_reason="stepped_up")
    handover = Handover.objects.get(child=world.child_tom)
    assert (handover.direction, handover.taf, handover.is_acknowledged) == ("step_up", taf, False)
    assert "Weekly family support sessions" in handover.handed_over
    contact = contact_record(by=world.sw_amy, child=world.child_tom, contact_date=date(2025, 7, 1), source="8", reason="Stepped up")
    url = reverse("earlyhelp:handover-acknowledge", args=[handover.pk])
    client.force_login(world.sw_amy)
    contact_page = client.get(reverse("referrals:contact-detail", args=[contact.pk])).content.decode()
    assert url in contact_page and "Weekly family support sessions" in contact_page
    # The early help side sees it, not yet acknowledged; it may not acknowledge its own.
    client.force_login(world.voluntary_val)
    assert "Not yet" in client.get(reverse("earlyhelp:taf-detail", args=[taf.pk])).content.decode()
    assert client.post(url, {"contact": str(contact.pk), "version": "1"}).status_code == 403
    client.force_login(world.sw_amy)
    assert "Choose the contact" in client.post(url, {"contact": "", "version": "1"}).content.decode()
    response = client.post(url, {"contact": str(contact.pk), "version": "1"})
    assert response.status_code == 302
    handover.refresh_from_db()
    assert (handover.contact, handover.acknowledged_by) == (contact, world.sw_amy)
    client.force_login(world.voluntary_val)
    assert "By Amy Adeyemi" in client.get(reverse("earlyhelp:taf-detail", args=[taf.pk])).content.decode()


def test_step_down_hands_the_case_to_the_early_help_lead_who_acknowledges(world, client):
    case = casework.case_open(by=world.sw_amy, child=world.child_tom, referral_date=date(2024, 6, 3), referral_source="6")
    close_case(by=world.sw_amy, case=case, closure_date=date(2025, 3, 31), reason="RC7")
    taf = services.taf_start(by=world.sw_amy, child=world.child_tom, start_date=date(2025, 4, 7), lead_user=world.voluntary_val, stepped_down_from=case)
    handover = Handover.objects.get(child=world.child_tom)
    assert (handover.direction, handover.case, handover.taf, handover.to_user) == ("step_down", case, taf, world.voluntary_val)
    client.force_login(world.sw_amy)
    url = reverse("earlyhelp:handover-acknowledge", args=[handover.pk])
    assert url in client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    client.force_login(world.voluntary_val)
    assert url in client.get(reverse("earlyhelp:taf-detail", args=[taf.pk])).content.decode()
    assert client.post(url, {"version": "1"}).status_code == 302
    handover.refresh_from_db()
    assert handover.acknowledged_by == world.voluntary_val
    with pytest.raises(ApplicationError):
        services.handover_acknowledge(by=world.sw_amy, handover=handover)


def test_the_assessment_page_shows_domains_to_those_who_work_with_the_child(world, client):
    eha = sally_assessment(world)
    client.force_login(world.analyst_eve)
    page = client.get(reverse("earlyhelp:eha-detail", args=[eha.pk])).content.decode()
    assert "Not shown to performance analysts" in page


def _start_page_queries(client, world, smiths: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeguard.testing.queries import MAX_QUERIES, queries

    for i in range(smiths):
        Person.objects.create(authority=world.authority, given_names=f"Sally{i}", family_name="Smith", date_of_birth=date(2018, 7, 2))
    client.force_login(world.sw_amy)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("earlyhelp:start"), {"name": "Smith", **on("date_of_birth", date(2018, 7, 2))})
    assert response.status_code == 200
    shown = Person.objects.filter(family_name="Smith", date_of_birth=date(2018, 7, 2)).count()
    assert response.content.decode().count(">Start an early help assessment<span") == shown
    count = len(queries([q["sql"] for q in captured.captured_queries]))
    assert count <= MAX_QUERIES
    return count


def test_the_start_page_makes_the_same_queries_whatever_it_finds(world, client):
    assert _start_page_queries(client, world, 1) == _start_page_queries(client, world, 4)


def test_social_care_creates_a_new_child_without_an_involvement(world):
    eha = services.eha_start_for_new_child(
        by=world.sw_amy,
        child={"given_names": "Ivy", "family_name": "Quenby", "date_of_birth": date(2021, 2, 3), "sex": "F", "nhs_number": None},
        start_date=START, organisation=world.csc, consent_given=True, consent_date=START, lead_user=world.sw_amy,
    )
    assert eha.child.full_name == "Ivy Quenby"
    assert not Involvement.objects.filter(person=eha.child).exists()


@pytest.mark.parametrize("who", ["police_pat", "analyst_eve", "clinician_cam", "admin_al"])
def test_those_who_may_not_start_cannot_create_a_child(world, who):
    from django.core.exceptions import PermissionDenied

    before = counts()
    with pytest.raises(PermissionDenied):
        services.eha_start_for_new_child(
            by=getattr(world, who),
            child={"given_names": "Ivy", "family_name": "Quenby", "date_of_birth": date(2021, 2, 3), "sex": "F"},
            start_date=START, organisation=world.csc, consent_given=True, consent_date=START, lead_name="X", lead_agency="Y",
        )
    assert counts() == before
