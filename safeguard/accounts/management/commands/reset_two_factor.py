"""``safeguard reset_two_factor USERNAME [--by ADMIN]``: for a user who lost their phone and
backup codes.

Recorded as a change to the account, by the system administrator named with ``--by`` or,
without it, by the inactive command-line account (decision 0024)."""

from django.core.management.base import BaseCommand, CommandError

from safeguard.accounts import services
from safeguard.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Remove a user's authenticator and backup codes and end their sessions. At their next "
        "sign-in (with their password) they set up a new authenticator. Check who is asking "
        "first: this is how an account would be taken over."
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
        services.reset_second_factor(user, by=by)
        self.stdout.write(
            f"Removed the authenticator and backup codes of {username}; their next sign-in "
            "sets up a new authenticator."
        )
