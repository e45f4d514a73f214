"""The case page and the page of each step on a case: pages render, good input is stored,
bad input is refused with a clear error and stores nothing, and the case page says who did
and who authorised each step."""

import re
from collections import Counter
from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AccessEvent, ChangeEvent
from safeguard.casework import services
from safeguard.casework.models import (
    Allocation,
    Case,
    CaseNote,
    ChronologyEntry,
    CINPlan,
    CINPlanReview,
    ManagementDecision,
    Visit,
)
from safeguard.casework.tests.matrix import MATRIX, TARGETS, sam_case

pytestmark = pytest.mark.django_db

# Higher apps' records, made directly to check the case page shows them: casework's tests may
# not import the apps above it (the layers contract), and need only the rows.
Assessment = apps.get_model("assessments", "Assessment")
ChildProtectionPlan = apps.get_model("protection", "ChildProtectionPlan")


def on(field: str, day: date) -> dict:
    return {f"{field}_day": str(day.day), f"{field}_month": str(day.month), f"{field}_year": str(day.year)}


def counts() -> tuple:
    models = (Case, Allocation, Visit, CaseNote, ManagementDecision, CINPlan, CINPlanReview, ChronologyEntry, ChangeEvent)
    return tuple(m.objects.count() for m in models)


@pytest.fixture
def case(world):
    return sam_case(world)


@pytest.fixture
def plan(world, case):
    return services.cin_plan_start(by=world.sw_amy, case=case, start_date=date(2025, 2, 3))


# A child in need plan's review goes through the plan's actions, so its page is protection's
# (decision 0068), at the same address.
MOVED = {"cin-plan-review-new": "protection:cin-review-new"}


def url(name: str, **kwargs) -> str:
    return reverse(MOVED.get(name, f"casework:{name}"), kwargs=kwargs)


# --- Pages render ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("case-detail", "Case file"),
        ("allocate", "Allocate the case"),
        ("visit-new", "Record a visit"),
        ("note-new", "Add a case note"),
        ("cin-plan-new", "Start a child in need plan"),
        ("close", "Close the case"),
    ],
)
def test_case_pages_render(world, client, case, name, heading):
    client.force_login(world.sw_amy)
    response = client.get(url(name, case_id=case.pk))
    assert response.status_code == 200
    assert heading in response.content.decode()
    assert "Sam Smith" in response.content.decode()


def test_decision_page_renders_for_a_manager(world, client, case):
    client.force_login(world.tm_carol)
    response = client.get(url("decision-new", case_id=case.pk))
    assert response.status_code == 200
    assert "Record a management decision" in response.content.decode()


@pytest.mark.parametrize(("name", "heading"), [("cin-plan-review-new", "Review the child in need plan"), ("cin-plan-end", "End the child in need plan")])
def test_plan_pages_render_and_log_the_child(world, client, plan, name, heading):
    """A plan page reaches its case through the access function, which logs the child."""
    client.force_login(world.sw_amy)
    response = client.get(url(name, plan_id=plan.pk))
    assert response.status_code == 200
    assert heading in response.content.decode()
    assert Counter(AccessEvent.objects.values_list("person_id", flat=True)) == Counter({world.child_sam.pk: 1})


def test_unknown_plan_is_404(world, client):
    client.force_login(world.sw_amy)
    response = client.get(url("cin-plan-end", plan_id="00000000-0000-0000-0000-000000000000"))
    assert response.status_code == 404


def test_forms_have_sensible_defaults(world, client, case):
    client.force_login(world.sw_amy)
    today = timezone.localdate()
    form = client.get(url("note-new", case_id=case.pk)).context["form"]
    assert form.initial["note_date"] == today
    response = client.get(url("allocate", case_id=case.pk))
    form = response.context["form"]
    # Nobody is chosen: pressing Allocate at once allocates nobody. The list is her team's.
    assert "worker" not in form.initial and not re.search(r'name="worker"[^>]*checked', response.content.decode())
    assert form.initial["team"] == world.team_a.pk
    form = client.get(url("visit-new", case_id=case.pk)).context["form"]
    assert (form.initial["kind"], form.initial["worker"], form.initial["visit_date"]) == ("other", world.sw_amy, today)


