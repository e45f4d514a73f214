"""The query planner's statistics, refreshed after the data changes in bulk.

Neither database keeps its statistics current by itself in the way Safeguard loads data:
SQLite has none until ``ANALYZE`` runs (then it guesses, and on the 50,000-child borough chose
plans that made a person's page three times slower, docs/performance.md); PostgreSQL's
autovacuum analyses a table only some time after a bulk load. So the demo borough, once built,
and the nightly rebuild of what is due refresh them.
"""

from django.db import connections


def refresh_planner_statistics(using: str = "default") -> None:
    """``ANALYZE`` every table of the database (SQLite: a few seconds on the 50,000-child
    borough; PostgreSQL: samples each table)."""
    with connections[using].cursor() as cursor:
        cursor.execute("ANALYZE")
