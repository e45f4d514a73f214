"""The demo's referrals to services (decision 0080): referrals in every status, each step on
the child's chronology; early help assessments with needs, whose pages suggest services; and
the waiting times page has figures."""

import pytest
from django.urls import reverse

from safeguard.accounts.models import User
from safeguard.casework.models import ChronologyEntry
from safeguard.directory.codes import ReferralStatus
from safeguard.directory.models import ServiceReferral
from safeguard.directory.referral_selectors import service_waits
from safeguard.earlyhelp.models import EarlyHelpAssessment

pytestmark = pytest.mark.xdist_group("borough")


@pytest.mark.django_db
def test_referrals_in_every_status(borough, client):
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
    waits = service_waits([one.service_id], on=borough.as_at)[one.service_id]
    assert waits.sent >= 1 and waits.median_days is not None
    page = client.get(reverse("service_referrals:waiting-times")).content.decode()
    assert one.service.name in page
    eha = EarlyHelpAssessment.objects.first()
    page = client.get(reverse("earlyhelp:eha-detail", args=[eha.pk])).content.decode()
    assert "Services that may help" in page
