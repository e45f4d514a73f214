"""``core.parallel_reads``: statements run side by side on their own connections when the data
is committed, in order on the request's connection inside a transaction."""

import threading
import time

import pytest
from django.db import DatabaseError, connection, transaction

from safeguard.core import parallel_reads

NUMBERS = [(f"SELECT {n} * 2", ()) for n in range(12)]


def _seen_by() -> list[tuple[str, tuple]]:
    """A statement that reports which connection ran it (a backend-specific session id)."""
    if connection.vendor == "postgresql":
        return [("SELECT pg_backend_pid()", ())] * 8
    # SQLite has no connection id: a temporary table is private to its connection, so the
    # statements see the table only on the connection that made it.
    return [("SELECT count(*) FROM sqlite_temp_master WHERE name = 'made_here'", ())] * 8


@pytest.mark.django_db(transaction=True)
def test_statements_run_on_several_connections_and_keep_their_order(settings):
    settings.SAFEGUARD_READ_WORKERS = 3
    assert parallel_reads.workers(len(NUMBERS)) == 3
    assert parallel_reads.run(NUMBERS) == [[(n * 2,)] for n in range(12)]

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("CREATE TEMP TABLE made_here (x int)")
    rows = [r[0][0] for r in parallel_reads.run(_seen_by())]
    if connection.vendor == "postgresql":
        assert len(set(rows)) > 1  # more than one backend answered
    else:
        assert 0 in rows  # some statements ran where the temporary table does not exist


@pytest.mark.django_db(transaction=True)
def test_the_extra_connections_are_closed_and_their_threads_gone(settings):
    settings.SAFEGUARD_READ_WORKERS = 2

    def others() -> int:
        if connection.vendor != "postgresql":
            return 0
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid()"
            )
            return cursor.fetchone()[0]

    threads, connections_before = threading.active_count(), others()
    for _ in range(5):
        parallel_reads.run(NUMBERS)
    assert threading.active_count() == threads
    # A closed PostgreSQL session leaves pg_stat_activity as soon as its backend exits.
    for _ in range(50):
        if others() == connections_before:
            break
        time.sleep(0.1)
    assert others() == connections_before


@pytest.mark.django_db(transaction=True)
def test_a_failing_statement_is_raised_in_the_calling_thread(settings):
    settings.SAFEGUARD_READ_WORKERS = 2
    with pytest.raises(DatabaseError):
        parallel_reads.run([*NUMBERS, ("SELECT * FROM no_such_table", ())])
    # The request's connection is still usable afterwards.
    assert parallel_reads.run(NUMBERS[:2]) == [[(0,)], [(2,)]]


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_the_statements_see_its_uncommitted_rows(settings):
    """Other connections cannot see what this transaction has written, so it runs alone."""
    settings.SAFEGUARD_READ_WORKERS = 4
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE parallel_probe (x integer)")
            cursor.execute("INSERT INTO parallel_probe VALUES (1)")
        assert parallel_reads.workers(10) == 1
        count = ("SELECT count(*) FROM parallel_probe", ())
        assert parallel_reads.run([count] * 6) == [[(1,)]] * 6
        transaction.set_rollback(True)


def test_one_worker_runs_everything_on_the_request_connection(settings, db):
    settings.SAFEGUARD_READ_WORKERS = 1
    assert parallel_reads.workers(50) == 1
    assert parallel_reads.run(NUMBERS[:3]) == [[(0,)], [(2,)], [(4,)]]
