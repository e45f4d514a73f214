"""Helpers that take a child through the journey with the real services, for tests."""

from datetime import date

from safeguard.referrals.services import referral_record
from safeguard.testing.decisions import authorise, close_case  # noqa: F401 (re-exported)


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
    if decision == "nfa":
        # No further action waits for the manager (decision 0041): authorised here, so that
        # the case is closed as the census expects.
        waiting = referral.case.authorisation_requests.filter(status="pending").first()
        if waiting is not None:
            authorise(waiting)
        referral.case.refresh_from_db()
    return referral.case
