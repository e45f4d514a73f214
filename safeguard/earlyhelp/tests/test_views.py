"""Early help pages: each renders and logs one access event for the child; good input is
stored and leads to the record's page; bad input is shown again with a clear message and
stores nothing."""

from collections import Counter
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from safeguard.audit.models import AccessEvent, ChangeEvent
from safeguard.casework import services as casework
from safeguard.casework.models import ChronologyEntry
from safeguard.earlyhelp import services
from safeguard.earlyhelp.models import EarlyHelpAssessment, TAFReview, TeamAroundFamily
from safeguard.earlyhelp.tests.matrix import sally_assessment, tom_taf
from safeguard.referrals.models import Contact
from safeguard.referrals.services import contact_record
from safeguard.testing.decisions import close_case

pytestmark = pytest.mark.django_db


def on(field: str, day: date) -> dict:
    return {f"{field}_day": str(day.day), f"{field}_month": str(day.month), f"{field}_year": str(day.year)}


def counts() -> tuple:
    models = (EarlyHelpAssessment, TeamAroundFamily, TAFReview, ChronologyEntry, ChangeEvent)
    return tuple(m.objects.count() for m in models)


def events() -> Counter:
    return Counter(AccessEvent.objects.values_list("person_id", flat=True))


def url(name: str, *args) -> str:
    return reverse(f"earlyhelp:{name}", args=args)


def eha_data(world, **extra) -> dict:
    return {
        **on("start_date", date(2025, 3, 3)),
        "organisation": world.health.pk,
        "organisation_other": "",
        "consent_given": "yes",
        **on("consent_date", date(2025, 3, 3)),
        "lead_user": world.health_hana.pk,
        "lead_name": "",
        "lead_agency": "",
        "lead_role": "",
        "needs": "Low mood at home; sleep",
        **extra,
    }


def refused_page(response, message: str) -> str:
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    return page


# --- Starting an assessment ----------------------------------------------------------------------


def test_the_start_page_renders_with_sensible_defaults_and_logs_one_access(world, client):
    client.force_login(world.health_hana)
    response = client.get(url("eha-new", world.child_sally.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Start an early help assessment" in page
    assert '<form method="post" novalidate data-draft>' in page
    # The organisation and the lead professional default to the worker's own.
    assert f'<option value="{world.health.pk}" selected>Testshire Health Trust</option>' in page
    assert f'<option value="{world.health_hana.pk}" selected>Hana Hussain, Testshire Health Trust (Partner practitioner)</option>' in page
    # Partners see nothing of the front door or the case file.
    assert 'name="contact"' not in page and 'name="stepped_down_from"' not in page
    assert events() == Counter({world.child_sally.pk: 1})
    assert AccessEvent.objects.get().purpose == "edit"


def test_an_assessment_is_started_from_the_page(world, client):
    client.force_login(world.health_hana)
    response = client.post(url("eha-new", world.child_sally.pk), eha_data(world))
    eha = EarlyHelpAssessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("eha-detail", eha.pk)
    assert (eha.child, eha.start_date, eha.organisation, eha.lead_name, eha.created_by) == (world.child_sally, date(2025, 3, 3), world.health, "Hana Hussain", world.health_hana)
    assert ChangeEvent.objects.filter(target_id=str(eha.pk), verb="created").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"start_date_day": "", "start_date_month": "", "start_date_year": ""}, "Enter the start date"),
        ({"start_date_month": ""}, "Start date must include a month"),
        (on("start_date", date(2099, 3, 3)), "The start date cannot be in the future"),
        ({"consent_given": ""}, "Say whether the family has consented"),
        ({"consent_given": "no"}, "Say why consent was not sought"),
        ({"organisation": ""}, "Choose the organisation completing the assessment, or enter its name"),
        ({"organisation": "99999"}, "Choose the organisation from the list"),
        ({"lead_user": ""}, "Enter the lead professional&#x27;s name, or choose them from the list"),
        ({"lead_user": str(99999)}, "Choose the lead professional from the list"),
    ],
)
def test_a_bad_assessment_is_shown_again_and_stores_nothing(world, client, extra, message):
    client.force_login(world.health_hana)
    before = counts()
    response = client.post(url("eha-new", world.child_sally.pk), eha_data(world, **extra))
    refused_page(response, message)
    assert counts() == before


def test_an_empty_post_shows_what_is_missing(world, client):
    client.force_login(world.sw_amy)
    page = refused_page(client.post(url("eha-new", world.child_sally.pk), {}), "Enter the start date")
    assert "Say whether the family has consented" in page


