"""``safeguard reset_two_factor USERNAME``: for a user who lost their phone and backup codes."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts.models import User
from safeguard.accounts.sessions import end_sessions


class Command(BaseCommand):
    help = (
        "Remove a user's authenticator and backup codes and end their sessions. At their next "
        "sign-in (with their password) they set up a new authenticator. Check who is asking "
        "first: this is how an account would be taken over."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The user name of the account.")

    def handle(self, *args, **options):
        username = options["username"]
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called {username!r}.")
        with transaction.atomic():
            TOTPDevice.objects.filter(user=user).delete()
            StaticDevice.objects.filter(user=user).delete()
            end_sessions(user, reason="second factor reset by an administrator")
        self.stdout.write(
            f"Removed the authenticator and backup codes of {username}; their next sign-in "
            "sets up a new authenticator."
        )
