"""``safeguard unlock USERNAME [--by ADMIN]``: lift a sign-in lockout before the cool-off.

Unlike django-axes' own ``axes_reset_username``, the unlocking is recorded as a change to the
account, by the system administrator named with ``--by`` or, without it, by the inactive
command-line account (decision 0024)."""

from django.core.management.base import BaseCommand, CommandError

from safeguard.accounts import services
from safeguard.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Lift the lockout of a user name after too many wrong passwords or codes, at every "
        "address. Check who is asking first."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The user name of the account.")
        parser.add_argument(
            "--by",
            metavar="USERNAME",
            help="The system administrator doing it, named in the account's history "
            "(default: the command-line account).",
        )

    def handle(self, *args, **options):
        username = options["username"]
        try:
            user = services.account_named(username)
            by = services.acting_administrator(options.get("by"))
        except ApplicationError as error:
            raise CommandError(error.message) from error
        count = services.unlock(user, by=by)
        if count:
            self.stdout.write(f"Lifted the lockout of {username}.")
        else:
            self.stdout.write(f"{username} was not locked out: nothing changed.")
