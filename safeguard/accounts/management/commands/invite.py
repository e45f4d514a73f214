"""``safeguard invite USERNAME [--hours N] [--by ADMIN]``: a one-time link by which a member of
staff sets their password, then their second factor (no shared secret).

Printed, and emailed to the account's address through the configured email backend. It works
once and expires (``SAFEGUARD_INVITATION_HOURS``, 72 by default); a newer invitation ends the
older ones. Recorded in the account's history (decision 0024)."""

from django.core.management.base import CommandError

from safeguard.accounts import services
from safeguard.accounts.commandline import AccountCommand
from safeguard.core.errors import ApplicationError


class Command(AccountCommand):
    help = (
        "Email a member of staff a one-time link to set their password (then their "
        "authenticator), and print it."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--hours", type=int, help="How long the link works (default: 72 hours)."
        )

    def handle(self, *args, **options):
        self._hours = options.get("hours")
        super().handle(*args, **options)

    def change(self, user, by) -> str:
        try:
            link, emailed = services.invitation_send(user, by=by, hours=self._hours)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        sent = f"Emailed to {user.email}." if emailed else "No email address: give it to them."
        return f"Invitation for {user.username}: {link}\n{sent}"
