"""Reminders of overdue conference reports (decision 0073): the nightly job tells each invited
practitioner whose conference report is overdue, in the app and by email without the child's
name, once per invitation."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from safeguard.core import schedule
from safeguard.notices.models import Notice
from safeguard.partners import services
from safeguard.partners.models import StepInvitation, StepKind
from safeguard.partners.reminders import remind_overdue_reports
from safeguard.partners.tests.contributions import make_invitation, moved_to
from safeguard.people.tests.sealing import seal
from safeguard.protection.tests.steps import plan_of_sam

pytestmark = pytest.mark.django_db

CHILD_WORDS = ("Sam", "Smith", "9434765919", "14 March 2015")
REPORT = {"known": "Known to us.", "concerns": "", "strengths": "", "recommendation": "A plan."}


@pytest.fixture
def case(world):
    return plan_of_sam(world).case


def _overdue(world, case, practitioner, **fields):
    """An invitation to a conference tomorrow: its report was due three working days before,
    so it is overdue today."""
    invitation = make_invitation(world, case=case, practitioner=practitioner, **fields)
    return moved_to(invitation, timezone.localdate() + timedelta(days=1))


def test_the_job_reminds_once_by_notice_and_email_naming_no_child(
    world, case, django_capture_on_commit_callbacks
):
    world.police_pat.email = "pat@police.example"
    world.police_pat.save()
    invitation = _overdue(world, case, world.police_pat)
    Notice.objects.all().delete()
    mail.outbox.clear()
    job = schedule.job("remind-partner-reports")
    with django_capture_on_commit_callbacks(execute=True):
        assert job.run() == "1 reminder of overdue conference reports sent"
    with django_capture_on_commit_callbacks(execute=True):
        assert job.run() == "0 reminders of overdue conference reports sent"
    notice = Notice.objects.get()
    assert notice.user == world.police_pat and notice.subject.startswith("Report overdue")
    assert str(invitation.pk) in notice.url
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["pat@police.example"]
    for word in CHILD_WORDS:
        assert word not in mail.outbox[0].subject and word not in notice.body
    assert StepInvitation.objects.get(pk=invitation.pk).reminded_at is not None


def test_nobody_is_reminded_of_a_report_sent_withdrawn_not_yet_due_or_past_its_conference(
    world, case
):
    sent = _overdue(world, case, world.police_pat)
    StepInvitation.objects.filter(pk=sent.pk).update(
        reported_at=timezone.now(), reported_by=world.police_pat, **REPORT
    )
    withdrawn = _overdue(world, case, world.health_hana)
    services.invitation_withdraw(by=world.sw_amy, invitation=withdrawn, reason="Moved")
    make_invitation(world, case=case, practitioner=world.school_sid, days=20)  # not yet due
    held = make_invitation(world, case=case, practitioner=world.voluntary_val)
    moved_to(held, timezone.localdate() - timedelta(days=1))  # the conference is over
    strategy = make_invitation(world, case=case, kind=StepKind.STRATEGY, days=1)
    moved_to(strategy, timezone.localdate() - timedelta(days=0))  # not a conference report
    Notice.objects.all().delete()
    assert remind_overdue_reports() == "0 reminders of overdue conference reports sent"
    assert not Notice.objects.exists()


def test_a_sealed_childs_practitioner_or_one_who_left_is_not_reminded(world, case):
    _overdue(world, case, world.police_pat)
    left = _overdue(world, case, world.health_hana)
    world.health_hana.is_active = False
    world.health_hana.save()
    seal(world, world.child_sam)
    Notice.objects.all().delete()
    assert remind_overdue_reports() == "0 reminders of overdue conference reports sent"
    assert StepInvitation.objects.get(pk=left.pk).reminded_at is None
