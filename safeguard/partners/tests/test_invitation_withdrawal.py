"""Withdrawing an invitation (decision 0073): whoever may invite to the step withdraws an
invitation whose report has not been sent, saying why; the practitioner loses the step at once
and is told; the change event keeps who, when and why; the case's invitations show it."""

import html

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguard.audit.models import ChangeEvent
from safeguard.core.errors import ApplicationError
from safeguard.notices.models import Notice
from safeguard.partners import selectors, services
from safeguard.partners.models import StepInvitation, StepKind
from safeguard.partners.tests.contributions import make_invitation
from safeguard.protection.tests.steps import plan_of_sam

pytestmark = pytest.mark.django_db

CHILD_WORDS = ("Sam", "Smith", "9434765919", "14 March 2015")
REASON = "The conference has moved to another day; a new invitation follows."
REPORT = {
    "known": "Two call-outs to the address in 2024; no arrests.",
    "concerns": "",
    "strengths": "",
    "recommendation": "A child protection plan under neglect.",
}


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_social_worker_withdraws_and_the_practitioner_loses_the_step_at_once(world, client):
    invitation = make_invitation(world)
    step = reverse("partners:contribution", args=[invitation.pk])
    client.force_login(world.police_pat)
    assert client.get(step).status_code == 200
    Notice.objects.all().delete()

    client.force_login(world.sw_amy)
    form = reverse("partners:invitation-withdraw", args=[invitation.pk])
    assert "Withdraw the invitation of Pat Patel" in _text(client.get(form))
    response = client.post(form, {"reason": REASON})
    assert response.status_code == 302
    assert response.url == reverse("partners:case-invitations", args=[invitation.case_id])

    invitation.refresh_from_db()
    assert invitation.is_withdrawn and invitation.withdrawn_by == world.sw_amy
    assert invitation.withdrawal_reason == REASON
    event = ChangeEvent.objects.filter(
        target_type="partners.stepinvitation", target_id=str(invitation.pk)
    ).latest("sequence")
    assert event.user == world.sw_amy and event.after["withdrawal_reason"] == REASON
    assert event.before["withdrawn_at"] is None
    # The practitioner: told, without the child's name; the step refused; gone from the list.
    notice = Notice.objects.get(user=world.police_pat)
    assert "withdrawn" in notice.subject.lower()
    for word in CHILD_WORDS:
        assert word not in notice.subject and word not in notice.body
    client.force_login(world.police_pat)
    assert client.get(step).status_code == 404
    assert client.post(step, REPORT).status_code == 404
    assert "Sam Smith" not in _text(client.get(reverse("partners:contributions")))
    with pytest.raises(ApplicationError):
        services.report_submit(by=world.police_pat, invitation=invitation, **REPORT)
    # The case's invitations show it withdrawn, by whom and why; the step page too.
    client.force_login(world.tm_carol)
    listed = _text(client.get(reverse("partners:case-invitations", args=[invitation.case_id])))
    assert "Withdrawn" in listed and "Amy Adeyemi" in listed and REASON in listed
    assert REASON in _text(client.get(step))


def test_a_reason_is_needed_and_nothing_changes_without_one(world, client):
    invitation = make_invitation(world)
    client.force_login(world.sw_amy)
    response = client.post(
        reverse("partners:invitation-withdraw", args=[invitation.pk]), {"reason": "  "}
    )
    assert response.status_code == 200
    assert "Enter why the invitation is withdrawn" in _text(response)
    invitation.refresh_from_db()
    assert not invitation.is_withdrawn
    assert not Notice.objects.filter(subject__startswith="Invitation withdrawn").exists()


def test_the_practitioner_invited_never_withdraws_their_own_invitation(world, client):
    invitation = make_invitation(world)
    client.force_login(world.police_pat)
    url = reverse("partners:invitation-withdraw", args=[invitation.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": REASON}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.invitation_withdraw(by=world.police_pat, invitation=invitation, reason=REASON)
    assert "Withdraw this invitation" not in _text(
        client.get(reverse("partners:contribution", args=[invitation.pk]))
    )
    assert not StepInvitation.objects.get().is_withdrawn


def test_a_chair_withdraws_from_a_conference_only(world):
    plan = plan_of_sam(world)
    conference = make_invitation(world, case=plan.case)
    strategy = make_invitation(world, case=plan.case, kind=StepKind.STRATEGY)
    with pytest.raises(PermissionDenied):
        services.invitation_withdraw(by=world.chair_iris, invitation=strategy, reason=REASON)
    services.invitation_withdraw(by=world.chair_iris, invitation=conference, reason=REASON)
    assert StepInvitation.objects.get(pk=conference.pk).withdrawn_by == world.chair_iris
    for who in ("analyst_eve", "other_sw", "health_hana"):
        with pytest.raises(PermissionDenied):
            services.invitation_withdraw(by=getattr(world, who), invitation=strategy, reason=REASON)


def test_a_report_sent_or_a_withdrawal_made_cannot_be_withdrawn_again(world, client):
    invitation = make_invitation(world)
    services.report_submit(by=world.police_pat, invitation=invitation, **REPORT)
    with pytest.raises(ApplicationError, match="report has been sent"):
        services.invitation_withdraw(by=world.sw_amy, invitation=invitation, reason=REASON)
    client.force_login(world.sw_amy)
    url = reverse("partners:invitation-withdraw", args=[invitation.pk])
    assert client.post(url, {"reason": REASON}).status_code == 403
    other = make_invitation(world, case=invitation.case, practitioner=world.health_hana)
    services.invitation_withdraw(by=world.sw_amy, invitation=other, reason=REASON)
    with pytest.raises(ApplicationError, match="already been withdrawn"):
        services.invitation_withdraw(by=world.sw_amy, invitation=other, reason=REASON)


def test_a_withdrawn_practitioner_may_be_invited_again_and_is_not_awaited(world):
    invitation = make_invitation(world)
    services.invitation_withdraw(by=world.sw_amy, invitation=invitation, reason=REASON)
    again = make_invitation(world, case=invitation.case)  # the same step and practitioner
    assert again.pk != invitation.pk and not again.is_withdrawn
    assert [
        i.pk for i in selectors.invitations_for(user=world.police_pat, today=again.meeting_date)
    ] == [again.pk]


def test_the_case_invitations_page_makes_a_fixed_number_of_queries_with_withdrawals(world, client):
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
        services.invitation_withdraw(by=world.tm_carol, invitation=invitation, reason=REASON)
    assert count() == few
    page = _text(client.get(url))
    assert page.count(REASON) == 3 and page.count("Carol Chen") == 3
