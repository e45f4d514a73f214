"""The planner's statistics are refreshed by ``refresh_planner_statistics`` (run after the demo
borough is built and by the nightly rebuild), on either database."""

import pytest
from django.db import connection

from safeguard.core.statistics import refresh_planner_statistics
from safeguard.people.models import Person

pytestmark = pytest.mark.django_db


def _people_rows_known() -> float | None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is None:
                return None
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'people_person' LIMIT 1")
            row = cursor.fetchone()
            return float(row[0].split()[0]) if row else None
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'people_person'")
        (tuples,) = cursor.fetchone()
        return tuples if tuples >= 0 else None


def test_the_statistics_count_the_rows_after_a_refresh(world):
    Person.objects.bulk_create(
        Person(authority=world.authority, given_names=f"Stat{i}", family_name="Counted")
        for i in range(30)
    )
    refresh_planner_statistics()
    assert _people_rows_known() == Person.objects.count()
