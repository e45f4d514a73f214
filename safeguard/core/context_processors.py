from django.conf import settings


def service(request):
    """The service name for the header, and the signed-in user's authority."""
    user = getattr(request, "user", None)
    authority = None
    if user is not None and user.is_authenticated and user.agency_id:
        authority = user.agency.authority
    return {
        "service_name": settings.SAFEGUARD_SERVICE_NAME,
        "authority": authority,
    }
