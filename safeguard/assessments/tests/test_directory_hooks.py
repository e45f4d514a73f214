"""What social care assessments tell the directory (issue 19): the census factors of the
latest completed assessment, as needs (``directory.codes.FACTOR_NEEDS``)."""

from datetime import date

import pytest

from safeguard.assessments.codes import Factor
from safeguard.assessments.models import Assessment
from safeguard.casework import services as casework
from safeguard.directory.codes import FACTOR_NEEDS, Need
from safeguard.directory.matching import suggest
from safeguard.directory.tests.helpers import make_service

ON = date.today()


def names(found):
    return [s.service.name for s in found]


def test_every_factor_maps_to_real_needs_and_factors():
    assert set(FACTOR_NEEDS) <= set(Factor.values)
    for needs in FACTOR_NEEDS.values():
        assert needs and set(needs) <= set(Need.values)


@pytest.mark.django_db
def test_needs_from_the_latest_completed_assessment_factors(world):
    case = casework.case_open(
        by=world.sw_amy, child=world.child_sam, referral_date=date(2026, 1, 5), referral_source="6"
    )
    Assessment.objects.create(
        case=case, kind="single", start_date=date(2026, 1, 6), completed_date=date(2026, 2, 10),
        factors=["4B", "21"],
    )  # fmt: skip
    make_service(world, "Parents' mental health", needs=[Need.PARENTAL_MENTAL_HEALTH])
    make_service(world, "Debt advice", needs=[Need.FINANCIAL])
    found = suggest(world.child_sam, on=ON)
    assert names(found) == ["Parents' mental health"]
    assert found[0].reasons == [
        "Meets: Parental mental health (from the assessment completed 10 February 2026)"
    ]
