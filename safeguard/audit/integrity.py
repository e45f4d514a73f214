"""Whole-database checks shared by ``verify-audit``, ``backup`` and ``restore``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections

from safeguard.audit import chain, guard
from safeguard.audit.models import AccessEvent, ChangeEvent


@dataclass
class AuditCheck:
    chains: list[chain.ChainReport]
    triggers: list[str]
    expected_triggers: list[str]

    @property
    def missing_triggers(self) -> list[str]:
        return sorted(set(self.expected_triggers) - set(self.triggers))

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.chains) and not self.missing_triggers

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
        return out

    def failure(self) -> str:
        for r in self.chains:
            if not r.ok:
                return f"First break in {r.first_break}"
        return "Append-only triggers missing: " + ", ".join(self.missing_triggers)


def verify_all(using: str = "default") -> AuditCheck:
    reports = [chain.verify(AccessEvent, using), chain.verify(ChangeEvent, using)]
    vendor = connections[using].vendor
    expected = guard.EXPECTED_TRIGGERS.get(vendor, [])
    return AuditCheck(reports, guard.triggers_present(using), expected)


def sqlite_integrity(using: str = "default") -> str:
    """``PRAGMA integrity_check``: "ok" or the problems found."""
    with connections[using].cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        return "; ".join(str(row[0]) for row in cursor.fetchall())
