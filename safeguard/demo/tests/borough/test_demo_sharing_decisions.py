"""The demo's information-sharing decisions (decision 0070): decisions to share and not to
share, each with its chronology entry, on children of sw1's caseload; sw1 sees them on the
child's page."""

import pytest
from django.urls import reverse

from safeguard.accounts.models import User
from safeguard.casework.models import ChronologyEntry
from safeguard.partners.models import InformationSharingDecision, SharingConsent, SharingDecision

pytestmark = pytest.mark.xdist_group("borough")


@pytest.mark.django_db
def test_decisions_to_share_and_not_to_share(borough, client):
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
