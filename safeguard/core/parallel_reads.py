"""Run a page's independent read-only statements on several database connections at once.

A performance page is dozens of aggregate statements that do not depend on one another. Python's
database drivers release the interpreter lock while the database works, so with one extra
connection per spare core the statements run side by side (decision 0016). Each statement still
runs against current data: nothing is cached.

Other connections see only committed data, so inside a transaction (an atomic block, and every
test that runs in one) the statements run one after another on the request's own connection.
``SAFEGUARD_READ_WORKERS`` (default: the number of cores, at most 4) sets how many connections
work at once; 1 turns the extra connections off.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from django.conf import settings
from django.db import connections

from safeguard.core.db import reporting_alias

Statement = tuple[str, Sequence]


def _fetch(conn, statement: Statement) -> list[tuple]:
    sql, params = statement
    with conn.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def workers(count: int) -> int:
    """How many connections ``run`` would use for ``count`` statements now."""
    if connections[reporting_alias()].in_atomic_block:
        return 1
    return max(1, min(settings.SAFEGUARD_READ_WORKERS, count))


def run(statements: Sequence[Statement]) -> list[list[tuple]]:
    """Each statement's rows, in the order given. The request's thread works through the list
    with the others; each extra thread opens its own connection and closes it when done. Inside
    ``core.db.reporting()``, all of them read the reporting replica when one is configured."""
    alias = reporting_alias()  # asked here: the helper threads do not share this context
    connection = connections[alias]
    n = workers(len(statements))
    if n == 1:
        return [_fetch(connection, s) for s in statements]
    results: list[list[tuple] | None] = [None] * len(statements)
    failures: list[BaseException] = []
    lock = threading.Lock()
    queue = iter(range(len(statements)))

    def take() -> int | None:
        with lock:
            return None if failures else next(queue, None)

    def work(conn) -> None:
        try:
            while (i := take()) is not None:
                results[i] = _fetch(conn, statements[i])
        except BaseException as error:  # re-raised in the request's thread below
            with lock:
                failures.append(error)

    def helper() -> None:
        try:
            work(connections[alias])
        finally:
            connections.close_all()  # this thread's connections only

    threads = [threading.Thread(target=helper, daemon=True) for _ in range(n - 1)]
    for thread in threads:
        thread.start()
    work(connection)
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return results  # type: ignore[return-value]
