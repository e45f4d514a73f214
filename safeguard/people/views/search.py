"""Finding a person."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from safeguard.audit.models import AccessPurpose
from safeguard.audit.services import one_access_append
from safeguard.people import permissions, selectors
from safeguard.people.forms import PersonSearchForm
from safeguard.people.permissions import Action


@login_required
@require_http_methods(["GET"])
@one_access_append()
def search(request):
    if not permissions.can(request.user, Action.SEARCH):
        raise PermissionDenied
    form = PersonSearchForm(request.GET or None)
    results, duplicates, restricted = [], {}, []
    searched = False
    if request.GET and form.is_valid():
        searched = True
        data = form.cleaned_data
        results = selectors.person_search(
            user=request.user,
            name=data["name"],
            date_of_birth=data["date_of_birth"],
            nhs_number=data["nhs_number"],
            local_id=data["local_id"],
        )
        selectors.access_people(
            user=request.user, people=results, purpose=AccessPurpose.SEARCH, request=request
        )
        duplicates = selectors.duplicate_groups(results)
        restricted = selectors.restricted_matches(user=request.user, request=request, **data)
    rows = [{"person": p, "duplicates": duplicates.get(p.pk, [])} for p in results]
    return render(
        request,
        "people/search.html",
        {
            "form": form,
            "rows": rows,
            "searched": searched,
            "can_create": permissions.can(request.user, Action.CREATE),
            "limit": selectors.SEARCH_LIMIT,
            "restricted": restricted,
        },
    )
