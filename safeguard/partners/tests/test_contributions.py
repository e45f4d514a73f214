"""Contributions to steps and plans (issue 17 item 5, decision 0069): partner practitioners
invited by name to a child protection step see only that step and what it needs, and send
their agency's report before a conference, on time or late; the agency that owns a plan
action sees it and records progress on it; their entries join the child's chronology marked
with their agency."""

import html
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import Role, User
from safeguard.audit.models import AccessEvent
from safeguard.casework.models import ChronologyEntry
from safeguard.casework.selectors import step_page_url
from safeguard.core.errors import ApplicationError
from safeguard.notices.models import Notice
from safeguard.partners import permissions, selectors, services
from safeguard.partners.models import StepInvitation, StepKind
from safeguard.partners.permissions import Action
from safeguard.partners.tests.contributions import (
    PURPOSE,
    make_invitation,
    moved_to,
    police_action,
)
from safeguard.people.tests.sealing import seal
from safeguard.protection import services as protection
from safeguard.protection.models import ActionStatus, PlanAction
from safeguard.protection.tests.steps import ATTENDEES, ICPC, case_of_sam, plan_of_sam
from safeguard.testing.queries import MAX_QUERIES, queries

pytestmark = pytest.mark.django_db

# What no notice may say: notices are emailed.
CHILD_WORDS = ("Sam", "Smith", "9434765919", "14 March 2015")
REPORT = {
    "known": "Two call-outs to the address in 2024; no arrests.",
    "concerns": "Shouting heard by neighbours late at night.",
    "strengths": "Mother engaged with the officer.",
    "recommendation": "A child protection plan under neglect.",
}


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _reported(invitation, *, on: date) -> StepInvitation:
    """``invitation``'s report as if it had been sent on ``on``."""
    StepInvitation.objects.filter(pk=invitation.pk).update(
        reported_at=timezone.make_aware(timezone.datetime(on.year, on.month, on.day, 10)),
        reported_by=invitation.practitioner,
        **REPORT,
    )
    invitation.refresh_from_db()
    return invitation


def _police_colleague(world) -> User:
    return User.objects.create_user(
        username="pc-quinn", agency=world.police, role=Role.PARTNER_PRACTITIONER,
        first_name="Quinn", last_name="Quayle",
    )  # fmt: skip


# --- Inviting ---------------------------------------------------------------------------------


def test_a_social_worker_invites_the_police_practitioner_who_is_told_without_the_childs_name(
    world, client
):
    case = case_of_sam(world)
    client.force_login(world.sw_amy)
    day = timezone.localdate() + timedelta(days=12)
    response = client.post(
        reverse("partners:invitation-new", args=[case.pk]),
        {
            "kind": StepKind.CONFERENCE,
            "conference_kind": "initial",
            "meeting_date_day": day.day, "meeting_date_month": day.month,
            "meeting_date_year": day.year,
            "practitioner": str(world.police_pat.pk),
            "purpose": PURPOSE,
        },
    )  # fmt: skip
    assert response.status_code == 302, _text(response)
    invitation = StepInvitation.objects.get()
    assert invitation.agency == world.police and invitation.child == world.child_sam
    assert invitation.invited_by == world.sw_amy
    notice = Notice.objects.get(user=world.police_pat)
    for word in CHILD_WORDS:
        assert word not in notice.subject and word not in notice.body
    assert notice.url == reverse("partners:contribution", args=[invitation.pk])
    listed = _text(client.get(reverse("partners:case-invitations", args=[case.pk])))
    assert "Pat Patel" in listed and "Report to send" in listed


def test_a_chair_invites_to_a_conference_only(world):
    case = case_of_sam(world)
    make_invitation(world, case=case, by=world.chair_iris)
    with pytest.raises(PermissionDenied):
        make_invitation(world, case=case, by=world.chair_iris, kind=StepKind.STRATEGY)


@pytest.mark.parametrize("who", ["police_pat", "health_hana", "analyst_eve", "other_sw"])
def test_nobody_else_invites(world, who):
    case = case_of_sam(world)
    with pytest.raises(PermissionDenied):
        make_invitation(world, case=case, by=getattr(world, who))
    assert not StepInvitation.objects.exists()


