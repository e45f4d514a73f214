"""The one API object. Each app adds its router; everything is under /api/v1/."""

from functools import wraps

from django.http import JsonResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from safeguard.core.errors import AccessLogUnavailable
from safeguard.partners.api import router as partners_router
from safeguard.people.api import router as people_router


def _signed_in_only(view):
    """The schema describes record fields: only signed-in staff may read it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"detail": "Unauthorized"}, status=401)
        return view(request, *args, **kwargs)

    return wrapper


api = NinjaAPI(
    title="Safeguard API",
    version="1",
    auth=django_auth,
    docs_url=None,  # the interactive docs load scripts from a CDN; the schema is at openapi.json
    urls_namespace="api",
    docs_decorator=_signed_in_only,
)
api.add_router("/people", people_router)
# The keyed API for partner organisations: /api/v1/child-protection-status, /api/v1/fhir/Flag.
api.add_router("", partners_router)


@api.exception_handler(AccessLogUnavailable)
def access_log_unavailable(request, exc):
    # No record is returned when its access event could not be written.
    return api.create_response(
        request,
        {"detail": "The access log could not be written, so no record is returned"},
        status=503,
    )
