"""``safeguard export-cin --year 2025-26 --output FILE.xml``: the CIN census return.

Safeguard checks the DfE validation rules itself first (``returns.validators.cin``). Each
failure is reported per child with its rule number and what to fix in the record; when any
error rule fails, no file is written, so errors are fixed in the record, not in the file.
Queries (rule numbers ending in Q) are reported and the file is still written.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safeguard.accounts.models import LocalAuthority
from safeguard.core.errors import ApplicationError
from safeguard.returns.builders.cin import build_cin_return
from safeguard.returns.census import CensusYear
from safeguard.returns.progress import ProgressBar
from safeguard.returns.validators.cin import ERROR, validate_cin_return
from safeguard.returns.writers.cin import render_cin_xml


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
        except ApplicationError as error:
            raise CommandError(error.message) from error
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
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist.")

        bar = ProgressBar(f"Reading {census_year} records")
        try:
            census = build_cin_return(authority=authority, year=census_year, progress=bar)
        finally:
            bar.close()
        failures = validate_cin_return(census)
        errors = [f for f in failures if f.level == ERROR]
        for line in _report(failures):
            self.stderr.write(line)
        if errors:
            children = len({f.person_id for f in errors if f.person_id is not None})
            where = (
                f"in the records of {children} child{'ren' if children != 1 else ''}"
                if children
                else "in the return"
            )
            raise CommandError(
                f"{len(errors)} error{'s' if len(errors) != 1 else ''} {where} (listed above): "
                "fix them in the records and export again. No file was written."
            )
        data = render_cin_xml(census, generated_at=timezone.localtime(), release=_release())
        _write_atomically(path, data)
        queries = len(failures) - len(errors)
        self.stdout.write(
            f"Wrote {path}: CIN census {census_year} for {authority.name} "
            f"({authority.dfe_la_code}), {len(census.children):,} "
            f"child{'ren' if len(census.children) != 1 else ''}, "
            f"{sum(len(c.episodes) for c in census.children):,} episodes; no errors"
            + (f", {queries} quer{'ies' if queries != 1 else 'y'} to check." if queries else ".")
        )


def _release() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("safeguard")
    except PackageNotFoundError:
        return ""


def _report(failures) -> list[str]:
    """One block per child: who, then each rule that failed on their records. Failures of
    the return as a whole come first."""
    lines: list[str] = []
    current = None

    def order(f):
        return (f.person_id is not None, f.la_child_id, str(f.person_id), f.code)

    for failure in sorted(failures, key=order):
        key = (failure.la_child_id, failure.person_id)
        if key != current:
            current = key
            if failure.person_id is None:
                lines.append("The return as a whole:")
            else:
                who = failure.la_child_id or "(no LA child id)"
                lines.append(f"Child {who} (record {failure.person_id}):")
        level = "error" if failure.level == ERROR else "query"
        lines.append(f"  rule {failure.code} ({level}): {failure.message}")
        if failure.detail:
            lines.append(f"    {failure.detail}")
    return lines


def _write_atomically(path: Path, data: bytes) -> None:
    """Write the whole file or nothing: a half-written return must never be sent."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
