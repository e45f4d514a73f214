"""The exports: the CIN census return and Ofsted's Annex A lists, each written to a file.

The one way to make them: ``safeguard export-cin`` and ``export-annex-a`` call these with the
file named on the command line, the background task (``returns/tasks.py``) with a file in the
job's folder. Each returns what it did; the caller says it in its own words.

An export reads many children's records but changes none and writes no access events: the
command is an operator's, run without a signed-in user; a job's file is logged against the
person who downloads it (decision 0012).
"""

from __future__ import annotations

import contextlib
import os
import uuid
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from django.utils import timezone

from safeguard.accounts.models import LocalAuthority
from safeguard.core.db import reporting
from safeguard.core.errors import ApplicationError
from safeguard.people.models import Person
from safeguard.returns.builders.annex_a import AnnexA, AnnexAPeriod, build_annex_a
from safeguard.returns.builders.cin import build_cin_return
from safeguard.returns.census import CensusYear
from safeguard.returns.files import write_atomically
from safeguard.returns.validators.cin import ERROR, Failure, validate_cin_return
from safeguard.returns.writers.annex_a import render_annex_a_xlsx
from safeguard.returns.writers.cin import render_cin_xml


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


# The CIN census ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CinExport:
    """What an export of the CIN census did.

    ``failures`` are the DfE rules the records break, errors and queries, in the order they
    are reported (the return as a whole first, then child by child). When any error rule
    fails no file is written (``path`` is None): errors are fixed in the records, not in the
    file. Queries are reported and the file is still written.
    """

    authority: LocalAuthority
    year: CensusYear
    failures: list[Failure]
    person_ids: list[uuid.UUID]  # the children in the return
    episodes: int
    path: Path | None

    @property
    def children(self) -> int:
        return len(self.person_ids)

    @property
    def errors(self) -> list[Failure]:
        return [f for f in self.failures if f.level == ERROR]

    @property
    def queries(self) -> int:
        return len(self.failures) - len(self.errors)

    @property
    def refused(self) -> bool:
        return bool(self.errors)

    @property
    def title(self) -> str:
        """What was exported: "CIN census 2025-26 for Testshire Borough (991)"."""
        authority = self.authority
        return f"CIN census {self.year} for {authority.name} ({authority.dfe_la_code})"

    @property
    def counts(self) -> str:
        """What the file holds: "1,204 children, 1,377 episodes; no errors, 2 queries to
        check." (for a file written)."""
        queries = self.queries
        return (
            f"{self.children:,} {_plural(self.children, 'child', 'children')}, "
            f"{self.episodes:,} episodes; no errors"
            + (f", {queries} {_plural(queries, 'query', 'queries')} to check." if queries else ".")
        )

    @property
    def error_count(self) -> str:
        """Why no file was written: "3 errors in the records of 2 children"."""
        errors = self.errors
        children = len({f.person_id for f in errors if f.person_id is not None})
        where = (
            f"in the records of {children} {_plural(children, 'child', 'children')}"
            if children
            else "in the return"
        )
        return f"{len(errors)} {_plural(len(errors), 'error', 'errors')} {where}"

    def report_lines(self) -> list[str]:
        """The failures as text: one block per child (who, then each rule that failed on
        their records); failures of the return as a whole first."""
        lines: list[str] = []
        current = None
        for failure in self.failures:
            key = (failure.la_child_id, failure.person_id)
            if key != current:
                current = key
                if failure.person_id is None:
                    lines.append("The return as a whole:")
                else:
                    who = failure.la_child_id or "(no LA child id)"
                    lines.append(f"Child {who} (record {failure.person_id}):")
            lines.append(f"  rule {failure.code} ({_level(failure)}): {failure.message}")
            if failure.detail:
                lines.append(f"    {failure.detail}")
        return lines

    def report_rows(self) -> list[dict[str, str]]:
        """The failures as rows, for a job's page."""
        return [
            {
                "child": f.la_child_id or "",
                "record": str(f.person_id) if f.person_id else "",
                "rule": f.code,
                "level": _level(f),
                "message": f.message,
                "detail": f.detail or "",
            }
            for f in self.failures
        ]


def _level(failure: Failure) -> str:
    return "error" if failure.level == ERROR else "query"


def _report_order(f: Failure):
    return (f.person_id is not None, f.la_child_id, str(f.person_id), f.code)


