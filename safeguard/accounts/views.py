"""Signing in (password, then a code from an authenticator app) and signing out."""

import logging

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login

from safeguard.accounts import services, sessions, twofactor
from safeguard.accounts.forms import CodeForm, SetPasswordForm, SetUpCodeForm, SignInForm
from safeguard.core.errors import ApplicationError
from safeguard.core.submission import form_error, posted

logger = logging.getLogger("safeguard.auth")

# Where to go once both factors are given, and the backup codes to show once.
NEXT = "safeguard_next"
BACKUP_CODES = "safeguard_backup_codes"


def _safe_next(request, value: str | None) -> str | None:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return None


def _after_sign_in(request) -> str:
    next_url = _safe_next(request, request.session.get(NEXT))
    return next_url or resolve_url(settings.LOGIN_REDIRECT_URL)


class SignInView(auth_views.LoginView):
    """The password step. A right password signs in (with a new session id) but opens only
    the second-factor step until a code is given."""

    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)  # django.contrib.auth.login: new session id
        next_url = _safe_next(self.request, self.request.POST.get("next"))
        if next_url:
            self.request.session[NEXT] = next_url
        return response

    def get_success_url(self):
        user = self.request.user
        if user.is_authenticated and getattr(user, "is_verified", lambda: False)():
            return _after_sign_in(self.request)
        if twofactor.has_second_factor(user):
            return reverse("accounts:two-factor")
        return reverse("accounts:two-factor-setup")


sign_in = SignInView.as_view()
sign_out = require_POST(auth_views.LogoutView.as_view())


def locked_out_page(request, original_response=None, credentials=None):
    """The lockout page (HTTP 429). It reads the same whether or not the user name exists."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    if hasattr(request, "session") and request.user.is_authenticated:
        logout(request)
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def _credentials(user) -> dict:
    return {"username": user.get_username(), "second_factor": True}


def _locked_out(request, user):
    """The lockout page for a user name and address that has had too many wrong tries."""
    credentials = _credentials(user)
    logger.warning(
        "Second factor refused while locked out: %s from %s",
        user.get_username(),
        request.axes_ip_address,
    )
    return get_lockout_response(request, None, credentials)


def _wrong_code(request, user, form, message):
    """Count a wrong code like a wrong password; at the limit, show the lockout page."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
    if getattr(request, "axes_locked_out", False) or AxesProxyHandler.is_locked(
        request, _credentials(user)
    ):
        return _locked_out(request, user)
    form.add_error("code", message)
    return None


def _verified(request, user, device):
    """Both factors given: mark the session verified, give it a new id, clear the count."""
    otp_login(request, device)
    sessions.renew_session_key(request)
    AxesProxyHandler.reset_attempts(
        ip_address=request.axes_ip_address, username=user.get_username()
    )
    logger.info(
        "Second factor accepted for %s from %s (%s)",
        user.get_username(),
        request.axes_ip_address,
        device.name,
    )


def _too_many_tries(user) -> bool:
    """Whether every device of the user is resting after wrong codes (django-otp throttle)."""
    devices = list(devices_for_user(user, confirmed=True))
    return bool(devices) and not any(d.verify_is_allowed()[0] for d in devices)


@never_cache
@sensitive_post_parameters("code")
def two_factor(request):
    """The code step for a user who has an authenticator (or backup codes)."""
    user = request.user
    if not user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    if user.is_verified():
        return redirect(_after_sign_in(request))
    if not twofactor.has_second_factor(user):
        return redirect("accounts:two-factor-setup")
    AxesProxyHandler.update_request(request)
    if AxesProxyHandler.is_locked(request, _credentials(user)):
        return _locked_out(request, user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resting = _too_many_tries(user)
        device = twofactor.verify(user, form.cleaned_data["code"])
        if device is not None:
            _verified(request, user, device)
            left = twofactor.backup_codes_left(user)
            if device.name == twofactor.BACKUP_DEVICE_NAME and left < 3:
                messages.warning(
                    request,
                    f"You have {left} backup code{'' if left == 1 else 's'} left. "
                    "Ask your system administrator for new ones.",
                )
            return redirect(_after_sign_in(request))
        if resting:
            message = "Too many wrong codes. Wait a minute, then enter the code the app shows."
        else:
            message = "Enter the code your authenticator app shows now, or an unused backup code"
        if (locked := _wrong_code(request, user, form, message)) is not None:
            return locked
    return render(request, "accounts/two_factor.html", {"form": form})


@never_cache
@sensitive_post_parameters("code")
def two_factor_setup(request):
    """Set up an authenticator app: scan the QR code (or type the key), confirm with a code."""
    user = request.user
    if not user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    if user.is_verified():
        return redirect(_after_sign_in(request))
    if twofactor.has_second_factor(user):
        return redirect("accounts:two-factor")
    AxesProxyHandler.update_request(request)
    if AxesProxyHandler.is_locked(request, _credentials(user)):
        return _locked_out(request, user)
    device = twofactor.pending_totp_device(user)
    form = SetUpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.set_up_second_factor(user, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            _verified(request, user, device)
            request.session[BACKUP_CODES] = codes
            logger.info("Authenticator set up for %s", user.get_username())
            return redirect("accounts:backup-codes")
        message = "The code did not match: check the app shows Safeguard, then try the new code"
        if (locked := _wrong_code(request, user, form, message)) is not None:
            return locked
    uri = device.config_url
    context = {
        "form": form,
        "qr_svg": twofactor.qr_svg(uri),
        "secret": twofactor.grouped(twofactor.secret_base32(device)),
        "uri": uri,
    }
    return render(request, "accounts/two_factor_setup.html", context)


@never_cache
def backup_codes(request):
    """The backup codes, shown once just after setting up the authenticator."""
    codes = request.session.pop(BACKUP_CODES, None)
    if not codes:
        return redirect(_after_sign_in(request))
    return render(
        request,
        "accounts/backup_codes.html",
        {"codes": codes, "continue_url": _after_sign_in(request)},
    )


@never_cache
@sensitive_post_parameters("password", "password_again")
def invitation(request, token: str):
    """An invited member of staff sets their password, then goes on to set up their second
    factor (the usual set-up step). A link that is unknown, used or expired is refused with
    a page saying so, and nothing changes."""
    try:
        services.invitation_open(token)
    except services.InvitationRefused as refused:
        status = 404 if refused.reason == "unknown" else 410
        return render(
            request, "accounts/invitation_refused.html", {"message": refused.message},
            status=status,
        )  # fmt: skip
    form = SetPasswordForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(token, password=form.cleaned_data["password"])
        except services.InvitationRefused as refused:
            return render(
                request, "accounts/invitation_refused.html", {"message": refused.message},
                status=410,
            )  # fmt: skip
        except ApplicationError as error:
            form_error(form, error)
        else:
            if request.user.is_authenticated:
                logout(request)
            # The password step is done: only the second-factor steps open until it is set.
            login(request, user, backend="safeguard.accounts.backends.StaffBackend")
            logger.info("Password set from an invitation by %s", user.get_username())
            if twofactor.has_second_factor(user):
                return redirect("accounts:two-factor")
            return redirect("accounts:two-factor-setup")
    return render(request, "accounts/invitation.html", {"form": form})
