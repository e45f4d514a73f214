"""``safeguard demo_accounts``: show the demo accounts, their password and second factor."""

import shlex
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from safeguard.demo.generator.accounts import read_demo_totp_secret


def safeguard_command() -> str:
    """How this install's ``safeguard`` command is typed from here (e.g. .venv/bin/safeguard)."""
    program = Path(sys.argv[0])
    if program.name != "safeguard":
        return "safeguard"
    try:
        return shlex.quote(str(program.resolve().relative_to(Path.cwd().resolve())))
    except ValueError:
        return shlex.quote(str(program))


class Command(BaseCommand):
    help = (
        "Show the demo accounts written by `safeguard demo`, with the shared password and how "
        "to get the second factor (a code from an authenticator app, or `safeguard demo_code`)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/",
            help="The sign-in address to show (default http://127.0.0.1:8000/).",
        )

    def handle(self, *args, **options):
        path = settings.SAFEGUARD_DEMO_ACCOUNTS_FILE
        try:
            text = path.read_text(encoding="utf-8")
            secret = read_demo_totp_secret(path)
        except FileNotFoundError as error:
            raise CommandError(
                f"No demo accounts file at {path}. Run `safeguard demo` on an empty database "
                "first: it creates the accounts and writes that file."
            ) from error
        except OSError as error:
            raise CommandError(f"Could not read the demo accounts file {path}: {error}") from error
        self.stdout.write(f"Sign in at {options['url']} with any of these accounts.\n\n")
        self.stdout.write(text.rstrip("\n"))
        self.stdout.write("")
        if secret:
            command = safeguard_command()
            self.stdout.write(
                "Signing in takes two steps: the password, then a 6-digit code. Get the code "
                "from an authenticator app given the secret above, or print it with:"
            )
            self.stdout.write(f"Code for an account now: {command} demo_code sw1")
        else:
            self.stdout.write(
                "Signing in takes two steps: the password, then a 6-digit code. These accounts "
                "were made before demo authenticators existed: the first sign-in of each asks "
                "you to set up an authenticator app."
            )
