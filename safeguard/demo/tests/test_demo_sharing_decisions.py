"""The demo's information-sharing decisions (decision 0070): decisions to share and not to
share, each with its chronology entry, on children of sw1's caseload; sw1 sees them on the
child's page."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.casework.models import ChronologyEntry
from safeguard.partners.models import InformationSharingDecision, SharingConsent, SharingDecision


@pytest.mark.django_db
def test_decisions_to_share_and_not_to_share(settings, tmp_path, client):
    settings.SAFEGUARD_DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.txt"
    as_at = timezone.localdate()
    call_command("demo", children=300, seed=7, as_at=as_at.isoformat(), stdout=None)
    decisions = InformationSharingDecision.objects.all()
    assert decisions.count() >= 5
    assert set(decisions.values_list("decision", flat=True)) == set(SharingDecision.values)
    assert decisions.filter(recipient_agency__isnull=True).exists()
    assert (
        decisions.filter(consent=SharingConsent.NOT_SOUGHT)
        .exclude(consent_not_sought_reason="")
        .exists()
    )
    entries = ChronologyEntry.objects.filter(source_type="partners.informationsharingdecision")
    assert entries.count() == decisions.count()
    one = decisions.filter(agency__kind="csc").first()
    client.force_login(User.objects.get(username="sw1"))
    page = client.get(reverse("partners:sharing-decisions", args=[one.child_id]))
    assert page.status_code == 200
    assert one.information in page.content.decode().replace("&#x27;", "'")
