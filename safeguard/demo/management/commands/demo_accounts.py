"""``safeguard demo_accounts``: show the well-known demo accounts and their password."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Show the demo accounts written by `safeguard demo`, with the shared password."

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
        except FileNotFoundError as error:
            raise CommandError(
                f"No demo accounts file at {path}. Run `safeguard demo` on an empty database "
                "first: it creates the accounts and writes that file."
            ) from error
        except OSError as error:
            raise CommandError(f"Could not read the demo accounts file {path}: {error}") from error
        self.stdout.write(f"Sign in at {options['url']} with any of these accounts.\n\n")
        self.stdout.write(text.rstrip("\n"))
