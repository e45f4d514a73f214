"""What the account commands share: the ``--by`` option, and the account and the acting
administrator they resolve (decision 0024)."""

from django.core.management.base import BaseCommand, CommandError

from safeguard.accounts import services
from safeguard.core.errors import ApplicationError


def add_by_argument(parser) -> None:
    parser.add_argument(
        "--by",
        metavar="USERNAME",
        help="The system administrator doing it, named in the account's history "
        "(default: the command-line account).",
    )


def acting_administrator(options):
    """The system administrator named with ``--by``, or the command-line account."""
    try:
        return services.acting_administrator(options.get("by"))
    except ApplicationError as error:
        raise CommandError(error.message) from error


class AccountCommand(BaseCommand):
    """A command that changes one account, named by its user name, as ``--by``.

    Each command defines ``change(user, by)``, which makes the change through
    ``accounts.services`` and returns what to print."""

    def add_arguments(self, parser):
        parser.add_argument("username", help="The user name of the account.")
        add_by_argument(parser)

    def handle(self, *args, **options):
        try:
            user = services.account_named(options["username"])
        except ApplicationError as error:
            raise CommandError(error.message) from error
        by = acting_administrator(options)
        self.stdout.write(self.change(user, by))
