"""The nightly work-out of every outstanding item (decision 0028), run by the background-job
worker (``safeguard db_worker``, which ``safeguard serve`` starts).

Each run schedules the next, for the small hours of the next day, unless one is already
waiting: the database backend hands a waiting job to one worker only, so however many workers
there are, the rebuild runs once a night. ``safeguard rebuild-due --nightly`` schedules the
first.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from safeguard.core.statistics import refresh_planner_statistics
from safeguard.timescales import projection

logger = logging.getLogger(__name__)

NIGHTLY_AT = time(2, 0)  # local time: after the day's work, before the next


def next_night(now: datetime | None = None) -> datetime:
    """The next ``NIGHTLY_AT`` after ``now``, in the local time zone."""
    now = timezone.localtime(now)
    when = timezone.make_aware(datetime.combine(now.date(), NIGHTLY_AT))
    return (
        when
        if when > now
        else timezone.make_aware(datetime.combine(now.date() + timedelta(days=1), NIGHTLY_AT))
    )


def nightly_waiting() -> bool:
    """Whether a nightly rebuild is already waiting to run."""
    return DBTaskResult.objects.filter(
        task_path=rebuild_due_items_nightly.module_path, status="READY"
    ).exists()


def schedule_nightly(now: datetime | None = None) -> bool:
    """Schedule the next nightly rebuild unless one is waiting; True if one was scheduled."""
    if nightly_waiting():
        return False
    rebuild_due_items_nightly.using(run_after=next_night(now)).enqueue()
    return True


@task()
def rebuild_due_items_nightly() -> int:
    """Work out every authority's outstanding items again, then schedule tomorrow's run."""
    try:
        made = projection.rebuild()
        logger.info("Nightly rebuild of what is due: %d items", made)
        # And the planner's statistics, for a night's worth of new records (core/statistics.py).
        refresh_planner_statistics()
        return made
    finally:
        schedule_nightly()
