"""Decision rights (issue 15 item 2, decision 0041): closure, no further action on a referral
and an assessment's outcome wait for the case's line manager; nobody authorises their own
work; the manager's one queue; the authority's list of decisions needing authorisation."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts import services as accounts
from safeguard.accounts.models import Role, Team, User
from safeguard.assessments import services as assessments
from safeguard.assessments.tests import steps
from safeguard.casework import selectors
from safeguard.casework import services as casework
from safeguard.casework.models import AuthorisationRequest, ChronologyEntry, ManagementDecision
from safeguard.core.errors import ApplicationError
from safeguard.notices.models import Notice
from safeguard.referrals.services import referral_record

pytestmark = pytest.mark.django_db

REFERRED = date(2025, 1, 6)
CLOSED = date(2025, 3, 3)


@pytest.fixture
def lines(world):
    """Named management lines: Carol manages team A, Bob team B, and both teams sit in the
    safeguarding service that Dan manages."""
    bob = User.objects.create_user(
        username="bob", password="x", agency=world.csc, role=Role.TEAM_MANAGER,
        first_name="Bob", last_name="Brown",
    )  # fmt: skip
    bob.teams.set([world.team_b])
    service = Team.objects.create(agency=world.csc, name="Safeguarding Service")
    accounts.team_update(service, by=world.sm_dan, manager=world.sm_dan)
    accounts.team_update(world.team_a, by=world.sm_dan, manager=world.tm_carol, parent=service)
    accounts.team_update(world.team_b, by=world.sm_dan, manager=bob, parent=service)
    return bob


def allocated_case(world, worker=None):
    """Sam's case, held by team A (Amy, or ``worker``)."""
    case = casework.case_open(
        by=world.sw_amy, child=world.child_sam, referral_date=REFERRED, referral_source="6"
    )
    casework.case_allocate(
        by=world.tm_carol, case=case, worker=worker or world.sw_amy, team=world.team_a,
        start_date=REFERRED, reason="Amy has room",
    )  # fmt: skip
    return case


def ask_closure(world, case, by=None):
    return casework.case_close(
        by=by or world.sw_amy, case=case, closure_date=CLOSED, reason="RC7"
    )


def refused(message, fn, **kwargs):
    with pytest.raises(ApplicationError) as error:
        fn(**kwargs)
    assert message in str(error.value)


# --- Case closure ----------------------------------------------------------------------------


def test_a_closure_waits_and_only_the_right_manager_authorises_it(world, lines):
    case = allocated_case(world)
    asked = ask_closure(world, case)
    assert isinstance(asked, AuthorisationRequest) and asked.is_pending
    case.refresh_from_db()
    assert case.closure_date is None  # the worker's request changes nothing yet
    # Carol was told it waits for her.
    assert Notice.objects.filter(user=world.tm_carol, subject__contains="Case closure").exists()
    # Another team's manager, and the manager above the line manager, are refused.
    refused("Only Carol Chen", casework.authorisation_decide, by=lines, request=asked, authorise=True)
    refused("Only Carol Chen", casework.authorisation_decide, by=world.sm_dan, request=asked, authorise=True)
    # The worker may not authorise at all.
    with pytest.raises(PermissionDenied):
        casework.authorisation_decide(by=world.sw_amy, request=asked, authorise=True)
    case.refresh_from_db()
    assert case.closure_date is None
    casework.authorisation_decide(by=world.tm_carol, request=asked, authorise=True, reason="Goals met")
    case.refresh_from_db()
    asked.refresh_from_db()
    assert (case.closure_date, case.closure_reason) == (CLOSED, "RC7")
    assert (asked.status, asked.decided_by) == ("authorised", world.tm_carol)
    # The decision and its authorisation are on the child's file and the chronology.
    decision = ManagementDecision.objects.get(case=case)
    assert "Case closure authorised" in decision.decision and decision.rationale == "Goals met"
    assert decision.decided_by == world.tm_carol
    whats = list(ChronologyEntry.objects.filter(case=case).values_list("what", flat=True))
    assert any("Case closed" in w for w in whats)
    assert any("case closure authorised" in w for w in whats)
    # Amy is told.
    assert Notice.objects.filter(user=world.sw_amy, subject="Case closure authorised").exists()
    refused("already authorised", casework.authorisation_decide, by=world.tm_carol, request=asked, authorise=True)


def test_a_manager_never_authorises_their_own_closure_it_goes_up_the_line(world, lines):
    """Carol holds the case herself and asks to close it: she is its line manager, but it is
    her own work, so Dan (above her) decides."""
    case = allocated_case(world, worker=world.tm_carol)
    asked = ask_closure(world, case, by=world.tm_carol)
    refused("your own work", casework.authorisation_decide, by=world.tm_carol, request=asked, authorise=True)
    refused("Only Dan", casework.authorisation_decide, by=lines, request=asked, authorise=True)
    assert [i.case_id for i in selectors.waiting_for(world.tm_carol)] == []
    assert [i.case_id for i in selectors.waiting_for(world.sm_dan)] == [case.pk]
    casework.authorisation_decide(by=world.sm_dan, request=asked, authorise=True)
    case.refresh_from_db()
    assert case.closure_date == CLOSED


