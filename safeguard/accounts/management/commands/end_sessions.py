"""``safeguard end_sessions USERNAME [--by ADMIN]``: sign a user out everywhere, at once.

Recorded as a change to the account, by the system administrator named with ``--by`` or,
without it, by the inactive command-line account (decision 0024)."""

from django.core.management.base import BaseCommand, CommandError

from safeguard.accounts import services
from safeguard.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "End every session of one user (for example a lost laptop or a suspected misuse). "
        "They must sign in again, with both factors."
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
        count = services.end_sessions(
            user, by=by, reason="ended by an administrator (end_sessions)"
        )
        self.stdout.write(
            f"Ended {count} session{'' if count == 1 else 's'} of {username}."
        )
