"""The demo's information requests (decision 0066) are in every state the pages show: answered
on time, answered late, open and late, open; asked of the police, health and a school, whose
demo accounts see them."""


import pytest
from django.core.management import call_command
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.casework.models import ChronologyEntry
from safeguard.partners import selectors
from safeguard.partners.models import InformationRequest


@pytest.mark.django_db
def test_requests_are_answered_late_and_open_for_each_agency(settings, tmp_path):
    settings.SAFEGUARD_DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.txt"
    as_at = timezone.localdate()
    call_command("demo", children=300, seed=7, as_at=as_at.isoformat(), stdout=None)
    requests = InformationRequest.objects.all()
    assert requests.count() == 12
    assert {r.status(as_at) for r in requests} == {"answered", "late", "open"}
    assert {r.answered_on_time for r in requests} == {True, False, None}
    for username in ("police1", "health1", "school1"):
        user = User.objects.get(username=username)
        rows = selectors.requests_for_agency(user=user, today=as_at)
        assert {r.shown_status for r in rows} == {"answered", "late", "open"}, username
    # Every answer is on the child's chronology, marked with its agency.
    answers = ChronologyEntry.objects.filter(source_type="partners.informationanswer")
    assert answers.count() == 6
    assert set(answers.values_list("source_agency", flat=True)) == set(
        requests.values_list("agency__name", flat=True)
    )
    times = selectors.response_times(user=User.objects.get(username="tm1"), today=as_at)
    assert len(times) == 3 and all(t.median_days is not None for t in times)
