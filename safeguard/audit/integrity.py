"""Whole-database checks shared by ``verify-audit``, ``backup`` and ``restore``."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connections

from safeguard.audit import chain, checkpoints, guard
from safeguard.audit.models import AccessEvent, ChangeEvent


@dataclass
class AuditCheck:
    chains: list[chain.ChainReport]
    triggers: list[str]
    expected_triggers: list[str]
    # Breaks found against the checkpoints kept outside the database (``checkpoints.py``).
    checkpoint_problems: list[str] = field(default_factory=list)
    checkpoint_notes: list[str] = field(default_factory=list)

    @property
    def missing_triggers(self) -> list[str]:
        return sorted(set(self.expected_triggers) - set(self.triggers))

    @property
    def ok(self) -> bool:
        return (
            all(r.ok for r in self.chains)
            and not self.missing_triggers
            and not self.checkpoint_problems
        )

    def heads(self) -> dict[str, tuple[int, str]]:
        return {r.table: (r.last_sequence, r.last_hash) for r in self.chains}

    def lines(self) -> list[str]:
        out = []
        for r in self.chains:
            if r.ok:
                tail = f" (last sequence {r.last_sequence}, hash {r.last_hash[:16]})"
                tail = tail if r.rows else ""
                out.append(f"{r.table}: {r.rows} rows, chain intact{tail}")
            else:
                out.append(f"{r.table}: BROKEN after {r.rows - 1} good rows: {r.first_break}")
        if self.missing_triggers:
            out.append("append-only triggers MISSING: " + ", ".join(self.missing_triggers))
        else:
            out.append(f"append-only triggers: {len(self.triggers)} in place")
        out += [f"checkpoint BROKEN: {p}" for p in self.checkpoint_problems]
        out += self.checkpoint_notes
        return out

    def failure(self) -> str:
        for r in self.chains:
            if not r.ok:
                return f"First break in {r.first_break}"
        if self.checkpoint_problems:
            return "Checkpoint kept outside the database: " + self.checkpoint_problems[0]
        return "Append-only triggers missing: " + ", ".join(self.missing_triggers)


def verify_all(using: str = "default", *, restoring: bool = False) -> AuditCheck:
    """Both chains from the start, the triggers, and the chains' heads against the latest
    checkpoint kept outside the database. ``restoring``: the database is a backup being put
    back, so it may end before the latest checkpoint, but must agree with the last one it
    reaches."""
    log = checkpoints.read()
    reports = [
        chain.verify(model, using, keyed_from=log.keyed_from(model._meta.db_table))
        for model in (AccessEvent, ChangeEvent)
    ]
    vendor = connections[using].vendor
    expected = guard.EXPECTED_TRIGGERS.get(vendor, [])
    check = AuditCheck(reports, guard.triggers_present(using), expected)
    check.checkpoint_problems += log.problems
    for model, report in zip((AccessEvent, ChangeEvent), reports, strict=True):
        table = report.table
        entry = log.latest_within(table, report.last_sequence) if restoring else log.latest(table)
        if entry is None:
            continue
        sequence, expected_hash = entry.heads[table]
        if sequence > report.last_sequence:
            check.checkpoint_problems.append(
                f"{table}: the chain ends at sequence {report.last_sequence}, but the checkpoint "
                f"of {entry.at} recorded sequence {sequence}: rows were removed from its end, or "
                "an older copy of the database was put back"
            )
            continue
        if sequence == 0:
            continue
        found = (
            model._base_manager.using(using)
            .filter(sequence=sequence)
            .values_list("hash", flat=True)
            .first()
        )
        if found != expected_hash:
            check.checkpoint_problems.append(
                f"{table}: row sequence {sequence} has hash {str(found)[:16]}…, but the "
                f"checkpoint of {entry.at} recorded {expected_hash[:16]}…: the chain was "
                "rewritten"
            )
        else:
            check.checkpoint_notes.append(
                f"{table}: agrees with the checkpoint of {entry.at} (sequence {sequence})"
            )
    return check


def checkpoint(check: AuditCheck, kind: str = "checkpoint", note: str = "") -> None:
    """Record the heads of an intact audit trail outside the database."""
    if not check.ok:
        raise ValueError("Only an intact audit trail is checkpointed")
    checkpoints.append(kind, check.heads(), note)


def verify_and_checkpoint() -> str:
    """The scheduled job ``verify-audit``: verify both chains and, when intact, write a
    checkpoint; a break raises, so that the job is marked failed (the administration page,
    ``check-setup`` and ``/health/`` show it)."""
    check = verify_all()
    if not check.ok:
        raise AuditBroken(check.failure())
    checkpoint(check, note="nightly")
    return "Both chains intact; checkpoint written"


class AuditBroken(Exception):
    """The audit trail failed verification."""


def sqlite_integrity(using: str = "default") -> str:
    """``PRAGMA integrity_check``: "ok" or the problems found."""
    with connections[using].cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        return "; ".join(str(row[0]) for row in cursor.fetchall())
