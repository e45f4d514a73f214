"""The demo's referrals to services (decision 0080): referrals in every status, each step on
the child's chronology; early help assessments with needs, whose pages suggest services; and
the waiting times page has figures."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.casework.models import ChronologyEntry
from safeguard.directory.codes import ReferralStatus
from safeguard.directory.models import ServiceReferral
from safeguard.directory.referral_selectors import service_waits
from safeguard.earlyhelp.models import EarlyHelpAssessment


@pytest.mark.django_db
def test_referrals_in_every_status(settings, tmp_path, client):
    settings.SAFEGUARD_DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.txt"
    call_command("demo", children=300, seed=7, as_at=timezone.localdate().isoformat(), stdout=None)
    referrals = ServiceReferral.objects.all()
    assert set(referrals.values_list("status", flat=True)) == set(ReferralStatus.values)
    entries = ChronologyEntry.objects.filter(source_type="directory.servicereferral")
    assert (
        entries.filter(source_id__endswith=":ended").count()
        == referrals.filter(status=ReferralStatus.ENDED).count()
    )
    assert not EarlyHelpAssessment.objects.filter(identified_needs=[]).exists()
    client.force_login(User.objects.get(username="sw1"))
    one = referrals.filter(status=ReferralStatus.STARTED).first()
    page = client.get(reverse("service_referrals:detail", args=[one.pk]))
    assert page.status_code == 200 and one.service.name in page.content.decode()
    waits = service_waits([one.service_id], on=timezone.localdate())[one.service_id]
    assert waits.sent >= 1 and waits.median_days is not None
    page = client.get(reverse("service_referrals:waiting-times")).content.decode()
    assert one.service.name in page
    eha = EarlyHelpAssessment.objects.first()
    page = client.get(reverse("earlyhelp:eha-detail", args=[eha.pk])).content.decode()
    assert "Services that may help" in page
