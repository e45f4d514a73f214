"""``safeguard export-cin --year 2025-26 --output FILE.xml``: the CIN census return.

Safeguard checks the DfE validation rules itself first (``returns.validators.cin``). Each
failure is reported per child with its rule number and what to fix in the record; when any
error rule fails, no file is written, so errors are fixed in the record, not in the file.
Queries (rule numbers ending in Q) are reported and the file is still written.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from safeguard.core.errors import ApplicationError
from safeguard.returns import selectors, services
from safeguard.returns.census import CensusYear
from safeguard.returns.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Write the children in need (CIN) census XML for a census year, after checking the DfE "
        "validation rules against the records. Errors are listed per child and stop the export."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="The census year, like 2025-26.")
        parser.add_argument("--output", required=True, help="The XML file to write.")
        parser.add_argument(
            "--authority-code", help="DfE LA code of the authority (default: the only one)."
        )

    def handle(self, *args, year, output, authority_code=None, **options):
        try:
            census_year = CensusYear.parse(year)
            authority = selectors.authority_for_code(authority_code)
            bar = ProgressBar(f"Reading {census_year} records")
            try:
                made = services.export_cin(
                    authority=authority, year=census_year, output=output, progress=bar
                )
            finally:
                bar.close()
        except ApplicationError as error:
            raise CommandError(error.message) from error
        for line in made.report_lines():
            self.stderr.write(line)
        if made.refused:
            raise CommandError(
                f"{made.error_count} (listed above): fix them in the records and export "
                "again. No file was written."
            )
        self.stdout.write(f"Wrote {made.path}: {made.title}, {made.counts}")
