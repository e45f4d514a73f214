"""The demo's inspection (decision 0042): inspector1's, under way on the demo's date, with a
sample chosen in advance and drawn at random, and reads logged under it."""

import io

import pytest
from django.core.management import call_command

from safeguard.assurance.models import InspectedCase, Inspection
from safeguard.audit.models import AccessEvent
from safeguard.demo.tests.test_demo import AS_AT, AS_AT_DATE


@pytest.mark.django_db
def test_inspector1_has_an_inspection_with_chosen_and_random_case_files_and_reads(
    settings, tmp_path
):
    settings.SAFEGUARD_DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.txt"
    call_command("demo", stdout=io.StringIO(), children=60, seed=7, as_at=AS_AT)
    inspection = Inspection.objects.get()
    assert list(inspection.inspectors.values_list("username", flat=True)) == ["inspector1"]
    assert inspection.start_date < AS_AT_DATE < inspection.end_date
    chosen = inspection.sample.filter(how=InspectedCase.How.CHOSEN).count()
    drawn = inspection.sample.filter(how=InspectedCase.How.RANDOM)
    assert 1 <= chosen <= 12
    assert 1 <= drawn.count() <= 45
    assert {d.seed for d in drawn} == {7 * 100 + 57}
    reads = list(AccessEvent.objects.filter(user__username="inspector1"))
    assert reads
    assert {r.reason for r in reads} == {f"Inspection: {inspection.name}"}
    sampled = set(inspection.sample.values_list("case__child_id", flat=True))
    assert {r.person_id for r in reads} <= sampled
