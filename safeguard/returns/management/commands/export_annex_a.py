"""``safeguard export-annex-a --as-of DATE --output FILE.xlsx``: Ofsted's Annex A lists 1 to 7.

The workbook covers the six months before the as-of date (docs/decisions/0011-annex-a.md).
It is written whole or not at all: a bad date, an unknown authority or an output path that
cannot be written gives a clear message and leaves no file behind.

Like ``export-cin``, this is an operator's command run without a signed-in user, so it
writes no access events (the reads are the system's, not a person's); the audit trail of who
ran it is the server's own log.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safeguard.accounts.models import LocalAuthority
from safeguard.core.errors import ApplicationError
from safeguard.returns.builders.annex_a import AnnexAPeriod, build_annex_a
from safeguard.returns.progress import ProgressBar
from safeguard.returns.writers.annex_a import render_annex_a_xlsx


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
        except ApplicationError as error:
            raise CommandError(error.message) from error
        path = Path(output)
        if path.suffix.lower() != ".xlsx":
            raise CommandError(f"The output must be an .xlsx file, not {path.name!r}.")
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist.")
        if path.is_dir():
            raise CommandError(f"{path} is a folder: name the .xlsx file to write.")
        if not os.access(path.parent, os.W_OK):
            raise CommandError(f"Cannot write to the folder {path.parent}: no permission.")
        authorities = LocalAuthority.objects.all()
        if authority_code:
            authorities = authorities.filter(dfe_la_code=authority_code)
        if authorities.count() != 1:
            raise CommandError(
                "Name the authority with --authority-code (its DfE LA code)"
                if not authority_code
                else f"No authority has the DfE LA code {authority_code}"
            )
        authority = authorities.get()

        bar = ProgressBar("Reading Annex A records")
        try:
            annex = build_annex_a(authority=authority, period=period, progress=bar)
        finally:
            bar.close()
        data = render_annex_a_xlsx(annex)
        try:
            _write_atomically(path, data)
        except OSError as error:
            raise CommandError(
                f"Could not write {path}: {error.strerror or error}. No file was written."
            ) from error
        counts = ", ".join(f"list {a.number} {len(a.rows):,}" for a in annex.lists)
        self.stdout.write(
            f"Wrote {path}: Annex A for {authority.name} ({authority.dfe_la_code}), "
            f"{period}; rows: {counts}."
        )


def _write_atomically(path: Path, data: bytes) -> None:
    """Write the whole file or nothing: a half-written workbook must never be sent."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