def test_social_care_starts_an_assessment_from_a_contact_decided_as_early_help(world, client):
    contact = contact_record(by=world.sw_amy, child=world.child_sally, contact_date=date(2025, 2, 24), source="3B", reason="Low mood at home")
    Contact.objects.filter(pk=contact.pk).update(outcome="early_help", decision_date=date(2025, 2, 25), decided_by=world.tm_carol)
    client.force_login(world.sw_amy)
    page = client.get(url("eha-new", world.child_sally.pk) + f"?contact={contact.pk}").content.decode()
    assert f'<option value="{contact.pk}" selected>Contact of 24 February 2025 (Health services: health visitor)</option>' in page
    response = client.post(url("eha-new", world.child_sally.pk), eha_data(world, contact=str(contact.pk)))
    assert response.status_code == 302
    eha = EarlyHelpAssessment.objects.get()
    assert eha.contact_id == contact.pk
    detail = client.get(url("eha-detail", eha.pk)).content.decode()
    # The decided contact links to its own page (not the form that decided it), for social care.
    assert reverse("referrals:contact-detail", args=[contact.pk]) in detail
    assert reverse("referrals:contact-decide", args=[contact.pk]) not in detail
    # Hana (health, involved with Sally) reads the assessment, not the front door's contact.
    client.force_login(world.health_hana)
    detail = client.get(url("eha-detail", eha.pk)).content.decode()
    assert "Summary of needs" in detail and f"/contacts/{contact.pk}/" not in detail
    client.force_login(world.sw_amy)
    # An unknown contact in the address is not found.
    assert client.get(url("eha-new", world.child_sally.pk) + "?contact=not-a-uuid").status_code == 404


# --- The assessment and its completion ----------------------------------------------------------


def test_the_assessment_page_shows_it_and_logs_one_access(world, client):
    eha = sally_assessment(world)
    client.force_login(world.sw_amy)
    response = client.get(url("eha-detail", eha.pk))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Early help assessment", "3 March 2025", "Testshire Health Trust", "Hana Hussain, Partner practitioner, Testshire Health Trust",
                 "Given 3 March 2025", "In progress", "Sleep and feeding worries", "Complete the assessment"):
        assert text in page
    assert events() == Counter({world.child_sally.pk: 1})
    assert AccessEvent.objects.get().purpose == "view"


def test_an_assessment_is_completed_from_the_page(world, client):
    eha = sally_assessment(world)
    client.force_login(world.health_hana)
    page = client.get(url("eha-complete", eha.pk)).content.decode()
    assert "Sleep and feeding worries" in page  # the needs so far, to finish
    data = {**on("completed_date", date(2025, 3, 28)), "outcome": "taf", "needs": "Sleep; isolation"}
    response = client.post(url("eha-complete", eha.pk), data)
    assert response.status_code == 302
    assert response["Location"] == url("eha-detail", eha.pk)
    eha.refresh_from_db()
    assert (eha.completed_date, eha.outcome) == (date(2025, 3, 28), "taf")
    assert ChronologyEntry.objects.filter(child=world.child_sally, what__startswith="Early help assessment completed").exists()
    # A completed assessment cannot be completed again: its page says so.
    again = client.get(url("eha-complete", eha.pk), follow=True).content.decode()
    assert "This assessment was completed on 28 March 2025" in again


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**on("completed_date", date(2025, 3, 28)), "outcome": "", "needs": "x"}, "Choose the outcome of the assessment"),
        ({**on("completed_date", date(2025, 3, 28)), "outcome": "taf", "needs": ""}, "Enter the summary of the child&#x27;s and family&#x27;s needs"),
        ({**on("completed_date", date(2025, 3, 1)), "outcome": "taf", "needs": "x"}, "cannot be completed before it started (03 March 2025)"),
    ],
)
def test_a_bad_completion_is_shown_again(world, client, data, message):
    eha = sally_assessment(world)
    client.force_login(world.health_hana)
    before = counts()
    refused_page(client.post(url("eha-complete", eha.pk), data), message)
    assert counts() == before


def test_a_step_up_outcome_says_to_record_a_contact(world, client):
    eha = sally_assessment(world)
    services.eha_complete(by=world.health_hana, assessment=eha, completed_date=date(2025, 3, 28), outcome="step_up")
    client.force_login(world.sw_amy)
    page = client.get(url("eha-detail", eha.pk)).content.decode()
    assert f'href="{reverse("referrals:contact-new", args=[world.child_sally.pk])}">Record a contact</a>' in page
    client.force_login(world.health_hana)
    page = client.get(url("eha-detail", eha.pk)).content.decode()
    assert "Contact children's social care's front door" in page
    assert reverse("referrals:contact-new", args=[world.child_sally.pk]) not in page


