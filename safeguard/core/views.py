"""Error pages (they show nothing of any record) and the draft-saving endpoint."""

import json
import logging

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from safeguard.core import drafts

logger = logging.getLogger(__name__)


def _error(request, template: str, status: int):
    return render(request, template, status=status)


def bad_request(request, exception=None):
    return _error(request, "errors/400.html", 400)


def permission_denied(request, exception=None):
    return _error(request, "errors/403.html", 403)


def page_not_found(request, exception=None):
    return _error(request, "errors/404.html", 404)


def server_error(request):
    # Rendered without the request: context processors touch the database, which may be the
    # very thing that failed.
    return HttpResponseServerError(render_to_string("errors/500.html"))


def access_log_unavailable(request):
    logger.error("Access event could not be written; record withheld from %s", request.path)
    return render(request, "errors/access_log_unavailable.html", status=503)


@require_POST
def draft_save(request):
    """Keep what the user has typed on a form (called by static/js/drafts.mjs)."""
    if not request.user.is_authenticated:
        return JsonResponse({"saved": False, "reason": "signed_out"}, status=401)
    key = _draft_key(request.POST.get("_draft_key", ""))
    if key is None:
        return JsonResponse({"saved": False, "reason": "bad_key"}, status=400)
    data = drafts.clean_draft_data(request.POST)
    if drafts.has_nul(data):
        # PostgreSQL cannot store a NUL in JSON or text; no form would accept one either.
        return JsonResponse({"saved": False, "reason": "bad_characters"}, status=400)
    if len(json.dumps(data)) > drafts.MAX_DRAFT_BYTES:
        return JsonResponse({"saved": False, "reason": "too_large"}, status=413)
    draft = drafts.draft_save(user=request.user, key=key, data=data)
    return JsonResponse(
        {"saved": True, "at": timezone.localtime(draft.updated_at).strftime("%H:%M:%S")}
    )


def _draft_key(value: str) -> str | None:
    ok = value.startswith("/") and len(value) <= 300 and "\x00" not in value
    return value if ok else None


@require_GET
def draft_load(request):
    """The user's draft for a page, for static/js/drafts.mjs to put back into the form."""
    if not request.user.is_authenticated:
        return JsonResponse({"found": False, "reason": "signed_out"}, status=401)
    key = _draft_key(request.GET.get("key", ""))
    if key is None:
        return JsonResponse({"found": False, "reason": "bad_key"}, status=400)
    draft = drafts.draft_for(user=request.user, key=key)
    if draft is None:
        return JsonResponse({"found": False})
    at = timezone.localtime(draft.updated_at).strftime("%d %b %Y %H:%M")
    return JsonResponse({"found": True, "data": draft.data, "at": at})


@require_POST
def draft_discard(request):
    if not request.user.is_authenticated:
        return JsonResponse({"discarded": False, "reason": "signed_out"}, status=401)
    key = _draft_key(request.POST.get("_draft_key", ""))
    if key is None:
        return JsonResponse({"discarded": False, "reason": "bad_key"}, status=400)
    drafts.draft_discard(user=request.user, key=key)
    return JsonResponse({"discarded": True})
