"""Working-day calendar for England and Wales (kpis.md section 1)."""

import random
import socket
from datetime import date, timedelta

import pytest

from safeguard.core import workdays
from safeguard.core.workdays import (
    add_months,
    add_working_days,
    bank_holidays,
    is_working_day,
    working_days_between,
)

D = date.fromisoformat


def reference_working_days_between(a: date, b: date) -> int:
    """Day-by-day count of working days in (a, b], negated when b < a."""
    if b < a:
        return -reference_working_days_between(b, a)
    count = 0
    day = a + timedelta(days=1)
    while day <= b:
        if is_working_day(day):
            count += 1
        day += timedelta(days=1)
    return count


def reference_add_working_days(d: date, n: int) -> date:
    """Day-by-day walk to the |n|-th working day strictly after (or before) d."""
    step = timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    day = d
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


class TestBankHolidays:
    def test_returns_a_frozenset_of_dates_in_that_year(self):
        """The holidays for a year are a frozenset holding only that year's dates."""
        days = bank_holidays(2024)
        assert isinstance(days, frozenset)
        assert days == {
            D("2024-01-01"),
            D("2024-03-29"),
            D("2024-04-01"),
            D("2024-05-06"),
            D("2024-05-27"),
            D("2024-08-26"),
            D("2024-12-25"),
            D("2024-12-26"),
        }

    def test_is_cached_per_year(self):
        """A second call for the same year returns the very same object."""
        assert bank_holidays(2023) is bank_holidays(2023)

    def test_needs_no_network(self, monkeypatch):
        """Holiday dates come from installed data, with sockets unavailable."""

        def refuse(*args, **kwargs):
            raise AssertionError("network access attempted")

        monkeypatch.setattr(socket, "socket", refuse)
        monkeypatch.setattr(socket, "create_connection", refuse)
        workdays.bank_holidays.cache_clear()
        workdays._weekday_holidays.cache_clear()
        assert D("2022-09-19") in bank_holidays(2022)
        assert working_days_between(D("2022-09-16"), D("2022-09-20")) == 1

    def test_2012_moves_spring_bank_holiday_and_adds_diamond_jubilee(self):
        """2012: Spring bank holiday Mon 4 June, Diamond Jubilee Tue 5 June, none on 28 May."""
        days = bank_holidays(2012)
        assert D("2012-06-04") in days
        assert D("2012-06-05") in days
        assert D("2012-05-28") not in days
        assert is_working_day(D("2012-05-28")) is True
        assert is_working_day(D("2012-06-04")) is False
        assert is_working_day(D("2012-06-05")) is False

    def test_2020_early_may_holiday_on_friday_8_may(self):
        """2020: the early May bank holiday moved to Friday 8 May (VE Day 75)."""
        days = bank_holidays(2020)
        assert D("2020-05-08") in days
        assert D("2020-05-04") not in days
        assert is_working_day(D("2020-05-04")) is True
        assert is_working_day(D("2020-05-08")) is False

    def test_2022_platinum_jubilee_and_state_funeral(self):
        """2022: Thu 2 and Fri 3 June, and the State funeral on Mon 19 September."""
        days = bank_holidays(2022)
        assert {D("2022-06-02"), D("2022-06-03"), D("2022-09-19")} <= days
        assert D("2022-05-30") not in days
        assert is_working_day(D("2022-05-30")) is True

    def test_2023_coronation(self):
        """2023: the Coronation bank holiday on Monday 8 May."""
        assert D("2023-05-08") in bank_holidays(2023)
        assert is_working_day(D("2023-05-08")) is False

    def test_2011_royal_wedding(self):
        """2011: the Royal Wedding on Friday 29 April."""
        assert is_working_day(D("2011-04-29")) is False

    @pytest.mark.parametrize(
        ("holiday", "substitute"),
        [
            (D("2021-12-25"), D("2021-12-27")),
            (D("2021-12-26"), D("2021-12-28")),
            (D("2022-12-25"), D("2022-12-27")),
            (D("2022-01-01"), D("2022-01-03")),
            (D("2023-01-01"), D("2023-01-02")),
            (D("2020-12-26"), D("2020-12-28")),
        ],
    )
    def test_substitute_days(self, holiday, substitute):
        """A weekend holiday gives a weekday substitute that is not a working day."""
        assert holiday.weekday() >= 5
        assert holiday in bank_holidays(holiday.year)
        assert substitute in bank_holidays(substitute.year)
        assert is_working_day(substitute) is False

    @pytest.mark.parametrize(
        "day",
        [
            D("2024-03-29"),  # Good Friday
            D("2024-04-01"),  # Easter Monday
            D("2025-04-18"),  # Good Friday
            D("2025-04-21"),  # Easter Monday
            D("2026-04-03"),  # Good Friday
            D("2026-04-06"),  # Easter Monday
        ],
    )
    def test_easter(self, day):
        """Good Friday and Easter Monday are bank holidays."""
        assert day in bank_holidays(day.year)
        assert is_working_day(day) is False

    @pytest.mark.parametrize(
        "day",
        [
            D("2024-01-02"),  # 2 January, Scotland only
            D("2025-01-02"),
            D("2023-11-30"),  # St Andrew's Day on a Thursday, Scotland only
            D("2024-12-02"),  # St Andrew's Day substitute, Scotland only
            D("2024-08-05"),  # first Monday of August, Scotland only
            D("2025-08-04"),
            D("2024-03-18"),  # St Patrick's Day substitute, Northern Ireland only
            D("2024-07-12"),  # Battle of the Boyne, Northern Ireland only
        ],
    )
    def test_scottish_and_northern_irish_days_are_working_days(self, day):
        """Holidays of Scotland or Northern Ireland alone are ordinary working days."""
        assert day.weekday() < 5
        assert day not in bank_holidays(day.year)
        assert is_working_day(day) is True

    def test_late_august_is_the_england_summer_holiday(self):
        """The last Monday in August is the summer bank holiday in England."""
        assert is_working_day(D("2024-08-26")) is False
        assert is_working_day(D("2025-08-25")) is False


