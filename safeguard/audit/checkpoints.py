"""Checkpoints of the audit chains' heads, kept outside the database.

A keyed chain stops anyone without the key from rewriting rows, but not from cutting rows off
its end (or putting back an older copy of the whole database). So the heads of both chains
(last sequence and hash) are written now and then to an append-only file in
``SAFEGUARD_AUDIT_CHECKPOINT_DIR``, each line keyed under the audit key, and ``verify-audit``
checks the database against the latest one: a chain shorter than its checkpoint, or whose row
at the checkpointed sequence has another hash, is broken.

Lines (one JSON object each, ``mac`` over the rest):

- ``checkpoint``: the heads, written by ``verify-audit`` when the chains are intact, by
  ``backup`` (SQLite: the heads of the checked copy) and so by the nightly job;
- ``keyed-from``: the first keyed sequence of each chain, written once by the migration that
  introduced the key on a database that already had rows (plain SHA-256 before it);
- ``reset``: ``flush`` emptied the database on purpose; earlier checkpoints no longer apply;
- ``restored``: ``restore`` put back a backup; its heads replace the earlier checkpoints;
- ``backup``: ``backup`` made a sound copy (no heads; read by ``backup.last_backup`` for
  ``safeguard check-setup``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from safeguard.audit.chain import derived_key

FILE_NAME = "audit-checkpoints.jsonl"
TABLES = ("audit_accessevent", "audit_changeevent")


def path() -> Path:
    return Path(settings.SAFEGUARD_AUDIT_CHECKPOINT_DIR) / FILE_NAME


def _mac(body: dict) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hmac.new(
        derived_key(b"safeguard audit checkpoint"), text.encode(), hashlib.sha256
    ).hexdigest()


def append(kind: str, heads: dict[str, tuple[int, str]], note: str = "") -> None:
    """Append one keyed line (created with its folder if need be; flushed to disk)."""
    body = {
        "kind": kind,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "heads": {t: [int(s), h] for t, (s, h) in sorted(heads.items())},
        "note": note,
    }
    line = json.dumps({**body, "mac": _mac(body)}, sort_keys=True) + "\n"
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class Entry:
    number: int
    kind: str
    at: str
    heads: dict[str, tuple[int, str]]


@dataclass
class Log:
    entries: list[Entry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def keyed_from(self, table: str) -> int:
        """The first keyed sequence of ``table`` (1: every row keyed)."""
        found = [
            e.heads[table][0] for e in self.entries if e.kind == "keyed-from" and table in e.heads
        ]
        return found[-1] if found else 1

    def since_reset(self) -> list[Entry]:
        out: list[Entry] = []
        for e in self.entries:
            if e.kind == "reset":
                out = []
            elif e.kind in ("checkpoint", "restored"):
                out.append(e)
        return out

    def latest(self, table: str) -> Entry | None:
        """The checkpoint that applies to ``table`` now (the last since a reset or restore)."""
        for e in reversed(self.since_reset()):
            if table in e.heads:
                return e
        return None

    def latest_within(self, table: str, sequence: int) -> Entry | None:
        """For a restore: the last checkpoint since a reset at or before ``sequence``."""
        for e in reversed(self.since_reset()):
            if table in e.heads and e.heads[table][0] <= sequence:
                return e
        return None


def read() -> Log:
    """Every line of the file, each checked against its key; a line that fails is a problem."""
    log = Log()
    target = path()
    if not target.exists():
        return log
    for number, text in enumerate(target.read_text().splitlines(), start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
            mac = data.pop("mac")
            ok = hmac.compare_digest(str(mac), _mac(data))
            heads = {t: (int(s), str(h)) for t, (s, h) in data["heads"].items()}
            entry = Entry(number, str(data["kind"]), str(data["at"]), heads)
        except (ValueError, KeyError, TypeError, AttributeError):
            ok, entry = False, None
        if not ok or entry is None:
            log.problems.append(
                f"checkpoint file {target}, line {number}: not written with this audit key "
                "(changed, or the key is not the one in use)"
            )
            continue
        log.entries.append(entry)
    return log
