"""``safeguard changepassword [USERNAME] [--by ADMIN]``: Django's command, audited.

It asks for the new password twice and checks it against the password rules, as Django's
does, then changes it through ``accounts.services.set_password``: the account's sessions end
and the change is recorded in its history (never the password), by the system administrator
named with ``--by`` or, without it, by the inactive command-line account (decision 0024).
"""

import getpass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from safeguard.accounts import services
from safeguard.accounts.commandline import acting_administrator, add_by_argument
from safeguard.accounts.models import User

MAX_TRIES = 3


class Command(BaseCommand):
    help = "Change a user's password; their sessions end and the change is recorded."
    requires_migrations_checks = True
    requires_system_checks = []

    def _get_pass(self, prompt="Password: "):
        password = getpass.getpass(prompt=prompt)
        if not password:
            raise CommandError("aborted")
        return password

    def add_arguments(self, parser):
        parser.add_argument(
            "username",
            nargs="?",
            help="Username to change password for; by default, it's the current username.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            choices=tuple(connections),
            help='Specifies the database to use. Default is "default".',
        )
        add_by_argument(parser)

    def handle(self, *args, **options):
        username = options["username"] or getpass.getuser()
        user = User._default_manager.using(options["database"]).filter(username=username).first()
        if user is None:
            raise CommandError(f"user '{username}' does not exist")
        by = acting_administrator(options)
        self.stdout.write(f"Changing password for user '{user}'")
        for _ in range(MAX_TRIES):
            first = self._get_pass()
            second = self._get_pass("Password (again): ")
            if first != second:
                self.stdout.write("Passwords do not match. Please try again.")
                continue
            try:
                validate_password(second, user)
            except ValidationError as error:
                self.stderr.write("\n".join(error.messages))
                continue
            services.set_password(user, by=by, password=second)
            self.stdout.write(f"Password changed successfully for user '{user}'")
            return
        raise CommandError(
            f"Aborting password change for user '{user}' after {MAX_TRIES} attempts"
        )