@pytest.mark.parametrize("who", ["sw_ben", "clinician_cam", "other_sw"])
def test_only_a_partner_practitioner_of_the_authority_is_invited(world, who):
    with pytest.raises(ApplicationError, match="partner agencies"):
        make_invitation(world, practitioner=getattr(world, who))


def test_an_invitation_needs_a_purpose_and_a_date_not_past_and_is_made_once(world):
    case = case_of_sam(world)
    with pytest.raises(ApplicationError, match="what the step is for"):
        make_invitation(world, case=case, purpose="  ")
    with pytest.raises(ApplicationError, match="past"):
        make_invitation(world, case=case, days=-1)
    make_invitation(world, case=case)
    with pytest.raises(ApplicationError, match="already invited"):
        make_invitation(world, case=case)


def test_a_sealed_childs_step_cannot_be_invited_to(world):
    case = case_of_sam(world)
    seal(world, world.child_sam)
    with pytest.raises(ApplicationError, match="sealed"):
        make_invitation(world, case=case)
    assert not StepInvitation.objects.exists()


# --- What the practitioner sees ---------------------------------------------------------------


def test_the_practitioner_sees_the_child_the_step_and_its_purpose_and_nothing_else(world, client):
    invitation = make_invitation(world)
    protection.strategy_discussion_record(
        by=world.sw_amy, case=invitation.case, discussion_date=invitation.case.referral_date,
        attendees=ATTENDEES, decision="s47", notes="Secret strategy notes about the father",
    )  # fmt: skip
    client.force_login(world.police_pat)
    before = AccessEvent.objects.filter(person_id=world.child_sam.pk).count()
    page = _text(client.get(reverse("partners:contribution", args=[invitation.pk])))
    assert "Sam Smith" in page and "14 March 2015" in page and "9434765919" in page
    assert PURPOSE in page and "Initial child protection conference" in page
    assert "Secret strategy notes" not in page and "1 Test Street" not in page
    assert AccessEvent.objects.filter(person_id=world.child_sam.pk).count() == before + 1
    listed = _text(client.get(reverse("partners:contributions")))
    assert "Sam Smith" in listed and "Report to send" in listed
    # The rest of the record stays closed to them.
    assert client.get(reverse("casework:case-detail", args=[invitation.case_id])).status_code == 404
    assert (
        client.get(reverse("partners:case-invitations", args=[invitation.case_id])).status_code
        == 404
    )