def cin_file_name(authority: LocalAuthority, year: CensusYear) -> str:
    return f"cin-census-{year.label}-{authority.dfe_la_code}.xml"


def release() -> str:
    """Safeguard's version, which the return names as the software that made it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("safeguard")
    except PackageNotFoundError:
        return ""


def export_cin(
    *, authority: LocalAuthority, year: CensusYear, output: Path, progress=None
) -> CinExport:
    """Build the CIN census return of ``authority`` for ``year``, check it against the DfE
    rules and, when no error rule fails, write it to ``output`` (whole or not at all).
    ``progress(done, total)`` is called as the records are read."""
    output = Path(output)
    if not output.parent.is_dir():
        raise ApplicationError(f"The folder {output.parent} does not exist.")
    # Read from the reporting replica, if there is one (decision 0072).
    with reporting():
        census = build_cin_return(authority=authority, year=year, progress=progress)
        failures = sorted(validate_cin_return(census), key=_report_order)
    result = CinExport(
        authority=authority,
        year=year,
        failures=failures,
        person_ids=[child.person_id for child in census.children],
        episodes=sum(len(c.episodes) for c in census.children),
        path=None,
    )
    if result.refused:
        return result
    data = render_cin_xml(census, generated_at=timezone.localtime(), release=release())
    write_atomically(output, data)
    return replace(result, path=output)


# Ofsted's Annex A ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AnnexAExport:
    """What an export of the Annex A lists did: the lists (rows per list) and the workbook
    written."""

    authority: LocalAuthority
    period: AnnexAPeriod
    annex: AnnexA
    path: Path

    @property
    def summary(self) -> str:
        """What was exported: "Annex A for Testshire Borough (991), 1 October 2025 to 31
        March 2026; rows: list 1 12, list 2 3, ..."."""
        counts = ", ".join(f"list {a.number} {len(a.rows):,}" for a in self.annex.lists)
        authority = self.authority
        return (
            f"Annex A for {authority.name} ({authority.dfe_la_code}), {self.period}; "
            f"rows: {counts}."
        )

    @cached_property
    def person_ids(self) -> list[uuid.UUID]:
        """The people in the workbook: its "Child Unique ID" is the LA child id, or the
        record's id when there is none."""
        ids: set[str] = set()
        for sheet in self.annex.lists:
            column = next(i for i, c in enumerate(sheet.columns) if c.key == "child_id")
            ids.update(str(row[column]) for row in sheet.rows if row[column])
        uuids = []
        for value in ids:
            with contextlib.suppress(ValueError):
                uuids.append(uuid.UUID(value))
        people = Person.objects.filter(authority=self.authority)
        found = set(people.filter(la_child_id__in=ids).values_list("pk", flat=True))
        found |= set(people.filter(pk__in=uuids).values_list("pk", flat=True))
        return sorted(found, key=str)


def annex_a_file_name(authority: LocalAuthority, period: AnnexAPeriod) -> str:
    return f"annex-a-{period.as_of.isoformat()}-{authority.dfe_la_code}.xlsx"


def check_annex_a_output(output) -> Path:
    """``output`` if a workbook can be written there; otherwise why not."""
    path = Path(output)
    if path.suffix.lower() != ".xlsx":
        raise ApplicationError(f"The output must be an .xlsx file, not {path.name!r}.")
    if not path.parent.is_dir():
        raise ApplicationError(f"The folder {path.parent} does not exist.")
    if path.is_dir():
        raise ApplicationError(f"{path} is a folder: name the .xlsx file to write.")
    if not os.access(path.parent, os.W_OK):
        raise ApplicationError(f"Cannot write to the folder {path.parent}: no permission.")
    return path


def export_annex_a(
    *, authority: LocalAuthority, period: AnnexAPeriod, output, progress=None
) -> AnnexAExport:
    """Write Ofsted's Annex A lists 1 to 7 of ``authority`` over ``period`` to the workbook
    ``output`` (whole or not at all). ``progress(done, total)`` is called as the records are
    read."""
    path = check_annex_a_output(output)
    with reporting():  # the reporting replica, if there is one (decision 0072)
        annex = build_annex_a(authority=authority, period=period, progress=progress)
    data = render_annex_a_xlsx(annex)
    try:
        write_atomically(path, data)
    except OSError as error:
        raise ApplicationError(
            f"Could not write {path}: {error.strerror or error}. No file was written."
        ) from error
    return AnnexAExport(authority=authority, period=period, annex=annex, path=path)
