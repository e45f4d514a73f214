"""Helpers that take a decision through its request and its authorisation (decision 0041),
for tests. They import only casework, so that any app's tests may use them."""


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