# --- Teams around the family --------------------------------------------------------------------


def test_the_team_page_defaults_the_lead_professional_from_the_assessment(world, client):
    eha = sally_assessment(world)
    client.force_login(world.sw_amy)
    response = client.get(url("taf-new", world.child_sally.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<option value="{eha.pk}" selected>Assessment started 03 March 2025, in progress</option>' in page
    assert f'<option value="{world.health_hana.pk}" selected>' in page
    assert 'name="lead_name" value="Hana Hussain"' in page
    assert 'id="id_members_0_agency"' in page
    assert events() == Counter({world.child_sally.pk: 1})


def test_a_team_is_started_from_the_page(world, client):
    client.force_login(world.voluntary_val)
    data = {
        **on("start_date", date(2025, 4, 7)),
        "lead_user": world.voluntary_val.pk,
        "lead_name": "", "lead_agency": "", "lead_role": "Family support worker",
        "members-0-agency": "Testshire Schools", "members-0-name": "Ms Hill", "members-0-role": "DSL",
        "members-1-agency": "", "members-1-name": "", "members-1-role": "",
        "plan": "Weekly sessions",
    }
    response = client.post(url("taf-new", world.child_tom.pk), data)
    taf = TeamAroundFamily.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("taf-detail", taf.pk)
    assert taf.members == [
        {"agency": "Testshire Family Action", "name": "Val Vance", "role": "Family support worker"},
        {"agency": "Testshire Schools", "name": "Ms Hill", "role": "DSL"},
    ]
    assert (taf.lead_user, taf.plan, taf.created_by) == (world.voluntary_val, "Weekly sessions", world.voluntary_val)


def test_a_member_without_an_agency_is_refused_on_the_page(world, client):
    client.force_login(world.voluntary_val)
    data = {**on("start_date", date(2025, 4, 7)), "lead_user": world.voluntary_val.pk, "members-0-name": "Ms Hill"}
    before = counts()
    refused_page(client.post(url("taf-new", world.child_tom.pk), data), "Enter the agency of Ms Hill (row 1)")
    assert counts() == before


def test_no_team_while_the_case_is_open_says_so_before_and_on_saving(world, client):
    case = casework.case_open(by=world.sw_amy, child=world.child_tom, referral_date=date(2025, 1, 6), referral_source="6")
    client.force_login(world.sw_amy)
    page = client.get(url("taf-new", world.child_tom.pk)).content.decode()
    assert f'<a class="govuk-link" href="{reverse("casework:case-detail", args=[case.pk])}">an open case</a>' in page
    before = counts()
    response = client.post(url("taf-new", world.child_tom.pk), {**on("start_date", date(2025, 4, 7)), "lead_user": world.sw_amy.pk})
    refused_page(response, "Tom Jones has an open children&#x27;s social care case (referred 06 January 2025)")
    assert counts() == before


def test_a_step_down_names_the_latest_closed_case(world, client):
    case = casework.case_open(by=world.sw_amy, child=world.child_tom, referral_date=date(2024, 6, 3), referral_source="6")
    close_case(by=world.sw_amy, case=case, closure_date=date(2025, 3, 31), reason="RC7")
    client.force_login(world.sw_ben)
    page = client.get(url("taf-new", world.child_tom.pk)).content.decode()
    assert "Case referred 03 June 2024, closed 31 March 2025" in page
    data = {**on("start_date", date(2025, 4, 7)), "lead_user": world.voluntary_val.pk, "stepped_down_from": str(case.pk)}
    assert client.post(url("taf-new", world.child_tom.pk), data).status_code == 302
    assert TeamAroundFamily.objects.get().stepped_down_from == case


def test_the_team_page_shows_members_plan_reviews_and_the_next_review(world, client):
    taf = tom_taf(world)
    services.taf_review_record(by=world.voluntary_val, taf=taf, review_date=date(2025, 5, 19), progress="Attendance is up")
    client.force_login(world.sw_ben)
    response = client.get(url("taf-detail", taf.pk))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Team around the family", "7 April 2025", "Val Vance, Partner practitioner, Testshire Family Action",
                 "Hillside Academy DSL", "Weekly family support sessions", "19 May 2025", "Attendance is up",
                 "30 June 2025", "6 weeks after the last review", "Record a review", "End the team around the family"):
        assert text in page
    assert events() == Counter({world.child_tom.pk: 1})


def test_a_review_is_recorded_from_the_page(world, client):
    taf = tom_taf(world)
    client.force_login(world.voluntary_val)
    response = client.post(url("taf-review-new", taf.pk), {**on("review_date", date(2025, 5, 19)), "progress": "Attendance is up"})
    assert response.status_code == 302
    assert response["Location"] == url("taf-detail", taf.pk)
    assert TAFReview.objects.get().progress == "Attendance is up"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**on("review_date", date(2025, 4, 6)), "progress": "x"}, "cannot be before the team around the family started (07 April 2025)"),
        ({**on("review_date", date(2025, 5, 19)), "progress": ""}, "Enter the progress made and what the team agreed"),
        ({"review_date_day": "31", "review_date_month": "2", "review_date_year": "2025", "progress": "x"}, "Review date must be a real date"),
    ],
)
def test_a_bad_review_is_shown_again(world, client, data, message):
    taf = tom_taf(world)
    client.force_login(world.voluntary_val)
    before = counts()
    refused_page(client.post(url("taf-review-new", taf.pk), data), message)
    assert counts() == before


