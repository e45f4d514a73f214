"""Fill and check the calendar table (``CalendarDay``) and build SQL expressions on it.

The table spans ``FIRST_DAY`` to ``LAST_DAY``. It is filled by the app's migration and
checked before every computation against the installed ``holidays`` data (count and sum of
the working-day index): if a test flushed it or a new ``holidays`` release moved a bank
holiday, it is rebuilt in one transaction before any figure is computed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache

from django.db import models, transaction
from django.db.models import Count, OuterRef, Subquery, Sum

from safeguard.core.workdays import add_months, is_working_day

FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(2070, 12, 31)

MONTH_COLUMNS = {
    "minus_12_months": -12,
    "plus_1_month": 1,
    "plus_3_months": 3,
    "plus_6_months": 6,
    "plus_24_months": 24,
}


def calendar_rows() -> Iterator[dict]:
    index = 0
    day = FIRST_DAY
    while day <= LAST_DAY:
        working = is_working_day(day)
        index += working
        row = {"day": day, "working_index": index, "is_working_day": working}
        for column, months in MONTH_COLUMNS.items():
            row[column] = add_months(day, months)
        yield row
        day += timedelta(days=1)


@cache
def _expected_signature() -> tuple[int, int]:
    count = total = 0
    for row in calendar_rows():
        count += 1
        total += row["working_index"]
    return count, total


def fill_calendar(model) -> None:
    """Replace the table's rows (``model`` lets the migration pass its historical model)."""
    model.objects.all().delete()
    model.objects.bulk_create((model(**row) for row in calendar_rows()), batch_size=2000)


_generation = [0]


def calendar_generation() -> int:
    """Bumped whenever the table is rebuilt (SQL remembered before then is stale)."""
    return _generation[0]


def ensure_calendar() -> None:
    """Make sure the table is complete and matches the installed bank holidays."""
    from safeguard.performance.models import CalendarDay

    found = CalendarDay.objects.aggregate(n=Count("day"), total=Sum("working_index"))
    if (found["n"], found["total"] or 0) != _expected_signature():
        with transaction.atomic():
            fill_calendar(CalendarDay)
        _generation[0] += 1


def in_range(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def _column(field, column: str):
    from safeguard.performance.models import CalendarDay

    ref = field if not isinstance(field, str) else OuterRef(field)
    return Subquery(CalendarDay.objects.filter(day=ref).values(column)[:1])


def index_of(field):
    """The working-day index of a date field (a name on the outer query, or an expression)."""
    return _column(field, "working_index")


def months_from(field, column: str):
    """``add_months`` of a date field, by one of ``MONTH_COLUMNS``."""
    assert column in MONTH_COLUMNS
    return _column(field, column)


def wd(start, end):
    """``wd(start, end)`` of kpis.md section 1, as an SQL expression."""
    return models.ExpressionWrapper(
        index_of(end) - index_of(start), output_field=models.IntegerField()
    )


def index_on(day: date) -> int:
    from safeguard.performance.models import CalendarDay

    return CalendarDay.objects.values_list("working_index", flat=True).get(day=day)
