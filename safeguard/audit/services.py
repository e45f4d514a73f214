"""Writing the audit trail. Callers run these inside their own transaction."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from uuid import UUID

from django.db import connection, models, transaction
from django.forms.models import model_to_dict

from safeguard.audit.chain import canonical_ip
from safeguard.audit.models import AccessEvent, ChangeEvent, ChangeVerb
from safeguard.core.concurrency import save_versioned
from safeguard.core.errors import AccessLogUnavailable

# Fields that say nothing about the record itself.
_SNAPSHOT_EXCLUDE = {"created_at", "updated_at", "created_by", "updated_by", "version"}


def snapshot(obj: models.Model) -> dict:
    """A JSON-safe copy of a record's own fields, for the before and after of a change."""
    data = model_to_dict(obj, exclude=list(_SNAPSHOT_EXCLUDE))
    clean = {}
    for key, value in data.items():
        if isinstance(value, (list, tuple)):
            value = [getattr(v, "pk", v) for v in value]
            value = [str(v) if not isinstance(v, (int, str)) else v for v in value]
        elif value is not None and not isinstance(value, (bool, int, float, str)):
            value = str(value)
        clean[key] = value
    return clean


def record_change(
    *,
    by,
    verb: ChangeVerb,
    obj: models.Model,
    before: dict | None,
    person_id: UUID | None = None,
) -> ChangeEvent:
    """Keep the before and after of one change to a domain record."""
    return ChangeEvent.objects.create(
        user=by,
        role=getattr(by, "role", "") or "",
        verb=verb,
        target_type=obj._meta.label_lower,
        target_id=str(obj.pk),
        person_id=person_id,
        before=before,
        after=snapshot(obj),
    )


def save_new(obj: models.Model, *, by, person_id: UUID | None = None) -> None:
    """Save a new domain record made by ``by``, with its change event (about ``person_id``)."""
    obj.created_by = by
    obj.updated_by = by
    obj.save()
    record_change(by=by, verb=ChangeVerb.CREATED, obj=obj, before=None, person_id=person_id)


def save_change(
    obj: models.Model,
    *,
    by,
    before: dict | None,
    verb: ChangeVerb = ChangeVerb.UPDATED,
    person_id: UUID | None = None,
) -> None:
    """Save a change to an existing record, raising its version, with a change event holding
    ``before`` (``snapshot(obj)`` taken before the change).

    The save is conditional on the stored version still being the one read
    (``core.concurrency.save_versioned``): a change made meanwhile raises ``StaleRecord`` and
    nothing is written. The one way every app saves a changed record.
    """
    obj.updated_by = by
    save_versioned(obj)
    record_change(by=by, verb=verb, obj=obj, before=before, person_id=person_id)


# The access events of an open ``one_access_append`` block, written when it ends.
_pending: ContextVar[list[AccessEvent] | None] = ContextVar("pending_access", default=None)


@contextmanager
def one_access_append() -> Iterator[None]:
    """Run a page's reads in one transaction and append all its access events to the chain
    at once, when the reads are done (decision 0061).

    A page that shows several groups of people (the person, their relatives, their possible
    duplicates) would otherwise append to the hash chain once per group, each append two
    statements (the chain's tail, the insert). Inside this block ``record_access`` keeps the
    events; they are written when the block ends, still inside its transaction, so a read is
    never shown without its event: if the write fails, ``AccessLogUnavailable`` is raised,
    the transaction is rolled back and the page is not answered. Used as a decorator on a
    view or as a ``with`` block; a block inside another joins the outer one.
    """
    if _pending.get() is not None:
        yield
        return
    events: list[AccessEvent] = []
    token = _pending.set(events)
    try:
        with transaction.atomic():
            yield
            _pending.reset(token)
            token = None
            _write_access(events)
    finally:
        if token is not None:
            _pending.reset(token)


def _write_access(events: list[AccessEvent]) -> None:
    if not events:
        return
    try:
        AccessEvent.objects.bulk_create(events)
    except Exception as exc:  # any database failure means the read must not go ahead
        raise AccessLogUnavailable(str(exc)) from exc


def record_access(
    *,
    by,
    person_ids: Iterable[UUID],
    purpose: str,
    route: str,
    ip_address: str | None = None,
    reason: str = "",
) -> int:
    """Write one access event per person. Raises ``AccessLogUnavailable`` if it cannot.

    The caller must be inside the transaction that read the records, so that a record is
    never shown without its event.
    """
    events = [
        AccessEvent(
            user=by,
            role=by.role or "",
            person_id=pid,
            purpose=purpose,
            route=route[:300],
            reason=reason[:500],
            ip_address=canonical_ip(ip_address),
        )
        for pid in dict.fromkeys(person_ids)
    ]
    pending = _pending.get()
    if pending is not None and connection.in_atomic_block:
        pending.extend(events)  # written as the page's one append (``one_access_append``)
    else:
        _write_access(events)
    return len(events)
