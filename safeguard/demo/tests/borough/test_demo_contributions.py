"""The demo's contributions (decision 0069): invitations of the police, health and a school to
a conference already held (a report on time, one late, one missing) and to steps to come (one
withdrawn, decision 0073), and
their agencies' progress on the plan actions they own, so that every page shows something."""

import pytest

from safeguard.accounts.models import User
from safeguard.casework.models import ChronologyEntry
from safeguard.notices.models import Notice
from safeguard.partners import selectors
from safeguard.partners.models import StepInvitation

pytestmark = pytest.mark.xdist_group("borough")


@pytest.mark.django_db
def test_invitations_reports_and_progress_are_in_every_state(borough):
    as_at = borough.as_at
    invitations = StepInvitation.objects.all()
    statuses = {i.report_status(as_at) for i in invitations}
    assert {"on_time", "late", "overdue", "waiting", "withdrawn"} <= statuses
    withdrawn = invitations.get(withdrawn_at__isnull=False)
    assert withdrawn.withdrawn_by.username == "sw1" and withdrawn.withdrawal_reason
    assert {"attended", "apologies"} <= set(invitations.values_list("attendance", flat=True))
    reminded = invitations.get(reminded_at__isnull=False)
    assert (
        reminded.practitioner.username == "police1" and reminded.report_status(as_at) == "overdue"
    )
    assert Notice.objects.filter(user=reminded.practitioner, subject__startswith="Report overdue")
    for username in ("police1", "health1", "school1"):
        user = User.objects.get(username=username)
        assert selectors.invitations_for(user=user, today=as_at), username
    reports = ChronologyEntry.objects.filter(source_type="partners.invitationreport")
    assert reports.count() == 3 and all(e.source_agency for e in reports)
    progress = ChronologyEntry.objects.filter(source_type="partners.agencyprogress")
    assert progress.exists() and all(e.source_agency for e in progress)
