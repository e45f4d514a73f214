"""The child-protection lookup page for unscheduled-care clinicians."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from safeguard.partners import permissions, services
from safeguard.partners.forms import LookupForm
from safeguard.partners.models import LookupWay
from safeguard.partners.permissions import Action


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request):
    """A POST, not a GET: a lookup is logged and tells the child's worker, and the NHS number
    stays out of addresses and server logs."""
    if not permissions.can(request.user, Action.LOOKUP):
        raise PermissionDenied
    form = LookupForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        found = services.cp_lookup(
            by=request.user,
            search=form.search(),
            way=LookupWay.WEB,
            setting=form.cleaned_data["setting"],
            request=request,
        )
        form = LookupForm(initial={"setting": form.cleaned_data["setting"]})
    return render(
        request,
        "partners/lookup.html",
        {"form": form, "status": found.status if found else None},
    )
