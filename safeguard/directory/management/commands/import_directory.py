"""``safeguard import-directory FILE [--dry-run] [--authority-code C] [--by ADMIN]``: an Open
Referral UK file into the authority's directory (decision 0079). Services are matched by
their Open Referral UK id; the file is imported whole or not at all, and an invalid file is
refused with every reason."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safeguard.accounts import services as accounts
from safeguard.accounts.commandline import acting_administrator, add_by_argument
from safeguard.core.errors import ApplicationError
from safeguard.directory import oruk, services


class Command(BaseCommand):
    help = "Import an Open Referral UK file (JSON) into the directory of services."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The Open Referral UK file (UTF-8 JSON).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would change; save nothing."
        )
        parser.add_argument("--authority-code", help="DfE LA code (default: the only authority)")
        add_by_argument(parser)

    def handle(self, *args, **options):
        path = options["file"]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not UTF-8 text: {error.reason}") from error
        by = acting_administrator(options)
        try:
            authority = accounts.authority_named(options["authority_code"])
            outcome = services.directory_import(
                by=by, authority=authority, text=text, dry_run=options["dry_run"]
            )
        except oruk.FileRefused as refused:
            for reason in refused.reasons:
                self.stderr.write(f"{path.name}: {reason}")
            raise CommandError(refused.message) from refused
        except ApplicationError as error:
            raise CommandError(error.message) from error
        for line in outcome.lines():
            self.stdout.write(line)
