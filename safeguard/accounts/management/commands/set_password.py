"""``safeguard set-password USERNAME [--by ADMIN] < FILE``: a new password read from standard
input, for scripted set-up.

The password rules apply, as everywhere; the account's sessions end and the change is
recorded in its history, never the password (decision 0024)."""

import sys

from django.core.management.base import CommandError

from safeguard.accounts import services
from safeguard.accounts.commandline import AccountCommand
from safeguard.core.errors import ApplicationError


class Command(AccountCommand):
    help = (
        "Set a user's password to the first line of standard input (the password rules "
        "apply); their sessions end and the change is recorded."
    )
    stealth_options = ("stdin",)

    def handle(self, *args, **options):
        self._stdin = options.get("stdin") or sys.stdin
        super().handle(*args, **options)

    def change(self, user, by) -> str:
        password = self._stdin.readline().rstrip("\r\n")
        try:
            services.password_set_checked(user, by=by, password=password)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        return f"Password set for {user.username}."
