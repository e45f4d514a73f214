"""The database guard that keeps the audit tables append-only (docs/decisions/0006).

Triggers refuse every UPDATE and DELETE on ``audit_accessevent`` and ``audit_changeevent``
(and TRUNCATE on PostgreSQL), whoever connects: the application, a shell or a SQL console.

One narrow maintenance path lifts the guard: ``lifted()``, inside one transaction, for that
transaction only. Only the ``flush`` command (which empties every table, and which the test
runner uses between transactional tests) and the tests of the guard itself use it.

- SQLite has no session variables, so the triggers consult a one-row table ``audit_guard``
  that is not a Django model (``flush`` never empties it). ``lifted()`` sets it to 1 and back
  to 0 in the same transaction; other connections never see the 1, and a rollback undoes it.
- PostgreSQL triggers consult the transaction-local setting ``safeguard.audit_maintenance``,
  which ``SET LOCAL`` gives for the current transaction only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections, transaction

TABLES = ("audit_accessevent", "audit_changeevent")


def sqlite_install() -> list[str]:
    sql = [
        "CREATE TABLE IF NOT EXISTS audit_guard "
        "(lifted INTEGER NOT NULL DEFAULT 0 CHECK (lifted IN (0, 1)))",
        "INSERT INTO audit_guard (lifted) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM audit_guard)",
    ]
    for table in TABLES:
        for op in ("UPDATE", "DELETE"):
            # The names are the constants above, never input.
            sql += [
                f"DROP TRIGGER IF EXISTS {table}_no_{op.lower()}",
                f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "  # noqa: S608
                "WHEN coalesce((SELECT max(lifted) FROM audit_guard), 0) <> 1 "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END",
            ]
    return sql


def sqlite_uninstall() -> list[str]:
    sql = [f"DROP TRIGGER IF EXISTS {t}_no_{op}" for t in TABLES for op in ("update", "delete")]
    return [*sql, "DROP TABLE IF EXISTS audit_guard"]


POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('safeguard.audit_maintenance', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$
"""


def postgres_install() -> list[str]:
    sql = [POSTGRES_FUNCTION]
    for table in TABLES:
        sql += [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION audit_append_only()",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()",
        ]
    return sql


def postgres_uninstall() -> list[str]:
    sql = []
    for table in TABLES:
        sql += [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        ]
    return [*sql, "DROP FUNCTION IF EXISTS audit_append_only()"]


def install_sql(vendor: str) -> list[str]:
    return {"sqlite": sqlite_install, "postgresql": postgres_install}.get(vendor, list)()


def uninstall_sql(vendor: str) -> list[str]:
    return {"sqlite": sqlite_uninstall, "postgresql": postgres_uninstall}.get(vendor, list)()


def triggers_present(using: str = "default") -> list[str]:
    """The names of the guard triggers the database has (empty if none)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s)",
                list(TABLES),
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND c.relname IN (%s, %s)",
                list(TABLES),
            )
        else:  # pragma: no cover - only SQLite and PostgreSQL are supported
            return []
        return sorted(row[0] for row in cursor.fetchall())


EXPECTED_TRIGGERS = {
    "sqlite": sorted(f"{t}_no_{op}" for t in TABLES for op in ("delete", "update")),
    "postgresql": sorted(f"{t}_{kind}" for t in TABLES for kind in ("append_only", "no_truncate")),
}


@contextmanager
def lifted(using: str = "default") -> Iterator[None]:
    """Lift the guard for the current transaction only (the caller must be inside one)."""
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("The audit guard can only be lifted inside a transaction")
    with transaction.atomic(using=using), connection.cursor() as cursor:
        vendor = connection.vendor
        if vendor == "sqlite":
            # A database made without migrations (no triggers) has no guard to lift.
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'audit_guard'")
            vendor = "sqlite" if cursor.fetchone() else "unguarded"
        if vendor == "postgresql":
            cursor.execute("SET LOCAL safeguard.audit_maintenance = 'on'")
        elif vendor == "sqlite":
            cursor.execute("UPDATE audit_guard SET lifted = 1")
        try:
            yield
        finally:
            if vendor == "postgresql":
                cursor.execute("SET LOCAL safeguard.audit_maintenance = 'off'")
            elif vendor == "sqlite":
                cursor.execute("UPDATE audit_guard SET lifted = 0")
