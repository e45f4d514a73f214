"""Cross-cutting request and response rules."""

import logging

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class RequestSizeLimitMiddleware:
    """A request body larger than ``SAFEGUARD_MAX_UPLOAD_BYTES`` is refused unread (HTTP 413),
    on its ``Content-Length``.

    It runs before anything reads the body (sessions, CSRF, forms), so nothing of it is
    parsed or stored. The page is rendered without the request: no session exists yet.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.SAFEGUARD_MAX_UPLOAD_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            logger.warning("Refused a %d-byte request to %s", length, request.path)
            megabytes = limit / (1024 * 1024)
            text = render_to_string(
                "errors/413.html",
                {
                    "service_name": settings.SAFEGUARD_SERVICE_NAME,
                    "limit": f"{megabytes:.0f} MB" if megabytes >= 1 else f"{limit:,} bytes",
                },
            )
            # No "Connection: close": a WSGI application may not set hop-by-hop headers (waitress
            # answers 500 if it does). Under `safeguard serve`, waitress itself refuses such a
            # request before reading its body (serve.py); this page is for other servers.
            return HttpResponse(text, status=413)
        return self.get_response(request)


class RecordPageCacheMiddleware:
    """Pages shown to a signed-in user are never stored by the browser or a proxy.

    Record pages hold a child's details; a shared computer's back button or a caching proxy
    must not be able to show them again (ASVS 5.0 14.3.2).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


class AccessLogFailureMiddleware:
    """A record whose access event could not be written is never shown: answer 503 instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from safeguard.core.errors import AccessLogUnavailable
        from safeguard.core.views import access_log_unavailable

        if isinstance(exception, AccessLogUnavailable):
            return access_log_unavailable(request)
        return None


class DraftCleanupMiddleware:
    """A form saved successfully (a POST answered with a redirect) leaves no draft behind.

    Views follow post/redirect/get, so a redirect after a signed-in user's POST means the
    form was accepted; its draft (keyed by the page address) is no longer needed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            request.method == "POST"
            and response.status_code in (302, 303)
            and user is not None
            and user.is_authenticated
            and not request.path.startswith("/drafts/")
        ):
            from safeguard.core.drafts import draft_discard

            draft_discard(user=user, key=request.path)
        return response


class StaleRecordMiddleware:
    """A form refused because the record changed meanwhile answers 409 Conflict.

    The page itself is the form again, with the user's entries and both versions side by side
    (``core.concurrency``, ``audit.conflicts``); only the status code is set here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from safeguard.core.concurrency import stale_in_request

        token = stale_in_request.set(False)
        try:
            response = self.get_response(request)
            if stale_in_request.get() and response.status_code == 200:
                response.status_code = 409
                response.reason_phrase = "Conflict"
            return response
        finally:
            stale_in_request.reset(token)