def test_ending_to_step_up_tells_social_care_to_record_a_contact(world, client):
    taf = tom_taf(world)
    client.force_login(world.sw_ben)
    response = client.post(url("taf-end", taf.pk), {**on("end_date", date(2025, 6, 30)), "end_reason": "stepped_up", "end_notes": ""}, follow=True)
    page = response.content.decode()
    assert "Team around the family ended" in page
    assert "Ending the team does not refer the child" in page
    assert f'href="{reverse("referrals:contact-new", args=[world.child_tom.pk])}">Record a contact</a>' in page
    taf.refresh_from_db()
    assert (taf.end_date, taf.end_reason) == (date(2025, 6, 30), "stepped_up")
    # An ended team has no actions, and its end page says it has ended.
    assert "Record a review" not in page
    again = client.get(url("taf-end", taf.pk), follow=True).content.decode()
    assert "This team around the family ended on 30 June 2025" in again


def test_ending_to_step_up_tells_a_partner_to_contact_the_front_door(world, client):
    taf = tom_taf(world)
    client.force_login(world.voluntary_val)
    client.post(url("taf-end", taf.pk), {**on("end_date", date(2025, 6, 30)), "end_reason": "stepped_up"})
    page = client.get(url("taf-detail", taf.pk)).content.decode()
    assert "Contact children's social care's front door about Tom Jones" in page
    assert reverse("referrals:contact-new", args=[world.child_tom.pk]) not in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**on("end_date", date(2025, 6, 30)), "end_reason": ""}, "Choose why the team around the family ended"),
        ({**on("end_date", date(2025, 6, 30)), "end_reason": "other", "end_notes": ""}, "Say why the team around the family ended"),
        ({**on("end_date", date(2025, 4, 6)), "end_reason": "needs_met"}, "cannot end before it started (07 April 2025)"),
    ],
)
def test_a_bad_ending_is_shown_again(world, client, data, message):
    taf = tom_taf(world)
    client.force_login(world.voluntary_val)
    before = counts()
    refused_page(client.post(url("taf-end", taf.pk), data), message)
    assert counts() == before


# --- The section for the person page --------------------------------------------------------------


def section(world, user, person) -> str:
    return render_to_string("earlyhelp/_person_section.html", {"person": person, "user": user})


def test_the_person_section_lists_early_help_with_links(world):
    eha = sally_assessment(world)
    html = section(world, world.health_hana, world.child_sally)
    assert 'id="early-help"' in html
    assert url("eha-detail", eha.pk) in html
    assert "In progress" in html
    # An assessment is in progress: only a team can be started.
    assert url("eha-new", world.child_sally.pk) not in html
    assert url("taf-new", world.child_sally.pk) in html


def test_the_person_section_shows_the_current_team_and_its_next_review(world):
    taf = tom_taf(world)
    html = section(world, world.sw_amy, world.child_tom)
    assert url("taf-detail", taf.pk) in html
    assert "Next review due 19 May 2025" in html
    assert url("eha-new", world.child_tom.pk) in html
    assert url("taf-new", world.child_tom.pk) not in html


def test_the_person_section_offers_analysts_no_actions(world):
    sally_assessment(world)
    html = section(world, world.analyst_eve, world.child_sally)
    assert "Early help assessment" in html
    assert "Start an" not in html and "Start a team" not in html


def test_the_person_section_is_empty_for_those_who_may_not_see_early_help(world):
    sally_assessment(world)
    for user in (world.police_pat, world.clinician_cam, world.admin_al, world.voluntary_val):
        assert section(world, user, world.child_sally).strip() == ""


def test_the_person_section_offers_no_early_help_for_an_adult(world):
    html = section(world, world.sw_amy, world.mother_mary)
    assert "No early help recorded" in html
    assert "Start an early help assessment" not in html
