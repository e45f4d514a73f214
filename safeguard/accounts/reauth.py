"""Re-authentication for sensitive actions (break-glass): the password AND a current code
from one of the user's confirmed second-factor devices, checked exactly as at sign-in."""

from safeguard.accounts import twofactor


def reauthenticate(user, *, password: str, otp_token: str) -> bool:
    """True only if ``password`` is the user's and ``otp_token`` is a current code of one of
    their confirmed devices (a TOTP code or a backup code). Codes are accepted once, under a
    row lock and django-otp's throttle, as at sign-in (``accounts.twofactor.verify``)."""
    if not (user and user.is_authenticated and user.is_active and password and otp_token):
        return False
    if not user.check_password(password):
        return False
    return twofactor.verify(user, otp_token) is not None
