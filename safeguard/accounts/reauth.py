"""Re-authentication for sensitive actions (break-glass): the password AND a current code
from one of the user's confirmed second-factor devices (django-otp)."""

from django_otp import match_token


def reauthenticate(user, *, password: str, otp_token: str) -> bool:
    """True only if ``password`` is the user's and ``otp_token`` is a current code of one of
    their confirmed devices. A used TOTP code cannot be used again (django-otp keeps the
    last time step)."""
    if not (user and user.is_authenticated and user.is_active and password and otp_token):
        return False
    if not user.check_password(password):
        return False
    return match_token(user, otp_token.strip().replace(" ", "")) is not None