def test_the_worker_holding_the_case_never_authorises_its_closure(world, lines):
    """A manager asks to close a case Carol holds: Carol's work, so not Carol's to authorise."""
    case = allocated_case(world, worker=world.tm_carol)
    asked = ask_closure(world, case, by=world.sm_dan)
    refused("your own work", casework.authorisation_decide, by=world.tm_carol, request=asked, authorise=True)
    refused("your own work", casework.authorisation_decide, by=world.sm_dan, request=asked, authorise=True)
    case.refresh_from_db()
    assert case.closure_date is None


def test_a_refusal_needs_reasons_and_leaves_the_case_open(world, lines):
    case = allocated_case(world)
    asked = ask_closure(world, case)
    refused("Give your reasons", casework.authorisation_decide, by=world.tm_carol, request=asked, authorise=False)
    casework.authorisation_decide(
        by=world.tm_carol, request=asked, authorise=False, reason="See the child first"
    )
    case.refresh_from_db()
    asked.refresh_from_db()
    assert case.closure_date is None and asked.status == "refused"
    assert "refused" in ManagementDecision.objects.get(case=case).decision
    notice = Notice.objects.get(user=world.sw_amy, subject="Case closure refused")
    assert "See the child first" in notice.body
    # A new request may follow the refusal; two waiting at once may not.
    again = casework.case_close(by=world.sw_amy, case=case, closure_date=timezone.localdate(), reason="RC7")
    refused(
        "already waiting", casework.case_close, by=world.sw_amy, case=case,
        closure_date=timezone.localdate(), reason="RC7",
    )  # fmt: skip
    assert again.is_pending


def test_a_closure_is_checked_again_when_authorised(world, lines):
    """Work recorded after the request (a child in need plan) stops the closure."""
    case = allocated_case(world)
    asked = ask_closure(world, case)
    casework.cin_plan_start(by=world.sw_amy, case=case, start_date=date(2025, 2, 3))
    refused("child in need plan is still open", casework.authorisation_decide, by=world.tm_carol, request=asked, authorise=True)
    case.refresh_from_db()
    asked.refresh_from_db()
    assert case.closure_date is None and asked.is_pending


# --- No further action on a referral ---------------------------------------------------------


def test_no_further_action_waits_for_the_front_doors_manager(world, lines):
    referral = referral_record(
        by=world.sw_amy, child=world.child_tom, received_date=REFERRED, source="6",
        decision="nfa", decision_date=REFERRED, reason="Advice given to the school",
    )  # fmt: skip
    case = referral.case
    assert (case.referral_nfa, case.closure_date) == (False, None)
    asked = case.authorisation_requests.get()
    assert asked.kind == "referral_nfa" and asked.reasons == "Advice given to the school"
    # The case is team A's (Amy opened it): Bob, of team B, is refused; Amy cannot decide.
    refused("Only Carol Chen", casework.authorisation_decide, by=lines, request=asked, authorise=True)
    with pytest.raises(PermissionDenied):
        casework.authorisation_decide(by=world.sw_amy, request=asked, authorise=True)
    casework.authorisation_decide(by=world.tm_carol, request=asked, authorise=True)
    case.refresh_from_db()
    assert (case.referral_nfa, case.closure_date, case.closure_reason) == (True, REFERRED, "RC7")


def test_a_managers_own_no_further_action_goes_up(world, lines):
    referral = referral_record(
        by=world.tm_carol, child=world.child_tom, received_date=REFERRED, source="6",
        decision="nfa", decision_date=REFERRED,
    )  # fmt: skip
    asked = referral.case.authorisation_requests.get()
    refused("your own work", casework.authorisation_decide, by=world.tm_carol, request=asked, authorise=True)
    casework.authorisation_decide(by=world.sm_dan, request=asked, authorise=True)
    referral.case.refresh_from_db()
    assert referral.case.referral_nfa


# --- The outcome of an assessment (decision 0035, aligned) -----------------------------------


def test_an_assessments_outcome_is_decided_by_the_cases_manager(world, lines):
    assessment = steps.submitted_assessment_of_sam(world)
    decide = {"assessment": assessment, "decision": "agree", "decided_on": steps.AUTHORISED}
    refused("Only Carol Chen", assessments.assessment_authorise, by=lines, **decide)
    refused("Only Carol Chen", assessments.assessment_authorise, by=world.sm_dan, **decide)
    # It waits in Carol's one queue, with the closures.
    waiting = selectors.waiting_for(world.tm_carol)
    assert [(i.label, i.case_id) for i in waiting] == [("Outcome of an assessment", assessment.case_id)]
    assert selectors.waiting_for(lines) == []
    assessments.assessment_authorise(by=world.tm_carol, **decide)
    assessment.refresh_from_db()
    assert assessment.is_complete and selectors.waiting_for(world.tm_carol) == []


