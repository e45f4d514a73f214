"""Records the assessment pages need, made with the real services on the test world."""

from datetime import date

from safeguard.assessments.services import (
    assessment_authorise,
    assessment_record_seen,
    assessment_start,
    assessment_submit,
)
from safeguard.testing.journey import open_case

REFERRED = date(2025, 1, 6)  # a Monday
STARTED = date(2025, 1, 7)
SEEN = date(2025, 1, 9)
AUTHORISED = date(2025, 2, 14)

# A whole written assessment, as the worker's form would hold it.
WRITTEN = {
    "developmental_needs": "Sam is behind with speech for his age and often hungry at school.",
    "parenting_capacity": "Mother loves Sam but routines have broken down since the move.",
    "family_environment": "Overcrowded flat; rent arrears; little support from wider family.",
    "history": "Two earlier contacts from school about hunger, closed with advice.",
    "wishes_and_feelings": "Sam said: “I like it when Mum reads to me. I don't like the shouting.”",
    "analysis": "Neglect of basic care linked to the mother's low mood and money worries.",
    "recommendation": "A child in need plan with help for the mother's mood and the arrears.",
    "factors": ["4B", "16A"],
    "primary_need": "N1",
    "outcome": "cin_plan",
}


def case_of_sam(world):
    """Sam Smith's case, opened by a referral from the police for assessment."""
    return open_case(world, received=REFERRED)


def assessment_of_sam(world):
    """A child and family assessment in progress on Sam Smith's case, started by Amy."""
    case = case_of_sam(world)
    return assessment_start(by=world.sw_amy, case=case, kind="single", start_date=STARTED)


def submit(world, assessment, *, by=None, seen=SEEN, **changes):
    """Amy (or ``by``) writes the whole assessment, records the child seen on ``seen`` (unless
    None) and submits it."""
    by = by or world.sw_amy
    if seen is not None:
        assessment_record_seen(
            by=by, assessment=assessment, child_seen_date=seen, child_seen_alone=True
        )
    return assessment_submit(by=by, assessment=assessment, **{**WRITTEN, **changes})


def submitted_assessment_of_sam(world):
    """Sam's assessment, written, the child seen, and submitted by Amy."""
    return submit(world, assessment_of_sam(world))


def authorise(world, assessment, *, on=AUTHORISED, by=None, **written):
    """Write, submit (by Amy) and authorise (by Carol, or ``by``) the assessment."""
    assessment = submit(world, assessment, **written)
    assessment_authorise(
        by=by or world.tm_carol, assessment=assessment, decision="agree", decided_on=on
    )
    assessment.refresh_from_db()
    return assessment
