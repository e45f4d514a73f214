"""Helpers for tests of sealed records: seal a record, give a user an authenticator."""

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.people import services


def seal(world, person, *members, by=None):
    """Seal ``person`` by the team manager (carol), naming ``members`` too."""
    return services.person_seal(
        by=by or world.tm_carol,
        person=person,
        reason="A relative of a member of staff",
        members=list(members),
    )


def authenticator(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def code(device: TOTPDevice, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"
