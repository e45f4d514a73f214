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
    if decision == "nfa":
        # No further action waits for the manager (decision 0041): authorised here, so that
        # the case is closed as the census expects.
        waiting = referral.case.authorisation_requests.filter(status="pending").first()
        if waiting is not None:
            authorise(waiting)
        referral.case.refresh_from_db()
    return referral.case


def authorise(request, *, reason: str = ""):
    """Authorise a waiting decision (decision 0041) as the manager who may: the case's line
    manager, or (where the line names nobody who may) the first other manager of the
    authority by username. Returns the request as decided."""
    from safeguard.accounts.models import User
    from safeguard.accounts.roles import MANAGER_ROLES
    from safeguard.casework.selectors import case_authoriser
    from safeguard.casework.services import authorisation_decide

    excluded = request.excluded_ids()
    manager = case_authoriser(request.case, excluded=excluded) or (
        User.objects.filter(
            role__in=MANAGER_ROLES,
            is_active=True,
            agency__authority_id=request.authority_id,
        )
        .exclude(pk__in=excluded)
        .order_by("username")
        .first()
    )
    return authorisation_decide(by=manager, request=request, authorise=True, reason=reason)


def close_case(*, by, case, closure_date, reason):
    """Ask to close ``case`` as ``by`` and have it authorised: the case as closed."""
    from safeguard.casework.models import AuthorisationRequest, Case
    from safeguard.casework.services import case_close

    made = case_close(by=by, case=case, closure_date=closure_date, reason=reason)
    if isinstance(made, AuthorisationRequest):
        authorise(made)
    return Case.objects.get(pk=case.pk)
