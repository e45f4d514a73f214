"""``safeguard demo_code USERNAME``: the code a demo account's authenticator shows now."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts.twofactor import current_code
from safeguard.demo.generator.accounts import DEMO_DEVICE_NAME


class Command(BaseCommand):
    help = (
        "Print the current 6-digit sign-in code of a demo account (made by `safeguard demo`). "
        "Real accounts' authenticators are never shown."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="A demo account's user name, like sw1.")

    def handle(self, *args, **options):
        username = options["username"]
        device = TOTPDevice.objects.filter(
            user__username=username, name=DEMO_DEVICE_NAME, confirmed=True
        ).first()
        if device is None:
            raise CommandError(
                f"{username!r} is not a demo account with a demo authenticator "
                "(see `safeguard demo_accounts`)."
            )
        self.stdout.write(current_code(device))
