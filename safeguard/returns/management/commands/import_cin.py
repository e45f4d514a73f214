"""``safeguard import-cin FILE.xml [FILE.xml ...]``: load CIN census files into the records.

Files are applied in order of their ReferenceDate, whatever order they are given in, and
merged by the rules of kpis.md §6: importing overlapping years never duplicates a record, and
importing a file again changes nothing. Every file is read and checked first (structure, code
lists, dates, and the DfE rules the export obeys); a problem anywhere refuses the whole import
with a report naming the file, line, child and what is wrong, and nothing is stored. With
``--skip-invalid`` the children with problems are reported and left out, and the rest are
imported; a problem with a file as a whole (not well-formed XML, no census header, another
authority's LEA) refuses the import even then. Everything is stored in one transaction: all
or nothing.

``--by USERNAME`` names the person importing: an active system administrator of the
authority, who is the ``by`` of every change. Without it the import runs as the authority's
inactive census-import account, and only into a database holding no child recorded in
Safeguard (a first load). A child whose records were made or changed in Safeguard and that the
file would change, and a sealed child the importer may not see, are left as they are and
reported; the rest is imported (decision 0017).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
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
from safeguard.returns.progress import ProgressBar
from safeguard.returns.readers.cin import ParsedFile, Problem, read_cin_file

# A census file is a few megabytes; refuse anything absurd before parsing it.
MAX_FILE_BYTES = 200 * 1024 * 1024


class _Refused(Exception):
    pass


class Command(BaseCommand):
    # A background job passes its own progress recorder (returns/tasks.py) instead of the bar.
    stealth_options = ("progress",)
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
        authority = _authority(authority_code)
        actor = _actor(by, authority)
        parsed = [self._read(Path(name), authority) for name in files]
        parsed.sort(key=lambda p: p.reference_date or date.min)
        refused = [p for p in parsed if p.file_problems]
        invalid = [p for p in parsed if p.invalid_children]
        for p in parsed:
            self._report(p, list(p.problems()))
        if refused or (invalid and not skip_invalid):
            bad = refused if refused else invalid
            total = sum(len(list(p.problems())) for p in bad)
            hint = (
                ""
                if refused
                else " Fix them in the file, or give --skip-invalid to import the valid children."
            )
            raise CommandError(
                f"{total} problem{'s' if total != 1 else ''} in "
                f"{', '.join(p.name for p in bad)} (listed above): nothing was imported.{hint}"
            )

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
        bar = options.get("progress") or ProgressBar("Importing children")
        try:
            with transaction.atomic():
                # The census-import account is made only when something is imported.
                actor = actor or census_import_account(authority)
                importer = CinImporter(authority=authority, by=actor)
                bar(0, total)
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
                        # The checks above should leave nothing for the database to refuse;
                        # if they miss something, say so for this child, never a traceback.
                        importer.restore_counts(counts)
                        message = f"the records could not be stored ({error})"
                        failed.append((p, Problem(line, la_child_id, message)))
                    bar(done, total)
                if failed and not skip_invalid:
                    raise _Refused
        except _Refused:
            bar.close()
            for p, problem in failed:
                self._report(p, [problem])
            raise CommandError(
                f"{len(failed)} child{'ren' if len(failed) != 1 else ''} could not be stored "
                "(listed above): nothing was imported."
            ) from None
        bar.close()
        for p, problem in failed + left:
            self._report(p, [problem])
        skipped = sum(len(p.invalid_children) for p in parsed) + len(failed)
        for p in parsed:
            self.stdout.write(
                f"Read {p.name}: CIN census {p.year} (LA {p.la_code}), "
                f"{len(p.children):,} children."
            )
        imported = total - len(failed) - len(left)
        self.stdout.write(
            f"Imported {imported:,} child{'ren' if imported != 1 else ''} for {authority.name} "
            f"({authority.dfe_la_code}): {_counts('created', importer.created)}; "
            f"{_counts('changed', importer.updated)}."
            + (
                f" {skipped} child{'ren' if skipped != 1 else ''} not imported (listed above)."
                if skipped
                else ""
            )
            + (
                f" {len(left)} child{'ren' if len(left) != 1 else ''} left as recorded, "
                "for a person to resolve (listed above)."
                if left
                else ""
            )
            + f" By {actor.username}."
        )

    def _read(self, path: Path, authority) -> ParsedFile:
        if not path.is_file():
            raise CommandError(f"There is no file {path}.")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(f"{path} is too large to be a census file.")
        parsed = read_cin_file(path.read_bytes(), name=str(path))
        if parsed.la_code and parsed.la_code != authority.dfe_la_code:
            parsed.file_problems.append(
                Problem(
                    1, "", f"the file is for LA {parsed.la_code}, not {authority.name} "
                    f"({authority.dfe_la_code})",
                )
            )  # fmt: skip
        return parsed

    def _report(self, parsed: ParsedFile, problems: list[Problem]) -> None:
        if not problems:
            return
        self.stderr.write(f"{parsed.name}:")
        for problem in sorted(problems, key=lambda p: p.line):
            if problem.la_child_id is None or (
                problem.la_child_id == "" and problem in parsed.file_problems
            ):
                self.stderr.write(f"  line {problem.line}: {problem.message}")
            else:
                who = problem.la_child_id or "(no LAchildID)"
                self.stderr.write(f"  line {problem.line}: child {who}: {problem.message}")


def _authority(code: str | None) -> LocalAuthority:
    authorities = LocalAuthority.objects.all()
    if code:
        authorities = authorities.filter(dfe_la_code=code)
    if authorities.count() != 1:
        raise CommandError(
            "Name the authority with --authority-code (its DfE LA code)"
            if not code
            else f"No authority has the DfE LA code {code}"
        )
    return authorities.get()


def _actor(username: str | None, authority: LocalAuthority) -> User | None:
    """The person importing, or None for the census-import account (decision 0017)."""
    if username is None:
        if holds_records_made_in_safeguard(authority):
            raise CommandError(
                f"{authority.name} holds children recorded in Safeguard: name the system "
                "administrator importing with --by USERNAME. Nothing was imported."
            )
        return None
    user = User.objects.select_related("agency").filter(username=username).first()
    if user is None or not user.is_active:
        raise CommandError(f"There is no active user {username!r}. Nothing was imported.")
    if not permissions.can(user, permissions.Action.IMPORT, authority):
        raise CommandError(
            f"{username} may not import census files into {authority.name}: only its system "
            "administrators may. Nothing was imported."
        )
    return user


def _counts(verb: str, counter) -> str:
    if not counter:
        return f"nothing {verb}"
    return f"{verb} " + ", ".join(f"{n:,} {kind}" for kind, n in sorted(counter.items()))
