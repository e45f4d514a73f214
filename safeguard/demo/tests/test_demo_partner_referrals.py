"""The demo's partner referrals (decision 0050) are in every state the pages show: waiting at
the front door, recorded and being decided, and decided with the referrer told."""

from datetime import date

import pytest
from django.core.management import call_command

from safeguard.notices.models import Notice
from safeguard.partners.models import PartnerReferral
from safeguard.people.models import Seal


@pytest.mark.django_db
def test_referrals_wait_are_being_decided_and_are_decided(settings, tmp_path):
    settings.SAFEGUARD_DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.txt"
    call_command("demo", children=300, seed=7, as_at=date(2026, 6, 30).isoformat(), stdout=None)
    referrals = PartnerReferral.objects.all()
    waiting = referrals.filter(contact__isnull=True)
    being_decided = referrals.filter(contact__isnull=False, contact__outcome="")
    decided = referrals.exclude(contact__outcome="").filter(contact__isnull=False)
    assert waiting.exists() and being_decided.exists() and decided.exists()
    assert not decided.filter(outcome_told_at__isnull=True).exists()
    assert Notice.objects.filter(user__username="police1", subject__startswith="Your referral").exists()
    # Recorded about children on record, none of them sealed, keeping the time sent.
    sealed = Seal.objects.filter(unsealed_at__isnull=True).values("person_id")
    assert not referrals.filter(contact__child__in=sealed).exists()
    for referral in referrals.exclude(contact=None).select_related("contact"):
        assert referral.contact.received_at == referral.received_at
