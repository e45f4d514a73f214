"""The authority's targets: each indicator's agreed target and the versions before it, the
proposals waiting to be agreed, and the form to propose one (decision 0084)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from safeguard.core.errors import ApplicationError
from safeguard.core.submission import posted, submit
from safeguard.performance import permissions, selectors, services
from safeguard.performance.forms import TargetForm
from safeguard.performance.indicators import BY_ID
from safeguard.performance.permissions import Action
from safeguard.performance.targets import default_direction


@login_required
@require_http_methods(["GET", "POST"])
def targets(request):
    if not permissions.can(request.user, Action.VIEW):
        raise PermissionDenied
    may_set = permissions.can(request.user, Action.SET_TARGET)
    if request.method == "POST" and not may_set:
        raise PermissionDenied
    form = TargetForm(
        posted(request),
        initial={"direction": default_direction(request.GET.get("indicator", ""))},
    )
    made = submit(
        request,
        form,
        lambda d: services.target_set(by=request.user, **d),
        success="Target proposed: it counts once another service manager agrees it",
    )
    if made:
        return redirect("performance:targets")
    rows = selectors.target_versions(request.user.agency.authority_id)
    return render(
        request,
        "performance/targets.html",
        {
            "rows": [
                (
                    t,
                    BY_ID[t.indicator_id].title,
                    permissions.can(request.user, Action.AGREE_TARGET, t),
                )
                for t in rows
                if t.indicator_id in BY_ID
            ],
            "form": form,
            "may_set": may_set,
        },
    )


@login_required
@require_POST
def target_agree(request, target_id):
    """Agree a proposed target: a button on the targets page; a refusal is shown there."""
    if not permissions.can(request.user, Action.VIEW):
        raise PermissionDenied
    target = selectors.target_by_id(request.user, target_id)
    try:
        services.target_agree(by=request.user, target=target)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Target agreed: the pages now compare with it")
    return redirect("performance:targets")