def test_an_assessment_written_by_the_line_manager_goes_up(world, lines):
    case = steps.case_of_sam(world)
    assessment = assessments.assessment_start(by=world.tm_carol, case=case, kind="single", start_date=steps.STARTED)
    assessment = steps.submit(world, assessment, by=world.tm_carol)
    decide = {"assessment": assessment, "decision": "agree", "decided_on": steps.AUTHORISED}
    refused("you cannot authorise it", assessments.assessment_authorise, by=world.tm_carol, **decide)
    assert [i.case_id for i in selectors.waiting_for(world.sm_dan)] == [case.pk]
    assessments.assessment_authorise(by=world.sm_dan, **decide)


# --- The queue -------------------------------------------------------------------------------


def test_the_queue_is_oldest_first_with_how_long_each_waited_and_counted_on_home(world, lines, client):
    case = allocated_case(world)
    older = ask_closure(world, case)
    AuthorisationRequest.objects.filter(pk=older.pk).update(requested_at=timezone.now() - timedelta(days=9))
    newer = referral_record(
        by=world.sw_amy, child=world.child_tom, received_date=REFERRED, source="6",
        decision="nfa", decision_date=REFERRED,
    ).case.authorisation_requests.get()  # fmt: skip
    waiting = selectors.waiting_for(world.tm_carol)
    assert [i.url for i in waiting] == [
        reverse("casework:authorisation", args=[older.pk]),
        reverse("casework:authorisation", args=[newer.pk]),
    ]
    assert [i.days_waiting for i in waiting] == [9, 0]
    assert selectors.waiting_for(lines) == [] and selectors.waiting_for(world.sm_dan) == []
    client.force_login(world.tm_carol)
    home = client.get(reverse("work:home")).content.decode()
    assert "2 decisions waiting for your authorisation" in home
    page = client.get(reverse("casework:authorisations")).content.decode()
    assert page.index("Case closure") < page.index("No further action on a referral")
    assert "9 days" in page and "Sam Smith" in page and "Tom Jones" in page
    client.force_login(lines)
    assert "0 decisions waiting" in client.get(reverse("work:home")).content.decode()
    client.force_login(world.sw_amy)
    assert "waiting for your authorisation" not in client.get(reverse("work:home")).content.decode()
    assert client.get(reverse("casework:authorisations")).status_code == 403


def test_the_queue_reads_a_fixed_number_of_queries(world, lines, client):
    client.force_login(world.tm_carol)
    url = reverse("casework:authorisations")
    ask_closure(world, allocated_case(world))
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for child in (world.child_tom, world.child_sally):
        referral_record(
            by=world.sw_amy, child=child, received_date=REFERRED, source="6",
            decision="nfa", decision_date=REFERRED,
        )  # fmt: skip
    assert len(selectors.waiting_for(world.tm_carol)) == 3
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).status_code == 200
    assert len(three) == len(one)


