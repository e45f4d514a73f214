"""Helpers that take a child through the journey with the real services, for tests."""

from datetime import date

from safeguard.referrals.services import referral_record


def open_case(world, child=None, *, received: date, decision: str = "assessment", by=None):
    """Record a referral for ``child`` (default John Smith) and return its case."""
    referral = referral_record(
        by=by or world.sw_amy,
        child=child or world.child_sam,
        received_date=received,
        source="6",
        decision=decision,
        decision_date=received,
    )
    return referral.case
