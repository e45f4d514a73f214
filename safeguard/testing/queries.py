"""What the page-query tests count (``safeguard/tests/test_page_queries.py``), shared with any
app's tests that measure a page of their own: a page's limit, and which statements count."""

# Every list and record page makes at most this many queries, whatever the data (issue 13).
MAX_QUERIES = 20

# Bookkeeping, not queries: savepoints (the access log's nested transactions inside the test's
# own) and, on PostgreSQL, the audit chain's advisory lock taken before each append
# (``audit/chain.py``).
BOOKKEEPING = ("SAVEPOINT", "RELEASE SAVEPOINT", "SELECT pg_advisory_xact_lock")


def queries(sqls: list[str]) -> list[str]:
    """The statements that read or write data."""
    return [sql for sql in sqls if not sql.startswith(BOOKKEEPING)]
