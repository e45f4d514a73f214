"""The keyed API's own lean request path (issue 17, decision 0078).

A partner's system calling ``/api/v1/child-protection-status`` or ``/api/v1/fhir/Flag`` with
``Authorization: Bearer <key>`` has no browser session: the sessions, the CSRF check, the
signed-in user, the second factor, the session limits, the messages, the drafts, the record
pages' cache and django-axes have nothing to do for it, and cost it half its time. Such a call
is handed to a second Django handler whose middleware is ``SAFEGUARD_KEYED_API_MIDDLEWARE``:
the security headers (HSTS, ``nosniff``, the CSP, ``X-Frame-Options``), the request-size limit
and the access-log failure answer, nothing else. Every other request, and a keyed path
without a bearer key, takes the full stack as before.

The key itself is still checked by the API (``partners.api.ApiKeyAuth``); a call on the lean
path is anonymous to Django (``request.user`` is the anonymous user, with no session)."""

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler


class LeanMiddleware:
    """For a Django handler: ``SAFEGUARD_KEYED_API_MIDDLEWARE`` in place of ``MIDDLEWARE``."""

    def load_middleware(self, is_async=False):
        # Django builds the chain from settings.MIDDLEWARE: it is swapped for the lean list
        # only while this handler is built (once, when the server starts, before any request).
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = settings.SAFEGUARD_KEYED_API_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


class KeyedApiHandler(LeanMiddleware, WSGIHandler):
    """The WSGI handler of keyed calls."""


class AnonymousCallerMiddleware:
    """On the lean path nobody is signed in: ``request.user`` is the anonymous user, so that
    anything asking (a log line, a shared helper) gets an answer rather than an error."""

    def __init__(self, get_response):
        from django.contrib.auth.models import AnonymousUser  # the apps are ready by now

        self.get_response = get_response
        self.anonymous = AnonymousUser()

    def __call__(self, request):
        request.user = self.anonymous
        return self.get_response(request)


def is_keyed_call(environ) -> bool:
    """A call to one of the keyed API's paths with a bearer key."""
    if not environ.get("HTTP_AUTHORIZATION", "").startswith("Bearer "):
        return False
    path = environ.get("PATH_INFO", "")
    return path.startswith(settings.SAFEGUARD_KEYED_API_PATHS)


class Dispatcher:
    """The WSGI application: keyed calls to the lean handler, everything else to Django's."""

    def __init__(self, full, lean):
        self.full, self.lean = full, lean

    def __call__(self, environ, start_response):
        handler = self.lean if is_keyed_call(environ) else self.full
        return handler(environ, start_response)


def application():
    from django.core.wsgi import get_wsgi_application

    full = get_wsgi_application()  # sets Django up
    return Dispatcher(full, KeyedApiHandler())
