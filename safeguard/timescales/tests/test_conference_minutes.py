"""The conference minutes' clock (issue 15 item 3; decision 0043): the minutes are due within
the authority's standard (20 working days by default) of the conference, on the chair's own
list, and stop when the chair records their circulation."""

from django.utils import timezone

from safeguard.core.workdays import add_working_days
from safeguard.protection import services
from safeguard.protection.tests.steps import ICPC, plan_of_sam
from safeguard.timescales import projection
from safeguard.timescales.engine import LATE, MET, OVERDUE, case_timescales
from safeguard.timescales.models import DueEntry
from safeguard.timescales.selectors import due_for_worker
from safeguard.timescales.services import standards_update


def _minutes_items(case):
    items = case_timescales(case, on=timezone.localdate())
    return [i for i in items if i.rule.id == "conference_minutes"]


def _conference(world):
    return plan_of_sam(world).conferences.get()


def test_the_minutes_are_due_20_working_days_after_the_conference_on_the_chairs_list(world):
    conference = _conference(world)
    [item] = _minutes_items(conference.case)
    assert item.due_date == add_working_days(ICPC, 20)
    assert item.status == OVERDUE  # the conference was in January 2025
    projection.flush()
    entry = DueEntry.objects.get(rule_id="conference_minutes")
    # Held by the chair, not by the case's worker.
    assert entry.worker_id == world.chair_iris.pk
    assert entry.subject_id == str(conference.pk)
    rows = due_for_worker(world.chair_iris, on=timezone.localdate())
    assert [r.item.rule.id for r in rows] == ["conference_minutes"]
    assert "conference_minutes" not in {
        r.item.rule.id for r in due_for_worker(world.sw_amy, on=timezone.localdate())
    }


def test_the_standard_is_the_authoritys(world):
    conference = _conference(world)
    standards_update(by=None, authority=world.authority, conference_minutes_wd=10)
    conference.case.authority.refresh_from_db()
    [item] = _minutes_items(conference.case)
    assert item.due_date == add_working_days(ICPC, 10)
    assert DueEntry.objects.get(rule_id="conference_minutes").due_date == add_working_days(ICPC, 10)


def test_circulated_in_time_stops_the_clock_and_leaves_the_list(world):
    conference = _conference(world)
    services.minutes_circulated(
        by=world.chair_iris, conference=conference, circulated_on=add_working_days(ICPC, 20)
    )
    [item] = _minutes_items(conference.case)
    assert item.status == MET
    assert not DueEntry.objects.filter(rule_id="conference_minutes").exists()


def test_circulated_late_is_late(world):
    conference = _conference(world)
    services.minutes_circulated(
        by=world.chair_iris, conference=conference, circulated_on=add_working_days(ICPC, 21)
    )
    [item] = _minutes_items(conference.case)
    assert item.status == LATE