def test_visit_kind_defaults_to_the_open_plan(world, client, case, plan):
    client.force_login(world.sw_amy)
    assert client.get(url("visit-new", case_id=case.pk)).context["form"].initial["kind"] == "cin"
    ChildProtectionPlan.objects.create(case=case, start_date=date(2025, 3, 3), initial_category="NEG", latest_category="NEG")
    response = client.get(url("visit-new", case_id=case.pk))
    assert response.context["form"].initial["kind"] == "cp"
    assert re.search(r'name="kind" value="cp"[^>]*checked', response.content.decode())


def test_unallocated_case_shows_a_red_tag_and_allocated_case_the_worker(world, client, case):
    client.force_login(world.sw_amy)
    page = client.get(url("case-detail", case_id=case.pk)).content.decode()
    assert "govuk-tag--red\">Unallocated" in page
    services.case_allocate(by=world.tm_carol, case=case, worker=world.sw_amy, team=world.team_a, start_date=date(2025, 1, 7), reason="Test")
    page = client.get(url("case-detail", case_id=case.pk)).content.decode()
    assert "Unallocated" not in page
    assert "Amy Adeyemi, Child Protection Team A" in page


# --- Good input is stored -----------------------------------------------------------------------------


def test_allocate_in_another_team(world, client, case):
    client.force_login(world.tm_carol)
    page = client.get(url("allocate", case_id=case.pk) + f"?team={world.team_b.pk}").content.decode()
    assert "Ben Bailey" in page and "Amy Adeyemi" not in page
    response = client.post(url("allocate", case_id=case.pk), {"worker": world.sw_ben.pk, "team": world.team_b.pk, "reason": "Knows the family", **on("start_date", date(2025, 1, 8))})
    assert response.status_code == 302
    assert response["Location"] == url("case-detail", case_id=case.pk)
    allocation = case.allocations.get()
    assert (allocation.worker, allocation.team, allocation.created_by) == (world.sw_ben, world.team_b, world.tm_carol)


def test_visit_is_recorded(world, client, case):
    client.force_login(world.sw_amy)
    data = {"kind": "other", "worker": world.sw_amy.pk, "child_seen": "yes", "child_seen_alone": "on", "bedroom_seen": "on", "notes": "Tidy room", **on("visit_date", date(2025, 1, 9))}
    response = client.post(url("visit-new", case_id=case.pk), data)
    assert response.status_code == 302
    visit = case.visits.get()
    assert (visit.child_seen, visit.child_seen_alone, visit.bedroom_seen, visit.worker) == (True, True, True, world.sw_amy)


def test_significant_note_goes_on_the_chronology(world, client, case):
    client.force_login(world.sw_amy)
    data = {"subject": "Hospital attendance", "text": "Attended A&E with a burn", "significant": "on", **on("note_date", date(2025, 1, 10))}
    response = client.post(url("note-new", case_id=case.pk), data)
    assert response.status_code == 302
    assert case.notes.get().significant
    assert ChronologyEntry.objects.filter(child=world.child_sam, what="Hospital attendance").exists()


def test_manager_records_a_decision(world, client, case):
    client.force_login(world.tm_carol)
    data = {"decision": "Proceed to assessment", "rationale": "Injury unexplained", **on("decision_date", date(2025, 1, 7))}
    response = client.post(url("decision-new", case_id=case.pk), data)
    assert response.status_code == 302
    assert case.decisions.get().decided_by == world.tm_carol


