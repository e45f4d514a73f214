"""Re-authentication for sensitive actions (break-glass): the password AND a current code
from one of the user's confirmed second-factor devices, checked exactly as at sign-in.

Wrong tries count towards the sign-in lockout for the user name and address (django-axes), as
wrong passwords and codes at sign-in do, and a locked-out user cannot re-authenticate: a
stolen session cannot be used to guess a colleague's password here instead of at sign-in.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed

from safeguard.accounts import twofactor


def _credentials(user) -> dict:
    return {"username": user.get_username(), "reauthentication": True}


def locked_out(user, request) -> bool:
    """Whether ``user`` at ``request``'s address is locked out after too many wrong tries."""
    if request is None:
        return False
    AxesProxyHandler.update_request(request)
    return bool(
        getattr(request, "axes_locked_out", False)
        or AxesProxyHandler.is_locked(request, _credentials(user))
    )


def reauthenticate(user, *, password: str, otp_token: str, request=None) -> bool:
    """True only if ``password`` is the user's and ``otp_token`` is a current code of one of
    their confirmed devices (a TOTP code or a backup code). Codes are accepted once, under a
    row lock and django-otp's throttle, as at sign-in (``accounts.twofactor.verify``).

    With ``request``, a locked-out user is refused without checking anything, and a wrong
    password or code is counted as a failed sign-in for the user name and address."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if locked_out(user, request):
        return False
    ok = bool(password and otp_token) and user.check_password(password)
    ok = ok and twofactor.verify(user, otp_token) is not None
    if not ok and request is not None:
        user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
    return ok