def test_the_manager_decides_on_the_request_page(world, lines, client):
    case = allocated_case(world)
    asked = ask_closure(world, case)
    url = reverse("casework:authorisation", args=[asked.pk])
    client.force_login(lines)
    response = client.post(url, {"decision": "authorise", "version": asked.version})
    assert response.status_code == 200 and "Only Carol Chen" in response.content.decode()
    client.force_login(world.tm_carol)
    response = client.post(url, {"decision": "refuse", "reason": "", "version": asked.version})
    assert response.status_code == 200 and "Give your reasons" in response.content.decode()
    response = client.post(url, {"decision": "authorise", "version": asked.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.closure_date == CLOSED
    assert "Authorised by Carol Chen" in client.get(url).content.decode()


# --- The authority's list ----------------------------------------------------------------------


def test_the_authority_chooses_which_decisions_need_authorisation(world, lines):
    authority = world.authority
    assert set(authority.decisions_needing_authorisation) == {
        "referral_nfa", "case_closure", "step_down", "section47_conclusion", "assessment_outcome",
    }  # fmt: skip
    with pytest.raises(PermissionDenied):
        casework.authorisation_settings_update(by=world.tm_carol, authority=authority, kinds=[])
    refused("not one", casework.authorisation_settings_update, by=world.sm_dan, authority=authority, kinds=["case_closure", "made_up"])
    authority = casework.authorisation_settings_update(
        by=world.sm_dan, authority=authority, kinds=["referral_nfa"]
    )
    case = allocated_case(world)
    case.authority = authority
    closed = casework.case_close(by=world.sw_amy, case=case, closure_date=CLOSED, reason="RC7")
    assert closed.closure_date == CLOSED and not AuthorisationRequest.objects.exists()
    # Turned back on, closure waits again.
    authority = casework.authorisation_settings_update(
        by=world.sm_dan, authority=authority, kinds=["referral_nfa", "case_closure"]
    )
    assert authority.decisions_needing_authorisation == ["referral_nfa", "case_closure"]


# --- The conclusion of a section 47 enquiry, and step-down to early help ---------------------


def test_a_section_47_conclusion_waits_for_the_cases_manager(world, lines):
    from safeguard.protection import services as protection
    from safeguard.protection.tests.steps import enquiry_of_sam

    enquiry = enquiry_of_sam(world)
    asked = protection.section47_conclude(
        by=world.sw_amy, enquiry=enquiry, end_date=date(2025, 1, 20), outcome="cin"
    )
    enquiry.refresh_from_db()
    assert isinstance(asked, AuthorisationRequest) and asked.kind == "section47_conclusion"
    assert enquiry.end_date is None
    refused("Only Carol Chen", casework.authorisation_decide, by=lines, request=asked, authorise=True)
    with pytest.raises(PermissionDenied):
        casework.authorisation_decide(by=world.sw_amy, request=asked, authorise=True)
    casework.authorisation_decide(by=world.tm_carol, request=asked, authorise=True)
    enquiry.refresh_from_db()
    assert (enquiry.end_date, enquiry.outcome) == (date(2025, 1, 20), "cin")


def test_a_step_down_to_early_help_is_its_own_right(world, lines):
    """A closure referring the family to early help (RC9) is the step-down: it waits for the
    case's manager as "Step-down to early help", and is refused to the manager who asked."""
    assessment = steps.authorise(world, steps.assessment_of_sam(world))
    case = assessment.case
    asked = casework.case_close(by=world.tm_carol, case=case, closure_date=CLOSED, reason="RC9")
    assert asked.kind == "step_down"
    assert [i.label for i in selectors.waiting_for(world.sm_dan)] == ["Step-down to early help"]
    refused("your own work", casework.authorisation_decide, by=world.tm_carol, request=asked, authorise=True)
    casework.authorisation_decide(by=world.sm_dan, request=asked, authorise=True)
    case.refresh_from_db()
    assert (case.closure_date, case.closure_reason) == (CLOSED, "RC9")
    # With step-down off but closure on, the same closure is a closure to authorise.
    authority = casework.authorisation_settings_update(by=world.sm_dan, authority=world.authority, kinds=["case_closure"])
    assert casework.closure_kind(authority, "RC9") == "case_closure"
    authority = casework.authorisation_settings_update(by=world.sm_dan, authority=authority, kinds=[])
    assert casework.closure_kind(authority, "RC9") is None


def test_a_managers_own_section_47_conclusion_goes_up(world, lines):
    from safeguard.protection import services as protection
    from safeguard.protection.tests.steps import enquiry_of_sam

    enquiry = enquiry_of_sam(world)
    asked = protection.section47_conclude(
        by=world.tm_carol, enquiry=enquiry, end_date=date(2025, 1, 20), outcome="nfa"
    )
    assert asked.kind == "section47_conclusion"
    refused("your own work", casework.authorisation_decide, by=world.tm_carol, request=asked, authorise=True)
    refused("Only Dan", casework.authorisation_decide, by=lines, request=asked, authorise=True)
    enquiry.refresh_from_db()
    assert enquiry.end_date is None
    casework.authorisation_decide(by=world.sm_dan, request=asked, authorise=True)
    enquiry.refresh_from_db()
    assert (enquiry.end_date, enquiry.outcome) == (date(2025, 1, 20), "nfa")


def test_a_workers_step_down_waits_for_the_cases_manager_only(world, lines):
    assessment = steps.authorise(world, steps.assessment_of_sam(world))
    case = assessment.case
    asked = casework.case_close(by=world.sw_amy, case=case, closure_date=CLOSED, reason="RC9")
    assert asked.kind == "step_down"
    # Bob manages another team; Dan is above Carol, not the case's line manager; Amy asked.
    refused("Only Carol Chen", casework.authorisation_decide, by=lines, request=asked, authorise=True)
    refused("Only Carol Chen", casework.authorisation_decide, by=world.sm_dan, request=asked, authorise=True)
    with pytest.raises(PermissionDenied):
        casework.authorisation_decide(by=world.sw_amy, request=asked, authorise=True)
    case.refresh_from_db()
    assert case.closure_date is None
    casework.authorisation_decide(by=world.tm_carol, request=asked, authorise=True)
    case.refresh_from_db()
    assert (case.closure_date, case.closure_reason) == (CLOSED, "RC9")
