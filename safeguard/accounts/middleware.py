"""Session limits and the second factor, enforced before any view runs."""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware

from safeguard.accounts import sessions, twofactor
from safeguard.accounts.roles import READ_ONLY_ROLES

logger = logging.getLogger("safeguard.auth")


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's middleware (``request.user.otp_device``, ``is_verified()``), taking the
    verified device from the user's own query when ``StaffBackend`` read it there
    (``accounts.twofactor``): one query fewer on every page. The binding and confirmation
    checks are django-otp's own (``_finalize_device``)."""

    def __call__(self, request):
        token = twofactor.serving(request)
        try:
            return super().__call__(request)
        finally:
            twofactor.served(token)

    def _verify_user_sync(self, request, user):
        self._init_user_fields(user)
        if user.is_authenticated:
            persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
            device = None
            if persistent_id:
                device = twofactor.device_read_with(user)
                if device is twofactor.NOT_READ or (
                    device is not None
                    and device.persistent_id != self._normalize_persistent_id(persistent_id)
                ):
                    device = self._device_from_persistent_id(persistent_id)
            user.otp_device = self._finalize_device(request, user, device)
        return user


# Paths a signed-in user may reach before giving the second factor.
_OPEN_PREFIXES = ("/static/", "/sign-in/", "/sign-out/", "/two-factor/", "/invitation/")
# Paths answered with JSON: an unverified or timed-out caller gets 401, not a redirect.
_JSON_PREFIXES = ("/api/", "/drafts/")


def _save_posted_work_as_draft(request) -> None:
    """A form posted just after the session's time ran out is kept as the user's draft."""
    if request.method != "POST" or request.path.startswith(_OPEN_PREFIXES + _JSON_PREFIXES):
        return
    from safeguard.core.drafts import clean_draft_data, draft_save

    data = clean_draft_data(request.POST)
    if data:
        draft_save(user=request.user, key=request.path, data=data)


class SessionLimitsMiddleware:
    """Sign the user out 12 hours after signing in, however active they have been.

    The 30-minute idle limit is the session's own expiry (``SESSION_COOKIE_AGE``), renewed
    here at most once a minute (``sessions.renew_if_due``). When the 12 hours are up the user
    is sent to sign in again and comes back to the page they asked for; anything they had
    just posted is kept as their draft of it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and sessions.absolute_limit_passed(request):
            logger.info("Session of %s reached its absolute limit", user.get_username())
            _save_posted_work_as_draft(request)
            logout(request)
            if request.path.startswith(_JSON_PREFIXES):
                return JsonResponse({"detail": "Your session has ended: sign in again"}, status=401)
            # Back to the page afterwards: for a POST, the form, now holding the draft.
            back = request.get_full_path() if request.method == "GET" else request.path
            return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': back})}")
        if user.is_authenticated:
            sessions.renew_if_due(request)
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Every page but signing in and the second-factor steps needs a verified session.

    A user who has given their password but not yet a code is sent to the code page (or to
    set up an authenticator if they have none); JSON endpoints answer 401.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            if request.path.startswith(_JSON_PREFIXES):
                return JsonResponse({"detail": "Second factor required"}, status=401)
            if twofactor.has_second_factor(user):
                return redirect("accounts:two-factor")
            return redirect("accounts:two-factor-setup")
        return self.get_response(request)


# The methods that only read.
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ReadOnlyRolesMiddleware:
    """Refuse (403) every request but a read from a user in a read-only role (an inspector:
    decision 0042), whatever the view would have allowed, so that no page, form, draft or
    API call written later can let them change anything. Signing in and out, and the second
    factor, stay open: they are about the user's own session, not a record."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            request.method not in _SAFE_METHODS
            and user.is_authenticated
            and user.role in READ_ONLY_ROLES
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            raise PermissionDenied("Inspectors read case files; they never change anything")
        return self.get_response(request)
