"""``safeguard export-directory [--output FILE] [--authority-code C]``: the authority's
directory of services as an Open Referral UK file (decision 0079), to standard output or a
file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safeguard.accounts import services as accounts
from safeguard.core.errors import ApplicationError
from safeguard.directory import oruk, selectors


class Command(BaseCommand):
    help = "Write the directory of services as an Open Referral UK file (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="The file to write (default: stdout)")
        parser.add_argument("--authority-code", help="DfE LA code (default: the only authority)")

    def handle(self, *args, **options):
        try:
            authority = accounts.authority_named(options["authority_code"])
        except ApplicationError as error:
            raise CommandError(error.message) from error
        document = oruk.export(
            selectors.all_services(authority.pk), selectors.level_names(authority.pk)
        )
        text = oruk.dumps(document)
        if options["output"] is None:
            self.stdout.write(text, ending="")
            return
        try:
            options["output"].write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {options['output']}: {error.strerror}") from error
        self.stderr.write(f"{document['totalElements']} services written to {options['output']}")