class TestIsWorkingDay:
    def test_weekdays_and_weekends(self):
        """Monday to Friday are working days, Saturday and Sunday are not."""
        week = [D("2025-01-06") + timedelta(days=i) for i in range(7)]
        assert [is_working_day(d) for d in week] == [True] * 5 + [False] * 2

    def test_weekend_holiday_itself_is_not_a_working_day(self):
        """Christmas Day on a Saturday is a non-working day, like any Saturday."""
        assert is_working_day(D("2021-12-25")) is False


class TestWorkingDaysBetween:
    def test_same_day_is_zero(self):
        """The start day is day 0, whatever kind of day it is."""
        assert working_days_between(D("2025-01-06"), D("2025-01-06")) == 0
        assert working_days_between(D("2025-01-11"), D("2025-01-11")) == 0
        assert working_days_between(D("2025-12-25"), D("2025-12-25")) == 0

    def test_monday_to_next_monday_is_five(self):
        """Monday to the following Monday counts 5 working days."""
        assert working_days_between(D("2025-01-06"), D("2025-01-13")) == 5

    def test_friday_to_monday_is_one(self):
        """Friday to the following Monday counts 1 working day."""
        assert working_days_between(D("2025-01-10"), D("2025-01-13")) == 1

    def test_weekend_start_and_end(self):
        """A Saturday start counts from Monday; a Saturday end counts to Friday."""
        assert working_days_between(D("2025-01-11"), D("2025-01-13")) == 1
        assert working_days_between(D("2025-01-11"), D("2025-01-12")) == 0
        assert working_days_between(D("2025-01-06"), D("2025-01-11")) == 4

    def test_reversed_order_is_negative(self):
        """With the end before the start the count is negated."""
        assert working_days_between(D("2025-01-13"), D("2025-01-06")) == -5
        assert working_days_between(D("2025-01-13"), D("2025-01-10")) == -1

    @pytest.mark.parametrize(
        ("a", "b", "expected"),
        [
            # 2012: Fri 1 June to Fri 8 June loses Mon 4 and Tue 5 June.
            (D("2012-06-01"), D("2012-06-08"), 3),
            # 2012: 28 May is an ordinary Monday.
            (D("2012-05-25"), D("2012-05-28"), 1),
            # 2020: Mon 4 May to Mon 11 May loses Fri 8 May.
            (D("2020-05-04"), D("2020-05-11"), 4),
            # 2022: Wed 1 June to Mon 6 June loses Thu 2 and Fri 3 June.
            (D("2022-06-01"), D("2022-06-06"), 1),
            # 2022: the State funeral on Mon 19 September.
            (D("2022-09-16"), D("2022-09-20"), 1),
            # 2023: the Coronation on Mon 8 May, after Early May on Mon 1 May.
            (D("2023-04-28"), D("2023-05-09"), 5),
            # Christmas 2021: Fri 24 Dec to Wed 29 Dec loses Mon 27 and Tue 28.
            (D("2021-12-24"), D("2021-12-29"), 1),
            # Christmas 2022: Fri 23 Dec to Wed 28 Dec loses Mon 26 and Tue 27.
            (D("2022-12-23"), D("2022-12-28"), 1),
            # Easter 2025: Thu 17 Apr to Tue 22 Apr loses Good Friday and Easter Monday.
            (D("2025-04-17"), D("2025-04-22"), 1),
            # Across the year end: 31 Dec 2021 to 4 Jan 2022 loses Mon 3 Jan.
            (D("2021-12-31"), D("2022-01-04"), 1),
            # A census year: 2025-04-01 to 2026-03-31.
            (D("2025-03-31"), D("2026-03-31"), 253),
        ],
    )
    def test_across_holidays(self, a, b, expected):
        """Bank holidays between the dates are not counted."""
        assert working_days_between(a, b) == expected
        assert working_days_between(b, a) == -expected
        assert reference_working_days_between(a, b) == expected

    def test_holiday_at_either_end(self):
        """A holiday at the end is not counted; a holiday start is day 0."""
        assert working_days_between(D("2022-09-16"), D("2022-09-19")) == 0
        assert working_days_between(D("2022-09-19"), D("2022-09-20")) == 1

    def test_matches_day_by_day_count_on_random_pairs(self):
        """Random date pairs (seeded) agree with a day-by-day count."""
        rng = random.Random(20250401)
        start = D("2005-01-01").toordinal()
        end = D("2030-12-31").toordinal()
        for _ in range(1500):
            a = date.fromordinal(rng.randint(start, end))
            b = a + timedelta(days=rng.randint(-800, 800))
            assert working_days_between(a, b) == reference_working_days_between(a, b), (a, b)

    def test_short_spans_around_every_weekday_and_holiday(self):
        """Every pair of dates within 3 weeks of each other in 2021-2023 agrees."""
        first = D("2021-11-01")
        for offset in range(0, 800, 3):
            a = first + timedelta(days=offset)
            for gap in range(-21, 22):
                b = a + timedelta(days=gap)
                assert working_days_between(a, b) == reference_working_days_between(a, b)

    def test_fifty_year_span(self):
        """A fifty-year span gives the day-by-day count (speed is a benchmark's job)."""
        a, b = D("2000-01-01"), D("2050-01-01")
        expected = reference_working_days_between(a, b)
        assert working_days_between(a, b) == expected
        assert working_days_between(b, a) == -expected


