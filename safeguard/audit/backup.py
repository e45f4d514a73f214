"""``safeguard backup FILE`` and ``safeguard restore FILE``, with their checks.

SQLite: SQLite's online backup API copies the live database in one step, which reads one
consistent snapshot while writers carry on (WAL). The copy is checked (``PRAGMA
integrity_check`` and both audit chains) before it is moved into place under FILE, and a
restore checks FILE the same way before copying it over the database, and the database again
after.

PostgreSQL: ``pg_dump -Fc`` (a consistent snapshot) and ``pg_restore --clean
--single-transaction``, then the audit chains and triggers are checked in the restored
database. The PostgreSQL client programs come with the machine's PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.db import DatabaseError, connections

from safeguard.audit import checkpoints
from safeguard.audit.integrity import AuditCheck, checkpoint, sqlite_integrity, verify_all


class BackupError(Exception):
    """The backup or restore failed, or its result did not pass the checks."""


@dataclass
class Outcome:
    seconds: float
    integrity: str
    audit: AuditCheck | None
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"integrity: {self.integrity}"]
        if self.audit is not None:
            out += self.audit.lines()
        return out + self.notes


@contextmanager
def sqlite_file(path: Path, using: str = "default") -> Iterator[str]:
    """A temporary database alias for another SQLite file, with the same settings."""
    alias = f"check_{uuid.uuid4().hex[:8]}"
    settings = dict(connections.settings[using])
    settings["NAME"] = str(path)
    options = settings.get("OPTIONS", {})
    settings["OPTIONS"] = {k: v for k, v in options.items() if k != "init_command"}
    connections.settings[alias] = settings
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


def check_sqlite_file(path: Path, using: str = "default", *, restoring: bool = False) -> Outcome:
    start = time.monotonic()
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            integrity = "; ".join(str(r[0]) for r in db.execute("PRAGMA integrity_check"))
        finally:
            db.close()
    except sqlite3.DatabaseError as error:  # not a database at all
        integrity = f"unreadable: {error}"
    audit = None
    if integrity == "ok":
        with sqlite_file(path, using) as alias:
            try:
                audit = verify_all(alias, restoring=restoring)
            except DatabaseError as error:  # a database, but not Safeguard's
                integrity = f"not a Safeguard database: {error}"
    return Outcome(time.monotonic() - start, integrity, audit)


def _ok(outcome: Outcome) -> bool:
    return outcome.integrity == "ok" and outcome.audit is not None and outcome.audit.ok


# --- SQLite ------------------------------------------------------------------------------------


def sqlite_backup(target: Path, using: str = "default") -> Outcome:
    start = time.monotonic()
    connection = connections[using]
    connection.ensure_connection()
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    destination = sqlite3.connect(partial)
    try:
        connection.connection.backup(destination)  # all pages in one step: one snapshot
    finally:
        destination.close()
    checked = check_sqlite_file(partial, using)
    if checked.integrity != "ok":
        partial.unlink()
        raise BackupError("The copy failed its integrity check: " + checked.integrity)
    # A broken audit chain is kept as it is (it is evidence); the command reports it.
    os.replace(partial, target)
    checked.seconds = time.monotonic() - start
    return checked


def sqlite_restore(source: Path, using: str = "default") -> Outcome:
    start = time.monotonic()
    before = check_sqlite_file(source, using, restoring=True)
    if not _ok(before):
        raise BackupError(f"{source} is not a sound backup: " + "; ".join(before.lines()))
    connection = connections[using]
    connection.close()
    connection.ensure_connection()
    origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        origin.backup(connection.connection)
    finally:
        origin.close()
    connection.close()
    integrity = sqlite_integrity(using)
    return Outcome(time.monotonic() - start, integrity, verify_all(using, restoring=True))


# --- PostgreSQL --------------------------------------------------------------------------------


def _pg_args(using: str) -> tuple[list[str], dict[str, str]]:
    s = connections.settings[using]
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if s.get(key):
            args += [flag, str(s[key])]
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return args, env


def _run(program: str, args: list[str], env: dict[str, str]) -> None:
    path = shutil.which(program)
    if path is None:
        raise BackupError(f"{program} is not installed: it comes with PostgreSQL's client programs")
    result = subprocess.run([path, *args], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()}")


def postgres_backup(target: Path, using: str = "default") -> Outcome:
    start = time.monotonic()
    args, env = _pg_args(using)
    partial = target.with_name(target.name + ".partial")
    name = connections.settings[using]["NAME"]
    _run("pg_dump", [*args, "-Fc", "--no-owner", "--no-privileges", "-f", str(partial), name], env)
    _run("pg_restore", ["--list", str(partial)], env)  # the archive reads back whole
    os.replace(partial, target)
    note = "archive readable (pg_restore --list); the audit chains are checked on restore"
    return Outcome(time.monotonic() - start, "ok", None, [note])


def postgres_restore(source: Path, using: str = "default") -> Outcome:
    start = time.monotonic()
    if not source.is_file():
        raise BackupError(f"No such file: {source}")
    args, env = _pg_args(using)
    name = connections.settings[using]["NAME"]
    _run("pg_restore", ["--list", str(source)], env)  # a pg_dump archive, readable whole
    _run(
        "pg_restore",
        [
            *args, "--clean", "--if-exists", "--no-owner", "--no-privileges",
            "--single-transaction", "--exit-on-error", "-d", name, str(source),
        ],
        env,
    )
    connections[using].close()  # what this process knew of the old database is gone
    integrity = "ok (pg_restore in one transaction)"
    return Outcome(time.monotonic() - start, integrity, verify_all(using, restoring=True))


def backup(target: Path, using: str = "default") -> Outcome:
    vendor = connections[using].vendor
    if vendor == "sqlite":
        outcome = sqlite_backup(target, using)
        if outcome.audit is not None and outcome.audit.ok:
            # The heads of the checked copy: the database must never end before them.
            checkpoint(outcome.audit, note=f"backup {target.name}")
            outcome.notes.append(f"checkpoint written to {checkpoints.path()}")
    elif vendor == "postgresql":
        outcome = postgres_backup(target, using)
    else:
        raise BackupError(f"No backup for {vendor}")
    if outcome.audit is None or outcome.audit.ok:
        record_backup(target)
    return outcome


BACKUP_MADE = "backup"


def record_backup(target: Path) -> None:
    """Note that a sound backup was made to ``target``, and when, in the checkpoint file
    (``last_backup``; ``safeguard check-setup``)."""
    checkpoints.append(BACKUP_MADE, {}, note=f"backup {target.name}")


def last_backup() -> datetime | None:
    """When the last sound ``safeguard backup`` finished, from the checkpoint file (kept
    outside the database, each line keyed); None if there has been none."""
    made = [e.at for e in checkpoints.read().entries if e.kind == BACKUP_MADE]
    return datetime.fromisoformat(made[-1]) if made else None


def restore(source: Path, using: str = "default") -> Outcome:
    if not source.is_file():
        raise BackupError(f"No such file: {source}")
    vendor = connections[using].vendor
    if vendor == "sqlite":
        outcome = sqlite_restore(source, using)
    elif vendor == "postgresql":
        outcome = postgres_restore(source, using)
    else:
        raise BackupError(f"No restore for {vendor}")
    if not (outcome.integrity.startswith("ok") and outcome.audit and outcome.audit.ok):
        raise BackupError("The restored database failed its checks: " + "; ".join(outcome.lines()))
    # The database now ends where the backup did: later checkpoints give way to this one.
    checkpoint(outcome.audit, kind="restored", note=f"restore {source.name}")
    outcome.notes.append(f"checkpoint written to {checkpoints.path()}")
    return outcome
