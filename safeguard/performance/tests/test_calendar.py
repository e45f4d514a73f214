"""The calendar table agrees with the working-day engine and clamps months to the month end."""

from datetime import date, timedelta

import pytest

from safeguard.core.workdays import add_months, working_days_between
from safeguard.performance.calendar import ensure_calendar
from safeguard.performance.models import CalendarDay

pytestmark = pytest.mark.django_db


def _index(day):
    return CalendarDay.objects.get(day=day).working_index


@pytest.mark.parametrize(
    "a, b, expected",
    [
        (date(2025, 4, 14), date(2025, 4, 14), 0),  # wd(a, a) = 0
        (date(2025, 6, 2), date(2025, 6, 9), 5),  # Monday to the next Monday
        (date(2025, 6, 6), date(2025, 6, 9), 1),  # Friday to Monday
        (date(2025, 4, 17), date(2025, 4, 22), 1),  # over Good Friday and Easter Monday
        (date(2022, 9, 16), date(2022, 9, 20), 1),  # the 2022-09-19 one-off holiday
        (date(2023, 5, 5), date(2023, 5, 9), 1),  # the 2023-05-08 coronation holiday
        (date(2025, 12, 24), date(2025, 12, 29), 1),  # Christmas and Boxing Day
        (date(2025, 12, 27), date(2025, 12, 29), 1),  # a Saturday start counts from Monday
        (date(2025, 6, 9), date(2025, 6, 2), -5),  # b before a is negative
    ],
)
def test_working_days_are_index_differences(a, b, expected):
    ensure_calendar()
    assert _index(b) - _index(a) == expected == working_days_between(a, b)


def test_every_day_of_a_decade_matches_the_engine():
    ensure_calendar()
    start = date(2018, 1, 1)
    rows = CalendarDay.objects.filter(day__gte=start, day__lte=date(2028, 1, 1)).order_by("day")
    base = _index(start)
    for row in rows:
        assert row.working_index - base == working_days_between(start, row.day)
        assert row.plus_3_months == add_months(row.day, 3)


def test_month_columns_clamp_to_the_month_end():
    ensure_calendar()
    assert CalendarDay.objects.get(day=date(2025, 8, 31)).plus_3_months == date(2025, 11, 30)
    assert CalendarDay.objects.get(day=date(2024, 2, 29)).minus_12_months == date(2023, 2, 28)
    assert CalendarDay.objects.get(day=date(2025, 8, 31)).plus_6_months == date(2026, 2, 28)
    assert CalendarDay.objects.get(day=date(2024, 2, 29)).plus_24_months == date(2026, 2, 28)


def test_a_flushed_or_damaged_calendar_is_rebuilt():
    CalendarDay.objects.filter(day__gte=date(2025, 1, 1), day__lte=date(2025, 1, 31)).delete()
    CalendarDay.objects.filter(day=date(2025, 6, 2)).update(working_index=0)
    ensure_calendar()
    assert CalendarDay.objects.filter(day__year=2025, day__month=1).count() == 31
    assert _index(date(2025, 6, 2)) - _index(date(2025, 6, 2) - timedelta(days=3)) == 1
