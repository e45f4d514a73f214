"""Records the assessment pages need, made with the real services on the test world."""

from datetime import date

from safeguard.assessments.services import assessment_start
from safeguard.testing.journey import open_case

REFERRED = date(2025, 1, 6)  # a Monday
STARTED = date(2025, 1, 7)


def case_of_sam(world):
    """Sam Smith's case, opened by a referral from the police for assessment."""
    return open_case(world, received=REFERRED)


def assessment_of_sam(world):
    """A child and family assessment in progress on Sam Smith's case."""
    case = case_of_sam(world)
    return assessment_start(by=world.sw_amy, case=case, kind="single", start_date=STARTED)
