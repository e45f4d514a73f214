"""The demo's early help made the same way from the same seed (the borough's contents are read
in `borough/test_demo_early_help.py`); `run_demo` and `AS_AT` serve other demo tests."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction

from safeguard.earlyhelp.models import EarlyHelpAssessment, TAFReview

AS_AT = date(2026, 6, 30)


def run_demo(children=300, seed=2009):
    call_command(
        "demo",
        stdout=io.StringIO(),
        children=children,
        seed=seed,
        as_at="2026-06-30",
        quality_check=False,
    )


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_early_help(settings, tmp_path):
    settings.SAFEGUARD_DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.txt"

    def snapshot():
        with transaction.atomic():
            run_demo(children=120, seed=5)
            made = sorted(
                EarlyHelpAssessment.objects.values_list(
                    "id", "child_id", "start_date", "completed_date", "outcome", "lead_name"
                )
            )
            reviews = sorted(TAFReview.objects.values_list("id", "review_date", "progress"))
            transaction.set_rollback(True)
        return made, reviews

    first = snapshot()
    assert first[0]
    assert snapshot() == first


