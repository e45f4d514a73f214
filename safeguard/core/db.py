"""The reporting replica (decision 0072): with ``SAFEGUARD_REPORTING_DATABASE_URL`` set, the
read-only work of reporting (the dashboard, indicator pages, drill-down lists, demand, the
statutory returns' exports and ``safeguard kpis``) reads from a second database, a replica of
the primary, so that a board's figures do not slow the front line's recording. Writes, and the
access events reporting writes, always go to the primary.

Reporting code runs ``with reporting():`` (or a view under ``reporting_reads``); inside it,
``ReportingRouter`` sends the ORM's reads to the ``reporting`` alias and ``reporting_alias()``
names the connection for raw statements (``core.parallel_reads``). Without the setting, or
outside the block, everything reads the primary, as before.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPORTING = "reporting"
# Read from the primary always: the audit trail (its chains are extended from their heads) and
# the sessions and second factors a request signs in with.
PRIMARY_ONLY = frozenset({"audit", "sessions", "otp_totp", "otp_static", "axes"})

_reporting: ContextVar[bool] = ContextVar("safeguard_reporting", default=False)


def reporting_alias() -> str:
    """The alias reads go to here: the replica inside ``reporting()`` when one is configured,
    else the primary. A read made inside a transaction on the primary (the access events a
    report writes, which read the audit chain's head) is part of that write: the primary."""
    if (
        _reporting.get()
        and REPORTING in connections.settings
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    ):
        return REPORTING
    return DEFAULT_DB_ALIAS


@contextmanager
def reporting() -> Iterator[None]:
    """Read from the reporting replica (if configured) until the block ends."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def reporting_reads(view):
    """A view whose reads go to the reporting replica (writes still go to the primary)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        with reporting():
            return view(request, *args, **kwargs)

    return wrapped


class ReportingRouter:
    """Reads inside ``reporting()`` go to the replica; everything else to the primary. The
    replica is never migrated: it copies the primary."""

    def db_for_read(self, model, **hints):
        if model._meta.app_label in PRIMARY_ONLY:
            return DEFAULT_DB_ALIAS
        alias = reporting_alias()
        return alias if alias != DEFAULT_DB_ALIAS else None

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPORTING
