"""The demo's independent chairs at work (decision 0043): minutes circulated on time, late
and still waiting; challenges and escalations raised by each conference's chair, open and
resolved, in the chronology."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import F

from safeguard.casework.models import ChronologyEntry
from safeguard.core.workdays import add_working_days
from safeguard.protection.models import ChairChallenge, ChildProtectionConference
from safeguard.timescales.models import DueEntry

AS_AT = date(2026, 6, 30)


@pytest.mark.django_db
def test_minutes_and_challenges_fill_the_chairs_pages(settings, tmp_path):
    settings.SAFEGUARD_DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.txt"
    call_command("demo", children=300, seed=7, as_at=AS_AT.isoformat(), stdout=None)
    conferences = list(ChildProtectionConference.objects.select_related("case__authority"))
    circulated = [c for c in conferences if c.minutes_circulated_on is not None]
    assert circulated and len(circulated) < len(conferences)
    late = [
        c for c in circulated
        if c.minutes_circulated_on
        > add_working_days(c.conference_date, c.case.authority.conference_minutes_wd)
    ]
    assert late and len(late) < len(circulated) // 2
    assert all(c.conference_date <= c.minutes_circulated_on <= AS_AT for c in circulated)
    # What waits is on the chairs' lists.
    minutes = DueEntry.objects.filter(rule_id="conference_minutes")
    assert minutes.exists()
    assert not minutes.exclude(worker__role="conference_chair").exists()

    challenges = ChairChallenge.objects.all()
    assert challenges.filter(resolved_on__isnull=True).exists()
    assert challenges.filter(resolved_on__isnull=False).exists()
    assert not challenges.exclude(raised_by=F("conference__chaired_by")).exists()
    assert ChronologyEntry.objects.filter(source_type="protection.chairchallenge").count() == (
        challenges.count() + challenges.filter(resolved_on__isnull=False).count()
    )
