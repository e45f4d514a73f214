"""The second factor: a TOTP authenticator app, with single-use backup codes (django-otp).

A code is accepted once only: TOTP codes at or before the last accepted time step are refused
(``TOTPDevice.last_t``) and a backup code is deleted when used. Wrong codes slow further
tries down (django-otp's throttling: 2**(n-1) seconds after n failures) and count towards
the sign-in lockout like wrong passwords.
"""

from base64 import b32encode
from binascii import unhexlify
from contextvars import ContextVar

import qrcode
import qrcode.image.svg
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user, user_has_device
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"


# --- The verified device, read with the signed-in user (one query, not two) --------------------
# django-otp reads the device the session names on every request, after the user. Instead the
# user's own query asks whether that device still exists, is the user's and is confirmed
# (``StaffBackend.get_user``), and ``accounts.middleware.OTPMiddleware`` takes the answer; the
# request being served is kept here for the length of the request so the backend can see its
# session. Anything read another way (no request, an unusual device id) falls back to
# django-otp's own look-up.
_REQUEST: ContextVar = ContextVar("safeguard_otp_request", default=None)
NOT_READ = object()


def serving(request):
    """Mark ``request`` as the one being served; returns the token to pass to ``served``."""
    return _REQUEST.set(request)


def served(token) -> None:
    _REQUEST.reset(token)


def _session_device() -> tuple[type[Device], int] | None:
    request = _REQUEST.get()
    session = getattr(request, "session", None)
    persistent_id = session.get(DEVICE_ID_SESSION_KEY) if session is not None else None
    if not persistent_id:
        return None
    try:
        label, pk = persistent_id.rsplit("/", 1)
        model = apps.get_model(*label.split(".")[-2:])
        pk = int(pk)
    except (ValueError, LookupError):
        return None
    return (model, pk) if issubclass(model, Device) else None


def with_session_device(users: QuerySet) -> QuerySet:
    """``users`` asking, in the same query, whether the device the current request's session
    names exists, belongs to the user and is confirmed (``otp_session_device``)."""
    wanted = _session_device()
    if wanted is None:
        return users
    model, pk = wanted
    users = users.annotate(
        otp_session_device=Exists(
            model._default_manager.filter(pk=pk, user=OuterRef("pk"), confirmed=True)
        )
    )
    users._safeguard_device = wanted  # noqa: SLF001 (read back by read_session_device)
    return users


def read_session_device(user, wanted) -> None:
    """Keep on ``user`` the device ``with_session_device`` found (an unsaved stand-in that
    names it: nothing but its identity and binding is ever read from it), or None."""
    if wanted is None or not hasattr(user, "otp_session_device"):
        return
    model, pk = wanted
    user.otp_device_read = (
        model(pk=pk, user_id=user.pk, confirmed=True) if user.otp_session_device else None
    )


def device_read_with(user):
    """The device read with ``user`` (or None), or ``NOT_READ`` if it was not."""
    return getattr(user, "otp_device_read", NOT_READ)


def has_second_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def pending_totp_device(user) -> TOTPDevice:
    """The unconfirmed authenticator the user is setting up (made on first call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_base32(device: TOTPDevice) -> str:
    """The device's secret as an authenticator app wants it typed: base32, no padding."""
    return b32encode(unhexlify(device.key)).decode("ascii").rstrip("=")


def grouped(secret: str) -> str:
    """The secret in groups of four characters, easier to read and type."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(text: str) -> str:
    """``text`` as a QR code drawn in inline SVG (no script, no style attribute)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    return image.to_string(encoding="unicode")


def current_code(device: TOTPDevice) -> str:
    """The code the device's authenticator shows now (for demo accounts and tests)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def normalise(code: str) -> str:
    """A code as typed, without spaces or hyphens, lower case (backup codes are lower case)."""
    return "".join(code.split()).replace("-", "").lower()


def confirm_totp_device(device: TOTPDevice, code: str) -> bool:
    """Confirm a new authenticator with a code from it; on success the user's older
    authenticators are removed."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(normalise(code)):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user_id).exclude(pk=device.pk).delete()
    return True


def new_backup_codes(user) -> list[str]:
    """Replace the user's backup codes with a fresh set; returns them (shown once)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(settings.SAFEGUARD_BACKUP_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def verify(user, code: str):
    """The device that accepts ``code`` (a TOTP code or a backup code), or None.

    Each of the user's devices is tried once under a row lock, so the same code cannot be
    accepted twice by two requests at the same moment.
    """
    code = normalise(code)
    if not code or len(code) > 16 or not code.isalnum():
        # Still counts as a wrong try on the user's devices, for throttling.
        code = "-"
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if isinstance(device, TOTPDevice) and not code.isdigit():
                continue
            if isinstance(device, StaticDevice) and code.isdigit() and len(code) == 6:
                continue
            if device.verify_token(code):
                return device
    return None


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
