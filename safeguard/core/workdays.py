"""Working-day calendar for England and Wales.

A working day is Monday to Friday, excluding England and Wales bank holidays,
substitute days and one-off holidays included (kpis.md section 1). Holiday
dates come from the installed ``holidays`` package, which holds them as data:
nothing is fetched over the network.

``working_days_between(a, b)`` counts the working days ``d`` with
``a < d <= b``: the start day is day 0. It works by arithmetic on whole weeks
and a binary search over each year's sorted holidays, so a span of decades
costs no more than a handful of look-ups.
"""

from __future__ import annotations

import calendar
from bisect import bisect_right
from datetime import date, timedelta
from functools import cache

import holidays

__all__ = [
    "add_months",
    "add_working_days",
    "bank_holidays",
    "is_working_day",
    "working_days_between",
]

_SATURDAY = 5


@cache
def bank_holidays(year: int) -> frozenset[date]:
    """Return every England and Wales bank holiday in ``year``.

    Holidays that fall at a weekend are included alongside the weekday
    substitute that replaces them (Christmas Day 2021 on a Saturday and its
    substitute on Monday 27 December). Scottish and Northern Irish holidays
    are not included.
    """
    calendar_for_year = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return frozenset(d for d in calendar_for_year if d.year == year)


@cache
def _weekday_holidays(year: int) -> tuple[date, ...]:
    """Sorted bank holidays of ``year`` that fall Monday to Friday."""
    return tuple(sorted(d for d in bank_holidays(year) if d.weekday() < _SATURDAY))


def is_working_day(d: date) -> bool:
    """Return True when ``d`` is Monday to Friday and not a bank holiday."""
    return d.weekday() < _SATURDAY and d not in bank_holidays(d.year)


def _weekdays_through(ordinal: int) -> int:
    """Count the weekdays among proleptic ordinals 1..``ordinal``.

    Ordinal 1 (0001-01-01) is a Monday, so each block of 7 ordinals starts on
    a Monday and holds 5 weekdays.
    """
    weeks, rest = divmod(ordinal, 7)
    return 5 * weeks + min(rest, 5)


def _weekday_by_index(index: int) -> int:
    """Ordinal of the ``index``-th weekday counted from 0001-01-01 (index 1)."""
    weeks, rest = divmod(index - 1, 5)
    return 7 * weeks + rest + 1


def _holidays_in(after: date, through: date) -> int:
    """Count weekday bank holidays ``h`` with ``after < h <= through``."""
    if through <= after:
        return 0
    if after.year == through.year:
        days = _weekday_holidays(after.year)
        return bisect_right(days, through) - bisect_right(days, after)
    first = _weekday_holidays(after.year)
    last = _weekday_holidays(through.year)
    count = len(first) - bisect_right(first, after) + bisect_right(last, through)
    for year in range(after.year + 1, through.year):
        count += len(_weekday_holidays(year))
    return count


def working_days_between(a: date, b: date) -> int:
    """Return the number of working days ``d`` with ``a < d <= b``.

    ``working_days_between(a, a)`` is 0, Monday to the following Monday is 5
    and Friday to the following Monday is 1. When ``b`` is before ``a`` the
    result is ``-working_days_between(b, a)``.
    """
    if b < a:
        return -working_days_between(b, a)
    weekdays = _weekdays_through(b.toordinal()) - _weekdays_through(a.toordinal())
    return weekdays - _holidays_in(a, b)


def _nth_weekday_after(d: date, n: int) -> date:
    """The ``n``-th weekday strictly after ``d`` (``n`` >= 1)."""
    return date.fromordinal(_weekday_by_index(_weekdays_through(d.toordinal()) + n))


def _nth_weekday_before(d: date, n: int) -> date:
    """The ``n``-th weekday strictly before ``d`` (``n`` >= 1)."""
    return date.fromordinal(_weekday_by_index(_weekdays_through(d.toordinal() - 1) - n + 1))


def add_working_days(d: date, n: int) -> date:
    """Return the date ``n`` working days after ``d``.

    For ``n > 0`` this is the ``n``-th working day strictly after ``d``, so
    ``working_days_between(d, result) == n`` and the result is a working day.
    When ``d`` is a weekend or bank holiday, counting in effect starts from
    the next working day: Saturday plus 1 is Monday, or Tuesday when that
    Monday is a bank holiday.

    ``n == 0`` returns ``d`` unchanged, even when ``d`` is not a working day.

    For ``n < 0`` the result is the ``|n|``-th working day strictly before
    ``d``. When ``d`` is itself a working day this undoes a forward step:
    ``add_working_days(add_working_days(d, -n), n) == d``.
    """
    if n == 0:
        return d
    if n > 0:
        # The n-th weekday is a first guess; each bank holiday it passed over
        # pushes the answer on by one more weekday, which may pass over more.
        result = _nth_weekday_after(d, n)
        missing = _holidays_in(d, result)
        while missing:
            previous = result
            result = _nth_weekday_after(previous, missing)
            missing = _holidays_in(previous, result)
        return result
    result = _nth_weekday_before(d, -n)
    missing = _holidays_in(result - timedelta(days=1), d - timedelta(days=1))
    while missing:
        previous = result
        result = _nth_weekday_before(previous, missing)
        missing = _holidays_in(result - timedelta(days=1), previous - timedelta(days=1))
    return result


def add_months(d: date, n: int) -> date:
    """Move ``d`` by ``n`` calendar months, clamping the day to the month's end.

    2025-08-31 + 3 months is 2025-11-30; 2024-02-29 - 12 months is 2023-02-28;
    2024-01-31 + 1 month is 2024-02-29.
    """
    month_index = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(month_index, 12)
    month = month0 + 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)
