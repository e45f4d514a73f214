"""``safeguard export-annex-a --as-of DATE --output FILE.xlsx``: Ofsted's Annex A lists 1 to 7.

The workbook covers the six months before the as-of date (docs/decisions/0011-annex-a.md).
It is written whole or not at all: a bad date, an unknown authority or an output path that
cannot be written gives a clear message and leaves no file behind.

Like ``export-cin``, this is an operator's command run without a signed-in user, so it
writes no access events (the reads are the system's, not a person's); the audit trail of who
ran it is the server's own log.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from safeguard.core.errors import ApplicationError
from safeguard.returns import selectors, services
from safeguard.returns.builders.annex_a import AnnexAPeriod
from safeguard.returns.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Write Ofsted's Annex A lists 1 to 7 (contacts, early help assessments, referrals, "
        "assessments, section 47 enquiries and ICPCs, children in need, child protection) "
        "for the six months before a date, as an Excel workbook with one sheet per list."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of",
            dest="as_of",
            required=True,
            help="The last day the lists cover, YYYY-MM-DD; they start six months before it.",
        )
        parser.add_argument("--output", required=True, help="The .xlsx file to write.")
        parser.add_argument(
            "--authority-code", help="DfE LA code of the authority (default: the only one)."
        )

    def handle(self, *args, as_of, output, authority_code=None, **options):
        try:
            period = AnnexAPeriod.parse(as_of)
            path = services.check_annex_a_output(output)
            authority = selectors.authority_for_code(authority_code)
            bar = ProgressBar("Reading Annex A records")
            try:
                made = services.export_annex_a(
                    authority=authority, period=period, output=path, progress=bar
                )
            finally:
                bar.close()
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Wrote {made.path}: {made.summary}")