def test_social_worker_cannot_record_a_decision(world, client, case):
    client.force_login(world.sw_amy)
    before = counts()
    data = {"decision": "Proceed", **on("decision_date", date(2025, 1, 7))}
    assert client.post(url("decision-new", case_id=case.pk), data).status_code == 403
    assert counts() == before


def test_cin_plan_start_review_and_end(world, client, case):
    client.force_login(world.sw_amy)
    response = client.post(url("cin-plan-new", case_id=case.pk), {"summary": "Support at home", **on("start_date", date(2025, 2, 3))})
    assert response.status_code == 302
    plan = case.cin_plans.get()
    response = client.post(url("cin-plan-review-new", plan_id=plan.pk), {"outcome": "Progress", **on("review_date", date(2025, 5, 1))})
    assert response.status_code == 302
    assert plan.reviews.get().outcome == "Progress"
    response = client.post(url("cin-plan-end", plan_id=plan.pk), on("end_date", date(2025, 6, 2)))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.end_date == date(2025, 6, 2)


def test_case_is_closed_once_a_manager_authorises_it(world, client, case):
    client.force_login(world.sw_amy)
    response = client.post(url("close", case_id=case.pk), {"reason": "RC7", **on("closure_date", date(2025, 3, 3))})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.closure_date is None  # waits for the manager (decision 0041)
    asked = case.authorisation_requests.get()
    client.force_login(world.tm_carol)
    response = client.post(url("authorisation", request_id=asked.pk), {"decision": "authorise", "reason": "", "version": asked.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.closure_date, case.closure_reason) == (date(2025, 3, 3), "RC7")
    client.force_login(world.sw_amy)
    page = client.get(url("case-detail", case_id=case.pk)).content.decode()
    assert "Closed" in page and "Services ceased for any other reason" in page
    assert "Close the case" not in page


def test_close_lists_reasons_with_their_labels(world, client, case):
    client.force_login(world.sw_amy)
    page = client.get(url("close", case_id=case.pk)).content.decode()
    assert 'type="radio" name="reason" value="RC1"' in page
    assert "RC9: Case closed after assessment, referred to early help" in page


# --- Bad input stores nothing -----------------------------------------------------------------------

FUTURE = date(2099, 1, 1)
BEFORE_REFERRAL = date(2024, 12, 31)


def _bad_cases(world, case, plan):
    """(user, url, data, message) for bad input to every form on the case."""
    sw, tm = world.sw_amy, world.tm_carol
    allocate = url("allocate", case_id=case.pk)
    visit = url("visit-new", case_id=case.pk)
    note = url("note-new", case_id=case.pk)
    decision = url("decision-new", case_id=case.pk)
    start = url("cin-plan-new", case_id=case.pk)
    review = url("cin-plan-review-new", plan_id=plan.pk)
    end = url("cin-plan-end", plan_id=plan.pk)
    close = url("close", case_id=case.pk)
    good_visit = {"kind": "cin", "worker": sw.pk, "child_seen": "yes", **on("visit_date", date(2025, 3, 3))}
    team_a = {"team": world.team_a.pk, "reason": "Amy has room on her caseload"}
    return [
        (tm, allocate, {"worker": "", **team_a, **on("start_date", date(2025, 1, 8))}, "Choose the worker"),
        (tm, allocate, {"worker": world.other_sw.pk, **team_a, **on("start_date", date(2025, 1, 8))}, "Choose a worker from the list"),
        (tm, allocate, {"worker": sw.pk, **team_a, **on("start_date", FUTURE)}, "cannot be in the future"),
        (tm, allocate, {"worker": sw.pk, **team_a, **on("start_date", BEFORE_REFERRAL)}, "cannot be before the referral"),
        (tm, allocate, {"worker": sw.pk, "team": world.team_b.pk, "reason": "x", **on("start_date", date(2025, 1, 8))}, "Choose a worker from the list"),
        (tm, allocate, {"worker": sw.pk, "team": world.team_a.pk, "reason": "  ", **on("start_date", date(2025, 1, 8))}, "Give the reason for allocating the case"),
        (sw, visit, {**good_visit, "child_seen": ""}, "Say whether the child was seen"),
        (sw, visit, {**good_visit, "child_seen": "no", "child_seen_alone": "on"}, "must also be recorded as seen"),
        (sw, visit, {**good_visit, "kind": "nonsense"}, "Select a valid choice"),
        (sw, visit, {**good_visit, "visit_date_month": "13"}, "must be a real date"),
        (sw, visit, {**good_visit, **on("visit_date", BEFORE_REFERRAL)}, "cannot be before the referral"),
        (sw, note, {"subject": "", "text": "x", **on("note_date", date(2025, 1, 8))}, "Enter a subject"),
        (sw, note, {"subject": "x", "text": "  ", **on("note_date", date(2025, 1, 8))}, "Enter the note"),
        (sw, note, {"subject": "x", "text": "y", **on("note_date", FUTURE)}, "cannot be in the future"),
        (tm, decision, {"decision": "", **on("decision_date", date(2025, 1, 8))}, "Enter the decision"),
        (tm, decision, {"decision": "Assess", "decision_date_year": "25", "decision_date_day": "1", "decision_date_month": "2"}, "Year must include 4 numbers"),
        (sw, start, {**on("start_date", date(2025, 3, 3))}, "already has an open child in need plan"),
        (sw, review, {**on("review_date", date(2025, 1, 10))}, "cannot be before the plan started"),
        (sw, review, {"review_date_day": "", "review_date_month": "", "review_date_year": ""}, "Enter the review date"),
        (sw, end, {**on("end_date", date(2025, 1, 10))}, "cannot end before it started"),
        (sw, close, {"reason": "RC7", **on("closure_date", date(2025, 3, 3))}, "The case cannot be closed: the child in need plan is still open"),
        (sw, close, {"reason": "", **on("closure_date", date(2025, 3, 3))}, "Choose the reason for closure"),
        (sw, close, {"reason": "RC99", **on("closure_date", date(2025, 3, 3))}, "Select a valid choice"),
    ]


BAD_COUNT = 23


@pytest.mark.parametrize("index", range(BAD_COUNT))
def test_bad_input_is_refused_and_stores_nothing(world, client, case, plan, index):
    cases = _bad_cases(world, case, plan)
    assert len(cases) == BAD_COUNT
    user, address, data, message = cases[index]
    client.force_login(user)
    before = counts()
    response = client.post(address, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert message in content
    assert counts() == before


def test_closing_with_rc8_needs_an_assessment(world, client, case):
    client.force_login(world.sw_amy)
    before = counts()
    response = client.post(url("close", case_id=case.pk), {"reason": "RC8", **on("closure_date", date(2025, 3, 3))})
    assert "RC8 is for cases closed after an assessment" in response.content.decode()
    assert counts() == before


def test_close_page_warns_what_is_still_open(world, client, case, plan):
    client.force_login(world.sw_amy)
    page = client.get(url("close", case_id=case.pk)).content.decode()
    assert "Finish these before closing the case" in page
    assert "The child in need plan is still open" in page


# --- Who did and who authorised each step ----------------------------------------------------------


def test_case_page_says_who_did_and_authorised_each_step(world, client, case, plan):
    services.case_allocate(by=world.tm_carol, case=case, worker=world.sw_amy, team=world.team_a, start_date=date(2025, 1, 7), reason="Test")
    services.visit_record(by=world.sw_ben, case=case, kind="cin", visit_date=date(2025, 2, 10), child_seen=True, child_seen_alone=True, worker=world.sw_amy)
    services.case_note_add(by=world.sw_amy, case=case, note_date=date(2025, 2, 11), subject="School meeting", text="Attendance improving", significant=True)
    services.decision_record(by=world.sm_dan, case=case, decision_date=date(2025, 2, 12), decision="Continue the plan", rationale="Risks reducing")
    services.cin_plan_review_record(by=world.tm_carol, plan=plan, review_date=date(2025, 5, 1), outcome="Good progress")
    Assessment.objects.create(
        case=case, kind="single", start_date=date(2025, 1, 8), child_seen_date=date(2025, 1, 9), child_seen_alone=True,
        completed_date=date(2025, 1, 30), authorised_by=world.tm_carol, outcome="cin_plan", primary_need="N4",
        factors=["3B", "4B"], created_by=world.sw_amy,
    )
    client.force_login(world.sm_dan)
    response = client.get(url("case-detail", case_id=case.pk))
    assert response.status_code == 200
    page = response.content.decode()

    def section(anchor: str) -> str:
        start = page.index(f'id="{anchor}"')
        end = page.find('<h2 class="govuk-heading-m"', start + 1)
        return page[start:end]

    assert "Carol Chen" in section("allocations")
    assessment = section("assessments")
    assert "Started by</dt><dd class=\"govuk-summary-list__value\">Amy Adeyemi" in assessment
    assert "30 January 2025 by Carol Chen" in assessment
    assert "9 January 2025, seen alone" in assessment
    # Factors in words (issue 16), never as the census codes.
    assert "Domestic violence: the child’s parent(s) or carer(s) are the subject" in assessment
    assert "Mental health: of the parent(s) or carer(s)" in assessment
    assert "3B" not in assessment and "Child in need plan" in assessment
    visits = section("visits")
    assert "Amy Adeyemi" in visits and "recorded by Ben Bailey" in visits and "Seen, alone" in visits
    notes = section("case-notes")
    assert "School meeting" in notes and "Significant" in notes and "Amy Adeyemi" in notes
    assert "Dan Doyle" in section("decisions") and "Risks reducing" in section("decisions")
    cin = section("cin-plans")
    assert "Reviewed 1 May 2025 by Carol Chen: Good progress" in cin
    assert "Started by Amy Adeyemi" in cin
    # The service manager, not allocated, reads the file; the narrative is his to read.
    assert "Record a visit" in page


def test_case_page_offers_actions_by_role(world, client, case, plan):
    client.force_login(world.sw_amy)
    page = client.get(url("case-detail", case_id=case.pk)).content.decode()
    for link in (url("allocate", case_id=case.pk), url("visit-new", case_id=case.pk), url("note-new", case_id=case.pk), url("close", case_id=case.pk), url("cin-plan-review-new", plan_id=plan.pk), url("cin-plan-end", plan_id=plan.pk)):
        assert f'href="{link}"' in page
    assert url("decision-new", case_id=case.pk) not in page
    # A plan is open, so no second one is offered.
    assert url("cin-plan-new", case_id=case.pk) not in page
    client.force_login(world.tm_carol)
    assert url("decision-new", case_id=case.pk) in client.get(url("case-detail", case_id=case.pk)).content.decode()


def test_case_page_logs_the_child_once(world, client, case):
    client.force_login(world.sw_amy)
    response = client.get(url("case-detail", case_id=case.pk))
    assert response.status_code == 200
    assert Counter(AccessEvent.objects.values_list("person_id", flat=True)) == Counter({world.child_sam.pk: 1})
    assert AccessEvent.objects.get().purpose == "view"


def test_partner_gets_404_and_no_event_on_the_case_file(world, client, case):
    """The police may see Sam, but not his case file; nothing is read, so nothing is logged."""
    client.force_login(world.police_pat)
    response = client.get(url("case-detail", case_id=case.pk))
    assert response.status_code == 404
    assert b"Smith" not in response.content
    assert AccessEvent.objects.count() == 0


def test_person_page_lists_cases_for_social_care_only(world, client, case):
    client.force_login(world.sw_amy)
    page = client.get(reverse("people:detail", args=[world.child_sam.pk])).content.decode()
    assert url("case-detail", case_id=case.pk) in page
    assert url("chronology", person_id=world.child_sam.pk) in page
    assert reverse("referrals:contact-new", args=[world.child_sam.pk]) in page
    client.force_login(world.analyst_eve)
    page = client.get(reverse("people:detail", args=[world.child_sam.pk])).content.decode()
    assert url("case-detail", case_id=case.pk) in page
    assert reverse("referrals:contact-new", args=[world.child_sam.pk]) not in page
    client.force_login(world.police_pat)
    page = client.get(reverse("people:detail", args=[world.child_sam.pk])).content.decode()
    assert url("case-detail", case_id=case.pk) not in page
    assert 'id="cases"' not in page


# Casework pages about no one child (or more than one): a team's cover (absences and its duty rota, decision
# 0044), a manager's queue of decisions waiting (decision 0041), which logs each child it
# lists (its own tests), and the authority's choice of which decisions need authorisation.
NOT_ONE_CHILD = {
    "casework:team-cover", "casework:absence-new", "casework:absence-end", "casework:duty-new",
    "casework:authorisations", "casework:authorisation-settings",
    # The family's children (decision 0065): Sam and his sister Sally, each logged once
    # (tests/test_family_children.py).
    "casework:family-children",
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(set(MATRIX) - NOT_ONE_CHILD))
def test_every_casework_page_logs_the_child_exactly_once(world, client, name):
    """Each page shows one child, Sam Smith, and writes one access event for him."""
    _, target, query, _ = MATRIX[name]
    kwargs = TARGETS[target](world)
    client.force_login(world.tm_carol)
    before = Counter(AccessEvent.objects.values_list("person_id", flat=True))
    response = client.get(reverse(name, kwargs=kwargs) + query)
    assert response.status_code == 200
    after = Counter(AccessEvent.objects.values_list("person_id", flat=True))
    assert after - before == Counter({world.child_sam.pk: 1})


def test_higher_apps_can_add_the_timescales_panel(world, client, case, monkeypatch):
    """The panel's include point is used only when a registered function supplies it."""
    from safeguard.casework import views

    client.force_login(world.sw_amy)
    monkeypatch.setattr(views, "_CASE_PAGE_CONTEXT", [])
    response = client.get(url("case-detail", case_id=case.pk))
    assert "timescales" not in response.context
    assert "casework/_timescales.html" not in [t.name for t in response.templates]
    views.register_case_page_context(lambda request, case: {"timescales": ["due"]})
    response = client.get(url("case-detail", case_id=case.pk))
    assert response.context["timescales"] == ["due"]
    assert "casework/_timescales.html" in [t.name for t in response.templates]


@pytest.mark.parametrize(("name", "message"), [("note-new", "Enter the note"), ("close", "Choose the reason for closure")])
def test_an_empty_post_is_a_submission_that_shows_what_is_missing(world, client, case, name, message):
    """An empty POST is refused with the form's messages, not shown as a fresh form (issue 12:
    every view reads the POST through ``core.submission.posted``)."""
    client.force_login(world.sw_amy)
    before = counts()
    response = client.post(url(name, case_id=case.pk), {})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize("holder", ["analyst_eve", "admin_al"])
def test_only_staff_who_record_on_a_file_may_hold_a_case(world, case, holder):
    """An analyst or a system administrator of social care's agency never holds a case: the
    service refuses them whatever the form offered, and stores nothing."""
    from safeguard.casework.models import Allocation
    from safeguard.core.errors import ApplicationError

    worker = getattr(world, holder)
    worker.teams.add(world.team_a)
    with pytest.raises(ApplicationError, match="Choose an active social care worker"):
        services.case_allocate(
            by=world.tm_carol, case=case, worker=worker, team=world.team_a,
            start_date=date(2025, 1, 7),
            reason="Test",
        )  # fmt: skip
    assert not Allocation.objects.filter(case=case).exists()
