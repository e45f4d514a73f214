from django.conf import settings


def service(request):
    """The service name for the header, the signed-in user's authority, and how soon after
    typing stops a draft is saved (read by ``static/js/drafts.mjs``)."""
    user = getattr(request, "user", None)
    authority = None
    if user is not None and user.is_authenticated and user.agency_id:
        authority = user.agency.authority
    return {
        "service_name": settings.SAFEGUARD_SERVICE_NAME,
        "authority": authority,
        "draft_delay_ms": settings.SAFEGUARD_DRAFT_DELAY_MS,
    }
