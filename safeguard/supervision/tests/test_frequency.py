"""Each worker's required interval: the newly qualified schedule (domain.md §6), a worker's
own setting from a date, and whether a worker is supervised within it on a day."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from safeguard.core.errors import ApplicationError
from safeguard.supervision import selectors, services
from safeguard.supervision.models import Interval, Session, interval_before
from safeguard.supervision.selectors import scheduled_interval
from safeguard.supervision.tests import factories as f

QUALIFIED = date(2026, 1, 5)


def test_the_newly_qualified_schedule_weekly_for_six_weeks():
    """Weekly from the day of qualifying for 42 days; the 43rd day is fortnightly."""
    assert scheduled_interval(QUALIFIED, QUALIFIED) == Interval.WEEKLY
    assert scheduled_interval(QUALIFIED, date(2026, 2, 15)) == Interval.WEEKLY  # day 42
    assert scheduled_interval(QUALIFIED, date(2026, 2, 16)) == Interval.FORTNIGHTLY  # day 43


def test_the_newly_qualified_schedule_fortnightly_to_six_months_then_monthly():
    assert scheduled_interval(QUALIFIED, date(2026, 7, 4)) == Interval.FORTNIGHTLY
    assert scheduled_interval(QUALIFIED, date(2026, 7, 5)) == Interval.MONTHLY  # 6 months on
    # Six months after 31 August is 28 February (add_months clamps to the month's end).
    assert scheduled_interval(date(2025, 8, 31), date(2026, 2, 27)) == Interval.FORTNIGHTLY
    assert scheduled_interval(date(2025, 8, 31), date(2026, 2, 28)) == Interval.MONTHLY


def test_experienced_staff_monthly():
    assert scheduled_interval(None, date(2026, 3, 31)) == Interval.MONTHLY


def test_intervals_are_calendar_days_or_months():
    assert interval_before(date(2026, 3, 31), Interval.WEEKLY) == date(2026, 3, 24)
    assert interval_before(date(2026, 3, 31), Interval.FORTNIGHTLY) == date(2026, 3, 17)
    assert interval_before(date(2026, 3, 31), Interval.MONTHLY) == date(2026, 2, 28)


@pytest.mark.django_db
def test_a_workers_own_frequency_applies_from_its_date(world):
    """The newest setting started on the day applies; "the standard schedule" goes back to
    it; an earlier day keeps the interval it had."""
    f.management_line(world)
    amy = world.sw_amy
    amy.qualified_on = date(2020, 1, 1)
    amy.save()
    services.frequency_set(
        by=world.tm_carol, worker=amy, start_date=date(2026, 3, 1), interval="fortnightly",
        reason="Returning from long-term leave",
    )  # fmt: skip
    services.frequency_set(
        by=world.tm_carol, worker=amy, start_date=date(2026, 6, 1), interval="schedule",
        reason="Settled back in",
    )  # fmt: skip

    def interval_on(day):
        return selectors.required_intervals([amy], day)[amy.pk].interval

    assert interval_on(date(2026, 2, 28)) == Interval.MONTHLY
    assert interval_on(date(2026, 3, 1)) == Interval.FORTNIGHTLY
    assert interval_on(date(2026, 5, 31)) == Interval.FORTNIGHTLY
    assert interval_on(date(2026, 6, 1)) == Interval.MONTHLY


@pytest.mark.django_db
def test_only_the_line_manager_sets_a_frequency_with_a_reason(world):
    f.management_line(world)
    with pytest.raises(PermissionDenied):
        services.frequency_set(by=world.sw_ben, worker=world.sw_amy, start_date=date(2026, 1, 1),
                               interval="weekly", reason="x")  # fmt: skip
    with pytest.raises(PermissionDenied):  # nobody sets their own
        services.frequency_set(by=world.tm_carol, worker=world.tm_carol,
                               start_date=date(2026, 1, 1), interval="weekly", reason="x")  # fmt: skip
    with pytest.raises(ApplicationError, match="reason"):
        services.frequency_set(by=world.tm_carol, worker=world.sw_amy, start_date=date(2026, 1, 1),
                               interval="weekly", reason=" ")  # fmt: skip
    with pytest.raises(ApplicationError, match="how often"):
        services.frequency_set(by=world.tm_carol, worker=world.sw_amy, start_date=date(2026, 1, 1),
                               interval="daily", reason="x")  # fmt: skip
    # Dan manages the service above Team A.
    services.frequency_set(by=world.sm_dan, worker=world.sw_amy, start_date=date(2026, 1, 1),
                           interval="weekly", reason="Under capability support")  # fmt: skip


def _joined_long_ago(*users):
    for user in users:
        user.date_joined = timezone.make_aware(datetime(2019, 1, 1))
        user.save()


@pytest.mark.django_db
def test_supervised_on_the_interval_boundary_and_not_a_day_before(world):
    """A monthly worker on 31 March: a session on 28 February is within (31 March minus a
    month), one on 27 February is not; a session signed only by the supervisor never counts."""
    f.management_line(world)
    _joined_long_ago(world.sw_amy, world.sw_ben)
    to = date(2026, 3, 31)
    f.session(world, supervisee=world.sw_amy, on=date(2026, 2, 28))
    f.session(world, by=world.sm_dan, supervisee=world.sw_ben, on=date(2026, 2, 27))
    f.session(world, by=world.sm_dan, supervisee=world.sw_ben, on=date(2026, 3, 30), signed=False)
    found = {s.worker.pk: s for s in selectors.statuses([world.sw_amy, world.sw_ben], to)}
    assert found[world.sw_amy.pk].in_time
    assert not found[world.sw_ben.pk].in_time
    assert found[world.sw_ben.pk].due == date(2026, 3, 27)
    assert selectors.supervised_workers([world.sw_amy.pk, world.sw_ben.pk], to) == {world.sw_amy.pk}


@pytest.mark.django_db
def test_a_new_starter_counts_as_supervised_until_their_first_interval_ends(world):
    amy = world.sw_amy
    amy.date_joined = timezone.make_aware(datetime(2026, 3, 2, 9))
    amy.save()
    assert selectors.supervised_workers([amy.pk], date(2026, 3, 31)) == {amy.pk}  # joined > 28 Feb
    assert selectors.supervised_workers([amy.pk], date(2026, 4, 2)) == set()  # a month on
    # An account made after the day (staff loaded later) is judged by its sessions.
    assert selectors.supervised_workers([amy.pk], date(2026, 3, 1)) == set()


@pytest.mark.django_db
def test_sessions_count_only_when_signed_by_both(world):
    f.management_line(world)
    made = f.session(world, signed=False)
    assert Session.objects.get(pk=made.pk).supervisee_signed_at is None
    assert selectors.last_signed([world.sw_amy.pk], timezone.localdate()) == {}


@pytest.mark.django_db
def test_the_sql_rule_agrees_with_the_page_rule_across_the_schedule(world):
    """``supervised_staff`` (SQL, for the indicator) and ``Status.in_time`` (the pages)
    agree for a newly qualified worker, day by day over the schedule's boundaries, with a
    frequency setting made part way."""
    f.management_line(world)
    amy = world.sw_amy
    amy.qualified_on, amy.date_joined = date(2025, 8, 31), timezone.make_aware(datetime(2025, 9, 1))
    amy.save()
    for day in (date(2025, 9, 20), date(2025, 10, 12), date(2025, 11, 20), date(2026, 1, 30)):
        f.session(world, supervisee=amy, on=day)
    services.frequency_set(by=world.tm_carol, worker=amy, start_date=date(2026, 3, 10),
                           interval="weekly", reason="Complex caseload")  # fmt: skip
    day = date(2025, 9, 1)
    while day < date(2026, 3, 20):
        page = selectors.statuses([amy], day)[0].in_time
        assert (amy.pk in selectors.supervised_workers([amy.pk], day)) is page, day
        day += timedelta(days=3)
