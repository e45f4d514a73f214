"""The keyed hash chains over the audit tables.

Each ``AccessEvent`` and ``ChangeEvent`` row carries a ``sequence`` (1, 2, 3, … per table, no
gaps) and a ``hash``: HMAC-SHA-256, under the audit key (``SAFEGUARD_AUDIT_KEY``, kept outside
the database), of the previous row's hash followed by a canonical serialisation of the row's
own fields. Changing, removing or inserting a row anywhere breaks the chain from that row on,
and ``safeguard verify-audit`` reports the first break; without the key, nobody holding only
the database can compute a chain that passes. Rows written before the key was introduced keep
their plain SHA-256 hashes: the sequence from which rows are keyed is recorded outside the
database (``checkpoints.py``), and the first keyed row seals the plain rows before it.

Appends are serialised so that two writers never take the same sequence: on SQLite every write
transaction is ``BEGIN IMMEDIATE`` (settings), which already admits one writer at a time; on
PostgreSQL the append takes a transaction-scoped advisory lock, one per table.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import ipaddress
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from django.conf import settings
from django.db import connections, models, router, transaction

GENESIS = "0" * 64

# Advisory lock keys (any fixed 64-bit numbers): one per chain.
_LOCK_KEYS = {"audit_accessevent": 7_301_001, "audit_changeevent": 7_301_002}


def _canonical_value(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, dict):
        return {str(k): _canonical_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical_value(v) for v in value]
    return str(value)


def canonical_ip(value: str | None) -> str | None:
    """One spelling per address, so that the database's own formatting cannot break a hash."""
    if not value:
        return None
    try:
        return ipaddress.ip_address(value).compressed
    except ValueError:
        return str(value)


# The fields each chain covers, fixed here rather than read from the model, so that a column
# added later does not change the hash of the rows written before it.
CHAINED_FIELDS = {
    "audit_accessevent": (
        "sequence", "at", "user_id", "role", "person_id", "purpose", "route", "reason",
        "ip_address",
    ),
    "audit_changeevent": (
        "sequence", "at", "user_id", "role", "verb", "target_type", "target_id", "person_id",
        "before", "after",
    ),
}  # fmt: skip


@functools.cache
def _chained(model: type[models.Model]) -> tuple[tuple[str, str], ...]:
    fields = {f.attname: f for f in model._meta.concrete_fields}
    out = []
    for name in CHAINED_FIELDS[model._meta.db_table]:
        field = fields[name]
        if isinstance(field, models.GenericIPAddressField):
            out.append((name, "ip"))
        elif isinstance(field, models.UUIDField):
            out.append((name, "uuid"))
        else:
            out.append((name, ""))
    return tuple(out)


def canonical(obj: models.Model) -> bytes:
    """The row's chained fields as canonical JSON bytes."""
    data = {}
    for name, kind in _chained(type(obj)):
        value = getattr(obj, name)
        if kind == "ip":
            value = canonical_ip(value)
        elif kind == "uuid" and isinstance(value, str):
            value = UUID(value)
        data[name] = _canonical_value(value)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@functools.cache
def _derived(key: str, purpose: bytes) -> bytes:
    return hmac.new(key.encode(), purpose, hashlib.sha256).digest()


def derived_key(purpose: bytes) -> bytes:
    """A key for one use (the chain, the checkpoints), derived from the audit key."""
    key = settings.SAFEGUARD_AUDIT_KEY
    if not key:
        raise RuntimeError("SAFEGUARD_AUDIT_KEY is empty: the audit chain needs its key")
    return _derived(key, purpose)


def row_hash(previous: str, obj: models.Model, *, keyed: bool = True) -> str:
    """The row's link: keyed (HMAC under the audit key), or plain SHA-256 for rows written
    before the key was introduced."""
    message = previous.encode() + b"\n" + canonical(obj)
    if not keyed:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(derived_key(b"safeguard audit chain"), message, hashlib.sha256).hexdigest()


def _lock(model: type[models.Model], using: str) -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEYS[model._meta.db_table]])


def _tail(model: type[models.Model], using: str) -> tuple[int, str]:
    last = (
        model._base_manager.using(using)
        .order_by("-sequence")
        .values_list("sequence", "hash")
        .first()
    )
    return last if last is not None else (0, GENESIS)


def chain_rows(model: type[models.Model], rows: Sequence[models.Model], using: str) -> None:
    """Give ``rows`` the next sequences and their hashes. The caller is inside a transaction
    and inserts the rows in it."""
    _lock(model, using)
    sequence, previous = _tail(model, using)
    for row in rows:
        sequence += 1
        row.sequence = sequence
        if isinstance(row.at, str) or row.at is None:  # pragma: no cover - defaults set it
            raise ValueError("An audit row needs its time before it is chained")
        row.hash = previous = row_hash(previous, row)


class ChainedManager(models.Manager):
    """``create`` and ``bulk_create`` that chain the rows they insert (one insert per call)."""

    def bulk_create(self, objs, batch_size=None, **kwargs):
        objs = list(objs)
        if not objs:
            return objs
        using = self.db or router.db_for_write(self.model)
        with transaction.atomic(using=using):
            chain_rows(self.model, objs, using)
            return super().bulk_create(objs, batch_size=batch_size, **kwargs)


@dataclass
class Break:
    table: str
    id: int | None
    sequence: int
    problem: str

    def __str__(self) -> str:
        return f"{self.table}: row id {self.id}, sequence {self.sequence}: {self.problem}"


@dataclass
class ChainReport:
    table: str
    rows: int
    last_sequence: int
    last_hash: str
    first_break: Break | None

    @property
    def ok(self) -> bool:
        return self.first_break is None


def _rows(model, using: str, chunk: int = 2000) -> Iterator[models.Model]:
    return model._base_manager.using(using).order_by("sequence").iterator(chunk_size=chunk)


def verify(model: type[models.Model], using: str = "default", keyed_from: int = 1) -> ChainReport:
    """Walk one chain from the start; stop at the first break. Rows before ``keyed_from``
    were written with plain SHA-256 (before the audit key existed)."""
    table = model._meta.db_table
    expected_sequence, previous, rows = 1, GENESIS, 0
    for row in _rows(model, using):
        rows += 1
        if row.sequence != expected_sequence:
            if row.sequence > expected_sequence:
                missing = row.sequence - expected_sequence
                problem = (
                    f"sequence jumps from {expected_sequence - 1} to {row.sequence}: "
                    f"{missing} row{'s' if missing > 1 else ''} missing"
                )
            else:
                problem = f"sequence {row.sequence} repeated (expected {expected_sequence})"
            return _broken(table, rows, row, problem)
        computed = row_hash(previous, row, keyed=row.sequence >= keyed_from)
        if computed != row.hash:
            problem = (
                f"stored hash {row.hash[:16]}… is not the keyed hash of the previous row's hash "
                f"and this row's contents ({computed[:16]}…): this row, or the one before it, "
                "was changed, removed or rewritten after it was written (or the audit key is "
                "not the one it was written with)"
            )
            return _broken(table, rows, row, problem)
        expected_sequence, previous = row.sequence + 1, row.hash
    return ChainReport(table, rows, expected_sequence - 1, previous, None)


def _broken(table: str, rows: int, row, problem: str) -> ChainReport:
    broken = Break(table, row.pk, row.sequence, problem)
    return ChainReport(table, rows, row.sequence, row.hash, broken)
