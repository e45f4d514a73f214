"""Importing CIN census files into the records: the one way, for ``safeguard import-cin``
and for an import started from the web (``returns/tasks.py``).

Files are applied in order of their ReferenceDate, whatever order they are given in, and
merged by the rules of kpis.md §6: importing overlapping years never duplicates a record, and
importing a file again changes nothing. Every file is read and checked first (structure, code
lists, dates, and the DfE rules the export obeys); a problem anywhere refuses the whole import
with a report naming the file, line, child and what is wrong, and nothing is stored. With
``skip_invalid`` the children with problems are reported and left out, and the rest are
imported; a problem with a file as a whole (not well-formed XML, no census header, another
authority's LEA) refuses the import even then. Everything is stored in one transaction: all
or nothing.

``by`` is the person importing: an active system administrator of the authority, who is the
``by`` of every change. Without one the import runs as the authority's inactive census-import
account, and only into a database holding no child recorded in Safeguard (a first load). A
child whose records were made or changed in Safeguard and that the file would change, and a
sealed child the importer may not see, are left as they are and reported; the rest is
imported (decision 0017).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import DataError, IntegrityError, transaction

from safeguard.accounts.models import LocalAuthority, User
from safeguard.core.errors import ApplicationError
from safeguard.returns import permissions
from safeguard.returns.builders.cin import CinChild
from safeguard.returns.importers.cin import (
    ChildLeftAsRecorded,
    CinImporter,
    census_import_account,
    holds_records_made_in_safeguard,
    merge_children,
)
from safeguard.returns.readers.cin import ParsedFile, Problem, read_cin_file
from safeguard.timescales import projection

# A census file is a few megabytes; refuse anything absurd before parsing it.
MAX_FILE_BYTES = 200 * 1024 * 1024


class _Refused(Exception):
    """A child could not be stored and ``skip_invalid`` was not given: undo everything."""


def _children(n: int) -> str:
    return "child" if n == 1 else "children"


@dataclass
class CinImport:
    """What an import did, or why it imported nothing.

    ``report`` is every problem found, file by file, line by line ("a.xml:", then "  line 12:
    child C1: ..."): the children not imported and those left as recorded, or what refused
    the import. When ``refused`` says why, nothing was stored.
    """

    authority: LocalAuthority
    files: list[ParsedFile]  # as read, oldest ReferenceDate first
    report: list[str] = field(default_factory=list)
    refused: str = ""
    by: User | None = None  # the author of every change (None when nothing was imported)
    imported: int = 0
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    skipped: int = 0  # children not imported for a problem in their data
    left: int = 0  # children left as recorded, for a person to resolve

    def read_lines(self) -> list[str]:
        """One line per file read: its census year, LA and number of children."""
        return [
            f"Read {p.name}: CIN census {p.year} (LA {p.la_code}), {len(p.children):,} children."
            for p in self.files
        ]

    @property
    def summary(self) -> str:
        """The last line: "Imported 2 children for Testshire Borough (991): ...; ... By al."."""
        authority, skipped, left = self.authority, self.skipped, self.left
        return (
            f"Imported {self.imported:,} {_children(self.imported)} for {authority.name} "
            f"({authority.dfe_la_code}): {_counts('created', self.created)}; "
            f"{_counts('changed', self.updated)}."
            + (f" {skipped} {_children(skipped)} not imported (listed above)." if skipped else "")
            + (
                f" {left} {_children(left)} left as recorded, "
                "for a person to resolve (listed above)."
                if left
                else ""
            )
            + f" By {self.by.username}."
        )


def import_cin(
    *,
    files: list,
    authority: LocalAuthority,
    by: User | None,
    skip_invalid: bool = False,
    progress=None,
) -> CinImport:
    """Import the census files at the paths ``files`` into ``authority``'s records, as
    ``by`` (None: the census-import account, for a first load only). Raises
    ``ApplicationError`` when the import cannot start (who imports, a missing or absurd
    file); returns a ``CinImport``, refused with its report when a file or child has
    problems. ``progress(done, total)`` is called as the children are stored."""
    _check_importer(by, authority)
    parsed = [_read(Path(name), authority) for name in files]
    parsed.sort(key=lambda p: p.reference_date or date.min)
    result = CinImport(authority=authority, files=parsed)
    refused = [p for p in parsed if p.file_problems]
    invalid = [p for p in parsed if p.invalid_children]
    for p in parsed:
        result.report += _report(p, list(p.problems()))
    if refused or (invalid and not skip_invalid):
        bad = refused if refused else invalid
        total = sum(len(list(p.problems())) for p in bad)
        hint = (
            ""
            if refused
            else " Fix them in the file, or give --skip-invalid to import the valid children."
        )
        result.refused = (
            f"{total} problem{'s' if total != 1 else ''} in "
            f"{', '.join(p.name for p in bad)} (listed above): nothing was imported.{hint}"
        )
        return result

    # Each child as every file gives them, the files applied oldest first (kpis.md §6),
    # so that a record is written once with the values of the newest file that holds it.
    merged: dict[str, tuple[CinChild, date, ParsedFile, int]] = {}
    for p in parsed:
        for entry in p.children:
            if entry.problems:
                continue
            earlier = merged.get(entry.la_child_id)
            child = merge_children(earlier[0], entry.child) if earlier else entry.child
            merged[entry.la_child_id] = (child, p.reference_date, p, entry.line)
    failed: list[tuple[ParsedFile, Problem]] = []
    left: list[tuple[ParsedFile, Problem]] = []
    total = len(merged)
    progress = progress or (lambda done, total: None)
    try:
        # What is due is worked out once per child at the end, not at every record.
        with transaction.atomic(), projection.deferred():
            # The census-import account is made only when something is imported.
            actor = by or census_import_account(authority)
            importer = CinImporter(authority=authority, by=actor)
            progress(0, total)
            for done, (la_child_id, (child, reference_date, p, line)) in enumerate(
                merged.items(), start=1
            ):
                counts = importer.counts()
                try:
                    with transaction.atomic():
                        importer.import_child(child, reference_date=reference_date)
                except ChildLeftAsRecorded as error:
                    importer.restore_counts(counts)
                    left.append((p, Problem(line, la_child_id, error.message)))
                except ApplicationError as error:
                    importer.restore_counts(counts)
                    failed.append((p, Problem(line, la_child_id, error.message)))
                except (IntegrityError, DataError) as error:
                    # The checks above should leave nothing for the database to refuse; if they
                    # miss something, say so for this child, never a traceback.
                    importer.restore_counts(counts)
                    message = f"the records could not be stored ({error})"
                    failed.append((p, Problem(line, la_child_id, message)))
                progress(done, total)
            if failed and not skip_invalid:
                raise _Refused
    except _Refused:
        for p, problem in failed:
            result.report += _report(p, [problem])
        result.refused = (
            f"{len(failed)} {_children(len(failed))} could not be stored "
            "(listed above): nothing was imported."
        )
        return result
    for p, problem in failed + left:
        result.report += _report(p, [problem])
    result.by = actor
    result.imported = total - len(failed) - len(left)
    result.created, result.updated = importer.created, importer.updated
    result.skipped = sum(len(p.invalid_children) for p in parsed) + len(failed)
    result.left = len(left)
    return result


def _check_importer(by: User | None, authority: LocalAuthority) -> None:
    """``by`` may import into ``authority``; no one named, only a first load may be made
    (decision 0017)."""
    if by is None:
        if holds_records_made_in_safeguard(authority):
            raise ApplicationError(
                f"{authority.name} holds children recorded in Safeguard: name the system "
                "administrator importing with --by USERNAME. Nothing was imported."
            )
        return
    if not by.is_active:
        raise ApplicationError(f"There is no active user {by.username!r}. Nothing was imported.")
    if not permissions.can(by, permissions.Action.IMPORT, authority):
        raise ApplicationError(
            f"{by.username} may not import census files into {authority.name}: only its "
            "system administrators may. Nothing was imported."
        )


def _read(path: Path, authority: LocalAuthority) -> ParsedFile:
    if not path.is_file():
        raise ApplicationError(f"There is no file {path}.")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ApplicationError(f"{path} is too large to be a census file.")
    parsed = read_cin_file(path.read_bytes(), name=str(path))
    if parsed.la_code and parsed.la_code != authority.dfe_la_code:
        parsed.file_problems.append(
            Problem(
                1, "", f"the file is for LA {parsed.la_code}, not {authority.name} "
                f"({authority.dfe_la_code})",
            )
        )  # fmt: skip
    return parsed


def _report(parsed: ParsedFile, problems: list[Problem]) -> list[str]:
    if not problems:
        return []
    lines = [f"{parsed.name}:"]
    for problem in sorted(problems, key=lambda p: p.line):
        if problem.la_child_id is None or (
            problem.la_child_id == "" and problem in parsed.file_problems
        ):
            lines.append(f"  line {problem.line}: {problem.message}")
        else:
            who = problem.la_child_id or "(no LAchildID)"
            lines.append(f"  line {problem.line}: child {who}: {problem.message}")
    return lines


def _counts(verb: str, counter) -> str:
    if not counter:
        return f"nothing {verb}"
    return f"{verb} " + ", ".join(f"{n:,} {kind}" for kind, n in sorted(counter.items()))
