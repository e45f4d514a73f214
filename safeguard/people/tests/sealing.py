"""Helpers for tests of sealed records: seal a record, give a user an authenticator."""

import re
import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.people import services

# The sealed child's given name as a word of its own: "Same period" or "Sample" is not him.
SAM = re.compile(r"\bSam\b")


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


def next_unused_code(device: TOTPDevice) -> str:
    """A code the server will accept now for ``device``: its stored drift and last used step
    read back first (a sign-in that straddled a 30-second boundary moves the drift), then the
    current step's code, or the next step's if the current one has been used."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return code(device, offset_steps=0 if totp.t() > device.last_t else 1)


def colleague(world):
    """Fay: a social worker in Team A (the team of Amy, Sam's worker, and Carol, their
    manager) who is named on no seal."""
    from safeguard.accounts.models import Role, User
    from safeguard.testing.world import PASSWORD

    user = User.objects.create_user(
        username="fay", password=PASSWORD, agency=world.csc, role=Role.SOCIAL_WORKER,
        first_name="Fay", last_name="Fox", email="fay@example.test",
    )
    user.teams.add(world.team_a)
    return user


def seal_sam(world):
    """Sam Smith sealed by Carol, naming Amy, his allocated worker. Staff get email
    addresses, so that notices are emailed too."""
    for user in (world.sw_amy, world.tm_carol, world.sm_dan, world.sw_ben):
        user.email = f"{user.username}@example.test"
        user.save()
    seal(world, world.child_sam, world.sw_amy)
    return world.child_sam
