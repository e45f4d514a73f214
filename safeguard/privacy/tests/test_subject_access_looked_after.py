"""The subject access export holds the child's periods of care (decision 0076): the walker
finds them under the child's case, with no change here."""

import json
from datetime import date

import pytest

from safeguard.partners.tests.lookups import sam_looked_after
from safeguard.privacy.export import gather


@pytest.mark.django_db
def test_periods_of_care_are_in_the_subject_access_export(world):
    sam_looked_after(world, start=date(2025, 3, 3), end=date(2025, 5, 5))
    text = json.dumps(gather(world.child_sam))
    for held in ("2025-03-03", "2025-05-05", "Returned home to parents", "Full care order"):
        assert held in text, held
