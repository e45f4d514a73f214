"""Scheduled work run by the background-job worker (decision 0071).

Each app registers the work it needs done on a schedule from its ``AppConfig.ready()``
(``register``): the due-items rebuild, the audit programme's draw, the data-quality check,
the audit trail's verification, cleaning, reminders. ``schedule`` puts the next run of each in
the worker's queue (``core.tasks.run_scheduled_job``), unless one is waiting already; each run
records how it went on its ``ScheduledJob`` row, then schedules the next. The row is locked
while a run is queued, so however many web processes and workers there are, and however often
``schedule`` is called, each job has one run waiting and runs once a night.

``safeguard schedule-jobs`` (and ``safeguard serve``, when it starts the worker) schedules every
job; the administration page ``/administration/jobs/``, ``safeguard check-setup`` and
``/health/`` read the rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

DAILY = "daily"
MONTHLY = "monthly"

# A job that has not succeeded for this long is late (a night missed, with an hour's grace).
LATE_AFTER = {DAILY: timedelta(hours=26), MONTHLY: timedelta(days=32)}


@dataclass(frozen=True)
class Job:
    """A piece of scheduled work. ``run`` takes no arguments and returns one line saying what
    it did; it raises to say it failed. ``at`` is local time; a monthly job runs on the 1st."""

    name: str
    title: str
    run: Callable[[], str]
    at: time = time(2, 0)
    every: str = DAILY

    def next_run(self, now: datetime | None = None) -> datetime:
        """The first time after ``now`` that this job is due, in the local time zone."""
        now = timezone.localtime(now)
        day = now.date()
        if self.every == MONTHLY:
            day = day.replace(day=1)
            when = timezone.make_aware(datetime.combine(day, self.at))
            if when <= now:
                following = (day + timedelta(days=32)).replace(day=1)
                when = timezone.make_aware(datetime.combine(following, self.at))
            return when
        when = timezone.make_aware(datetime.combine(day, self.at))
        if when <= now:
            when = timezone.make_aware(datetime.combine(day + timedelta(days=1), self.at))
        return when

    @property
    def late_after(self) -> timedelta:
        return LATE_AFTER[self.every]


_JOBS: dict[str, Job] = {}


def register(job: Job) -> None:
    """Called from an app's ``AppConfig.ready()``. A name is registered once."""
    if job.name in _JOBS and _JOBS[job.name] != job:
        raise ValueError(f"A scheduled job is already called {job.name!r}")
    _JOBS[job.name] = job


def jobs() -> list[Job]:
    """Every registered job, in the order they run at night."""
    return sorted(_JOBS.values(), key=lambda job: (job.at, job.name))


def job(name: str) -> Job:
    try:
        return _JOBS[name]
    except KeyError:
        raise LookupError(f"No scheduled job is called {name!r}") from None


def schedule(name: str, now: datetime | None = None) -> datetime | None:
    """Queue the next run of the job ``name`` unless one is waiting: when it will run, or
    None if one was waiting already (the row is locked meanwhile, so two callers at once queue
    one run)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from safeguard.core.models import ScheduledJob
    from safeguard.core.tasks import run_scheduled_job

    wanted = job(name)
    with transaction.atomic():
        ScheduledJob.objects.get_or_create(name=name)
        row = ScheduledJob.objects.select_for_update().get(name=name)
        if (
            row.waiting_task_id
            and DBTaskResult.objects.filter(
                pk=row.waiting_task_id, status=TaskResultStatus.READY
            ).exists()
        ):
            return None
        when = wanted.next_run(now)
        result = run_scheduled_job.using(run_after=when).enqueue(name)
        row.waiting_task_id = str(result.id)
        row.next_run_at = when
        row.save(update_fields=["waiting_task_id", "next_run_at"])
        return when


def schedule_all(now: datetime | None = None) -> dict[str, datetime | None]:
    """``schedule`` every registered job: {name: when queued, or None if one was waiting}."""
    return {each.name: schedule(each.name, now) for each in jobs()}
