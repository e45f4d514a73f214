"""``safeguard import-cin FILE.xml [FILE.xml ...]``: load CIN census files into the records.

The import is ``returns.services.import_cin``, which says how files are merged, checked and
refused: this command reads the options, writes the service's report of problems on standard
error and what was imported on standard output, and fails (exit code 1) when the import was
refused, nothing stored.

``--skip-invalid`` imports the valid children and reports the others, instead of refusing the
file. ``--by USERNAME`` names the person importing: an active system administrator of the
authority, who is the ``by`` of every change. Without it the import runs as the authority's
inactive census-import account, and only into a database holding no child recorded in
Safeguard (a first load; decision 0017).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from safeguard.accounts.models import User
from safeguard.core.errors import ApplicationError
from safeguard.returns import selectors, services
from safeguard.returns.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Import children in need (CIN) census XML files (2023-24 GenderCurrent layout and later "
        "Sex layout), merging overlapping years. A file with errors is refused whole with a "
        "report, unless --skip-invalid is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE.xml", help="Census XML files.")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid children and report the others, instead of refusing the file.",
        )
        parser.add_argument(
            "--authority-code", help="DfE LA code of the authority (default: the only one)."
        )
        parser.add_argument(
            "--by",
            metavar="USERNAME",
            help="The system administrator importing: the author of every change. Required "
            "when the database holds children recorded in Safeguard.",
        )

    def handle(self, *args, files, skip_invalid=False, authority_code=None, by=None, **options):
        bar = ProgressBar("Importing children")
        try:
            authority = selectors.authority_for_code(authority_code)
            if by is not None:
                user = User.objects.select_related("agency").filter(username=by).first()
                if user is None:
                    raise ApplicationError(f"There is no active user {by!r}. Nothing was imported.")
                by = user
            made = services.import_cin(
                files=files, authority=authority, by=by, skip_invalid=skip_invalid, progress=bar
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        finally:
            bar.close()
        for line in made.report:
            self.stderr.write(line)
        if made.refused:
            raise CommandError(made.refused)
        for line in made.read_lines():
            self.stdout.write(line)
        self.stdout.write(made.summary)
