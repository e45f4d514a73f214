"""The set-up page (system administrators) and ``/health/`` (anyone: no login, nothing
sensitive)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from safeguard.operations import checks, permissions
from safeguard.operations import health as health_checks
from safeguard.operations.permissions import Action


@login_required
@require_GET
def setup(request):
    if not permissions.can(request.user, Action.VIEW_SETUP):
        raise PermissionDenied
    return render(request, "operations/setup.html", {"problems": checks.setup_problems()})


@never_cache
@require_safe
def health(request):
    answer = health_checks.health()
    return JsonResponse(answer, status=200 if answer["status"] == "ok" else 503)
