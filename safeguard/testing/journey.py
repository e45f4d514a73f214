"""Helpers that take a child through the journey with the real services, for tests."""

from datetime import date

from safeguard.referrals.services import referral_record


def open_case(
    world,
    child=None,
    *,
    received: date,
    decision: str = "assessment",
    by=None,
    primary_need: str | None = None,
):
    """Record a referral for ``child`` (default Sam Smith) and return its case. A referral
    that goes on to further action records a working primary need (N1 unless given)."""
    if primary_need is None:
        primary_need = "" if decision == "nfa" else "N1"
    referral = referral_record(
        by=by or world.sw_amy,
        child=child or world.child_sam,
        received_date=received,
        source="6",
        decision=decision,
        decision_date=received,
        primary_need=primary_need,
    )
    return referral.case