class TestAddWorkingDays:
    def test_zero_returns_the_same_day(self):
        """Adding 0 returns the date unchanged, even on a weekend or holiday."""
        for day in (D("2025-01-06"), D("2025-01-11"), D("2022-09-19")):
            assert add_working_days(day, 0) == day

    def test_weekdays_and_weekends(self):
        """Friday + 1 is Monday; Monday + 5 is the next Monday; Monday - 1 is Friday."""
        assert add_working_days(D("2025-01-10"), 1) == D("2025-01-13")
        assert add_working_days(D("2025-01-06"), 5) == D("2025-01-13")
        assert add_working_days(D("2025-01-13"), -1) == D("2025-01-10")
        assert add_working_days(D("2025-01-13"), -5) == D("2025-01-06")

    def test_from_a_weekend(self):
        """Saturday + 1 is Monday, or Tuesday when that Monday is a bank holiday."""
        assert add_working_days(D("2025-01-11"), 1) == D("2025-01-13")
        assert add_working_days(D("2022-09-17"), 1) == D("2022-09-20")
        assert add_working_days(D("2025-01-12"), -1) == D("2025-01-10")

    @pytest.mark.parametrize(
        ("start", "n", "expected"),
        [
            (D("2012-06-01"), 1, D("2012-06-06")),
            (D("2012-05-25"), 1, D("2012-05-28")),
            (D("2020-05-07"), 1, D("2020-05-11")),
            (D("2022-06-01"), 1, D("2022-06-06")),
            (D("2022-06-01"), 2, D("2022-06-07")),
            (D("2022-09-16"), 1, D("2022-09-20")),
            (D("2023-05-05"), 1, D("2023-05-09")),
            (D("2021-12-24"), 1, D("2021-12-29")),
            (D("2021-12-24"), 4, D("2022-01-04")),
            (D("2022-12-23"), 1, D("2022-12-28")),
            (D("2025-04-17"), 1, D("2025-04-22")),
            # An assessment started 1 April 2025 reaches 45 working days on 9 June,
            # past Good Friday, Easter Monday and the two May bank holidays.
            (D("2025-04-01"), 45, D("2025-06-09")),
            # An enquiry started Fri 26 May 2023 reaches 15 working days on Mon 19 June.
            (D("2023-05-26"), 15, D("2023-06-19")),
            (D("2012-06-06"), -1, D("2012-06-01")),
            (D("2022-06-06"), -1, D("2022-06-01")),
            (D("2022-01-04"), -4, D("2021-12-24")),
            (D("2023-05-09"), -1, D("2023-05-05")),
            (D("2025-04-22"), -1, D("2025-04-17")),
        ],
    )
    def test_across_holidays(self, start, n, expected):
        """Bank holidays and weekends are stepped over in either direction."""
        assert add_working_days(start, n) == expected
        assert is_working_day(expected) is True
        assert reference_add_working_days(start, n) == expected

    def test_backwards_from_a_holiday(self):
        """Going back from a bank holiday finds the working day before it."""
        assert add_working_days(D("2022-09-19"), -1) == D("2022-09-16")
        assert add_working_days(D("2021-12-28"), -1) == D("2021-12-24")

    def test_matches_day_by_day_walk_on_random_inputs(self):
        """Random starts and counts (seeded) agree with a day-by-day walk."""
        rng = random.Random(1989)
        start = D("2005-01-01").toordinal()
        end = D("2030-12-31").toordinal()
        for _ in range(1500):
            day = date.fromordinal(rng.randint(start, end))
            n = rng.randint(-300, 300)
            result = add_working_days(day, n)
            assert result == reference_add_working_days(day, n), (day, n)
            if n > 0:
                assert working_days_between(day, result) == n
            if n != 0:
                assert is_working_day(result) is True

    def test_round_trip_from_a_working_day(self):
        """From a working day, stepping forward and back again returns to it."""
        rng = random.Random(7)
        first, last = D("2010-01-01").toordinal(), D("2030-01-01").toordinal()
        for _ in range(500):
            day = date.fromordinal(rng.randint(first, last))
            if not is_working_day(day):
                continue
            n = rng.randint(1, 400)
            assert add_working_days(add_working_days(day, n), -n) == day
            assert add_working_days(add_working_days(day, -n), n) == day
            assert working_days_between(day, add_working_days(day, -n)) == -n

    def test_long_span(self):
        """Fifty years of working days forward and back lands on the start."""
        start = D("2000-01-04")
        later = add_working_days(start, 12_600)
        assert working_days_between(start, later) == 12_600
        assert reference_add_working_days(start, 12_600) == later
        assert add_working_days(later, -12_600) == start