def test_another_agency_and_a_colleague_not_invited_do_not_find_it(world, client):
    invitation = make_invitation(world)
    for user in (world.health_hana, _police_colleague(world)):
        client.force_login(user)
        url = reverse("partners:contribution", args=[invitation.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, REPORT).status_code == 404
        assert "Sam Smith" not in _text(client.get(reverse("partners:contributions")))
    assert not StepInvitation.objects.get().is_reported


def test_a_seal_closes_the_invitation_to_the_practitioner(world, client):
    invitation = make_invitation(world)
    seal(world, world.child_sam)
    client.force_login(world.police_pat)
    assert client.get(reverse("partners:contribution", args=[invitation.pk])).status_code == 404
    assert "Sam Smith" not in _text(client.get(reverse("partners:contributions")))
    with pytest.raises(PermissionDenied):
        services.report_submit(by=world.police_pat, invitation=invitation, **REPORT)


# --- Reports ----------------------------------------------------------------------------------


def test_the_practitioner_sends_the_report_which_joins_the_chronology_with_the_agency(
    world, client
):
    invitation = make_invitation(world)
    client.force_login(world.police_pat)
    url = reverse("partners:contribution", args=[invitation.pk])
    assert client.post(url, REPORT).status_code == 302
    invitation.refresh_from_db()
    assert invitation.is_reported and invitation.reported_by == world.police_pat
    assert invitation.reported_on_time is True
    entry = ChronologyEntry.objects.get(source_type="partners.invitationreport")
    assert entry.source_agency == "Testshire Police" and entry.child == world.child_sam
    assert step_page_url(entry) == url
    assert Notice.objects.filter(user=world.sw_amy, url=url).exists()
    # Once: the form is gone and a second report is refused.
    assert "Send report" not in _text(client.get(url))
    with pytest.raises(ApplicationError, match="already been sent"):
        services.report_submit(by=world.police_pat, invitation=invitation, **REPORT)


def test_nobody_reports_for_an_agency_they_are_not_in(world):
    invitation = make_invitation(world)
    for user in (world.sw_amy, world.health_hana, _police_colleague(world)):
        with pytest.raises(PermissionDenied):
            services.report_submit(by=user, invitation=invitation, **REPORT)
    # The practitioner invited, since moved to the health trust, reports no more.
    User.objects.filter(pk=world.police_pat.pk).update(agency=world.health)
    moved = User.objects.get(pk=world.police_pat.pk)
    with pytest.raises(PermissionDenied):
        services.report_submit(by=moved, invitation=invitation, **REPORT)


def test_a_report_needs_what_the_agency_knows_and_a_recommendation(world):
    invitation = make_invitation(world)
    with pytest.raises(ApplicationError, match="knows"):
        services.report_submit(
            by=world.police_pat, invitation=invitation, **(REPORT | {"known": " "})
        )
    with pytest.raises(ApplicationError, match="recommendation"):
        services.report_submit(
            by=world.police_pat, invitation=invitation, **(REPORT | {"recommendation": ""})
        )


def test_a_conference_report_is_due_three_working_days_before_and_lateness_is_worked_out(world):
    invitation = make_invitation(world)
    # Monday 27 January 2025: due Wednesday 22 January.
    invitation = moved_to(invitation, ICPC)
    assert invitation.report_due_on() == date(2025, 1, 22)
    assert invitation.report_status(date(2025, 1, 22)) == "waiting"
    assert invitation.report_status(date(2025, 1, 23)) == "overdue"
    assert _reported(invitation, on=date(2025, 1, 22)).reported_on_time is True
    assert _reported(invitation, on=date(2025, 1, 23)).report_status(ICPC) == "late"
    # Over a bank holiday: Tuesday 6 May 2025 counts back past Monday 5 May.
    assert moved_to(invitation, date(2025, 5, 6)).report_due_on() == date(2025, 4, 30)
    # The other steps: due on the day itself.
    strategy = make_invitation(
        world, case=invitation.case, kind=StepKind.STRATEGY, conference_kind=""
    )
    assert strategy.report_due_on() == strategy.meeting_date


def test_the_conference_page_lists_the_reports_by_agency_and_who_has_not_reported(world, client):
    plan = plan_of_sam(world)
    conference = plan.conferences.get()
    police = moved_to(make_invitation(world, case=plan.case), ICPC)
    school = moved_to(make_invitation(world, case=plan.case, practitioner=world.school_sid), ICPC)
    health = moved_to(make_invitation(world, case=plan.case, practitioner=world.health_hana), ICPC)
    _reported(police, on=date(2025, 1, 20))
    _reported(school, on=date(2025, 1, 24))
    url = reverse("protection:conference-detail", args=[conference.pk])
    for reader in (world.sw_amy, world.chair_iris):
        client.force_login(reader)
        page = _text(client.get(url))
        sent = page[page.index('id="reports-sent"') : page.index('id="reports-missing"')]
        assert sent.index("Testshire Police") < sent.index("Testshire Schools")
        assert "On time" in sent and "Late" in sent
        missing = page[page.index('id="reports-missing"') :]
        assert "Hana Hussain, Testshire Health Trust" in missing
        assert reverse("partners:contribution", args=[health.pk]) in missing
    # Analysts see the conference, not the reports (narrative).
    client.force_login(world.analyst_eve)
    page = _text(client.get(url))
    assert "Agencies' reports" not in page and "neglect" not in page.split("Core group")[-1]
    assert permissions.can(world.analyst_eve, Action.SEE_INVITATION, police) is False


def test_the_conference_page_makes_a_fixed_number_of_queries_however_many_reports(world, client):
    plan = plan_of_sam(world)
    conference = plan.conferences.get()
    url = reverse("protection:conference-detail", args=[conference.pk])
    client.force_login(world.sw_amy)
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        # Savepoints and the audit chain's lock are bookkeeping, as on every page's count.
        return len(queries([q["sql"] for q in captured.captured_queries]))

    few = count()
    for user in (world.police_pat, world.school_sid, world.health_hana, world.voluntary_val):
        invitation = moved_to(make_invitation(world, case=plan.case, practitioner=user), ICPC)
        if user != world.voluntary_val:
            _reported(invitation, on=date(2025, 1, 20))
    assert count() == few <= MAX_QUERIES


def test_the_practitioners_list_and_home_page_make_a_fixed_number_of_queries(world, client):
    plan = plan_of_sam(world)
    make_invitation(world, case=plan.case, days=2)
    police_action(world, plan)
    client.force_login(world.police_pat)
    urls = [reverse("partners:contributions"), reverse("partners:agency-actions")]
    client.get(urls[0])

    def counts() -> list[int]:
        out = []
        for url in urls + [reverse("work:home")]:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            out.append(len(captured.captured_queries))
        return out

    few = counts()
    for days in range(3, 8):
        make_invitation(world, case=plan.case, days=days)
        police_action(world, plan)
    many = counts()
    assert many == few
    home = _text(client.get(reverse("work:home")))
    assert "6 reports to send" in home and "6 open" in home


# --- Plan actions the agency owns -------------------------------------------------------------


def test_the_agency_sees_its_actions_and_records_progress_which_joins_the_chronology(world, client):
    plan = plan_of_sam(world)
    ours = police_action(world, plan)
    theirs = police_action(world, plan, agency=world.health)
    client.force_login(world.police_pat)
    listed = _text(client.get(reverse("partners:agency-actions")))
    assert reverse("partners:agency-action", args=[ours.pk]) in listed
    assert reverse("partners:agency-action", args=[theirs.pk]) not in listed
    assert client.get(reverse("partners:agency-action", args=[theirs.pk])).status_code == 404
    url = reverse("partners:agency-action", args=[ours.pk])
    # Each read of the child is an access event.
    before = AccessEvent.objects.filter(person_id=world.child_sam.pk, user=world.police_pat)
    count = before.count()
    assert client.get(url).status_code == 200
    assert before.count() == count + 1
    response = client.post(url, {"status": ActionStatus.DONE, "note": "Outcome shared."})
    assert response.status_code == 302, _text(response)
    ours.refresh_from_db()
    assert ours.status == ActionStatus.DONE and ours.closed_on == timezone.localdate()
    entry = ChronologyEntry.objects.get(source_type="partners.agencyprogress")
    assert entry.source_agency == "Testshire Police" and entry.outcome == "Outcome shared."
    progress = ours.progress.get()
    assert step_page_url(entry) == reverse("partners:agency-progress", args=[progress.pk])
    # Social care reads the progress through the link; the police see it too.
    client.force_login(world.sw_amy)
    assert "Outcome shared." in _text(client.get(step_page_url(entry)))
    # A closed action takes no more progress.
    client.force_login(world.police_pat)
    assert "Record progress" not in _text(client.get(url))


def test_progress_is_granted_to_the_owning_agency_and_nothing_more(world, client):
    plan = plan_of_sam(world)
    ours = police_action(world, plan)
    for user in (world.health_hana, world.clinician_cam, world.analyst_eve, world.chair_iris):
        with pytest.raises(PermissionDenied):
            services.agency_action_progress(by=user, action=ours, status="in_progress", note="x")
        with pytest.raises(PermissionDenied):
            protection.plan_action_progress(
                by=user, action=ours, recorded_on=timezone.localdate(), status="in_progress",
                note="x",
            )  # fmt: skip
    # The police record progress on their action, but nothing else on the plan: not a new
    # action, not the plan's outcomes, not another owner's action, not the protection pages.
    amy_action = protection.plan_action_add(
        by=world.sw_amy, plan=plan, description="Visit weekly", due_date=plan.start_date,
        owner_user=world.sw_amy,
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.agency_action_progress(
            by=world.police_pat, action=amy_action, status="done", note="x"
        )
    with pytest.raises(PermissionDenied):
        protection.plan_action_add(
            by=world.police_pat, plan=plan, description="x", due_date=plan.start_date,
            owner_agency=world.police,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        protection.plan_write(by=world.police_pat, plan=plan, outcomes="x", contingency="y")
    client.force_login(world.police_pat)
    for url in (
        reverse("protection:action-progress", args=[ours.pk]),
        reverse("protection:plan-detail", args=[plan.pk]),
    ):
        assert client.get(url).status_code == 404
    # Social care records as before.
    protection.plan_action_progress(
        by=world.sw_amy, action=ours, recorded_on=timezone.localdate(), status="in_progress",
        note="Chased the police.",
    )  # fmt: skip


def test_an_action_owned_by_the_practitioner_by_name_is_theirs_too(world):
    plan = plan_of_sam(world)
    action = protection.plan_action_add(
        by=world.sw_amy, plan=plan, description="School reports attendance weekly",
        due_date=plan.start_date, owner_user=world.school_sid,
    )  # fmt: skip
    rows = selectors.agency_actions(user=world.school_sid, today=timezone.localdate())
    assert [r.pk for r in rows] == [action.pk]
    services.agency_action_progress(
        by=world.school_sid, action=action, status="in_progress", note="Attending daily."
    )
    assert PlanAction.objects.get(pk=action.pk).status == ActionStatus.IN_PROGRESS


def test_a_sealed_childs_actions_close_to_the_agency(world, client):
    action = police_action(world)
    seal(world, world.child_sam)
    assert selectors.agency_actions(user=world.police_pat, today=timezone.localdate()) == []
    client.force_login(world.police_pat)
    assert client.get(reverse("partners:agency-action", args=[action.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.agency_action_progress(
            by=world.police_pat, action=action, status="in_progress", note="x"
        )


def test_the_case_invitations_page_makes_a_fixed_number_of_queries(world, client):
    plan = plan_of_sam(world)
    make_invitation(world, case=plan.case, days=10)
    url = reverse("partners:case-invitations", args=[plan.case_id])
    client.force_login(world.sw_amy)
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    few = count()
    for user in (world.school_sid, world.health_hana, world.voluntary_val):
        invitation = make_invitation(world, case=plan.case, practitioner=user, days=4)
        services.report_submit(by=user, invitation=invitation, **REPORT)
    assert count() == few
    page = _text(client.get(url))
    assert page.count("Sent on time") == 3 and "Report to send" in page


def test_the_agency_sees_and_updates_an_action_it_owns_on_a_child_in_need_plan(world, client):
    """Decisions 0068 and 0069 together: an action on a child in need plan owned by the police
    is on their list, and they record its progress, as social care does."""
    from safeguard.casework import services as casework

    case = case_of_sam(world)
    plan = casework.cin_plan_start(by=world.sw_amy, case=case, start_date=case.referral_date)
    action = protection.cin_plan_action_add(
        by=world.sw_amy, cin_plan=plan, description="Share police call-outs to the address",
        due_date=timezone.localdate() + timedelta(days=14), owner_agency=world.police,
    )  # fmt: skip
    client.force_login(world.police_pat)
    url = reverse("partners:agency-action", args=[action.pk])
    assert url in _text(client.get(reverse("partners:agency-actions")))
    assert "Share police call-outs" in _text(client.get(url))
    response = client.post(
        url, {"status": ActionStatus.IN_PROGRESS, "note": "Two call-outs shared."}
    )
    assert response.status_code == 302, _text(response)
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    # Social care records progress on the same kind of action too.
    protection.plan_action_progress(
        by=world.sw_amy, action=action, recorded_on=timezone.localdate(),
        status=ActionStatus.DONE, note="Call-outs reviewed at the review.",
    )  # fmt: skip
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
