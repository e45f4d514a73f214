"""The nightly work-out of every outstanding item (decision 0028), a scheduled job run by the
background-job worker (``core.schedule``, decision 0071): registered as ``rebuild-due`` by this
app's ``ready()``. ``safeguard rebuild-due --nightly`` (or ``safeguard schedule-jobs``)
queues the first run; each run queues the next, once however many workers there are.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django_tasks import task

from safeguard.core import schedule
from safeguard.core.statistics import refresh_planner_statistics
from safeguard.timescales import projection

logger = logging.getLogger(__name__)

JOB = "rebuild-due"


def rebuild_due() -> str:
    """Work out every authority's outstanding items again, and the planner's statistics for a
    night's worth of new records (core/statistics.py)."""
    made = projection.rebuild()
    refresh_planner_statistics()
    return f"{made} outstanding item{'s' if made != 1 else ''} worked out again"


def next_night(now: datetime | None = None) -> datetime:
    """When the nightly rebuild next runs after ``now`` (02:00 local time)."""
    return schedule.job(JOB).next_run(now)


def schedule_nightly(now: datetime | None = None) -> bool:
    """Queue the next nightly rebuild unless one is waiting; True if one was queued."""
    return schedule.schedule(JOB, now) is not None


@task()
def rebuild_due_items_nightly() -> str:
    """A run queued before the scheduled jobs of decision 0071: does the night's work once, and
    leaves the next night to the scheduler."""
    return rebuild_due()