class TestAddMonths:
    @pytest.mark.parametrize(
        ("start", "n", "expected"),
        [
            (D("2025-08-31"), 3, D("2025-11-30")),
            (D("2024-02-29"), -12, D("2023-02-28")),
            (D("2024-01-31"), 1, D("2024-02-29")),
            (D("2023-01-31"), 1, D("2023-02-28")),
            (D("2024-02-29"), 12, D("2025-02-28")),
            (D("2024-02-29"), 48, D("2028-02-29")),
            (D("2024-03-31"), -1, D("2024-02-29")),
            (D("2023-03-31"), -1, D("2023-02-28")),
            (D("2025-05-31"), -3, D("2025-02-28")),
            (D("2025-03-31"), -6, D("2024-09-30")),
            (D("2025-12-31"), 2, D("2026-02-28")),
            (D("2025-01-15"), -1, D("2024-12-15")),
            (D("2025-11-30"), 1, D("2025-12-30")),
            (D("2025-04-01"), 24, D("2027-04-01")),
            (D("2025-04-01"), -12, D("2024-04-01")),
            (D("2025-06-15"), 0, D("2025-06-15")),
            (D("2025-10-31"), -25, D("2023-09-30")),
        ],
    )
    def test_clamps_to_month_end(self, start, n, expected):
        """Calendar months are added and the day is clamped to the month's end."""
        assert add_months(start, n) == expected
