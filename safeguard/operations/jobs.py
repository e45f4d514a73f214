"""The scheduled jobs as the administration page, ``check-setup`` and ``/health/`` see them
(``core.schedule``, decision 0071): each registered job with its row, whether a run is waiting,
and whether it failed last time or is late."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from safeguard.core import schedule
from safeguard.core.models import ScheduledJob


@dataclass(frozen=True)
class JobState:
    job: schedule.Job
    row: ScheduledJob | None
    waiting: bool  # a run is queued
    running: bool
    late: bool

    @property
    def failed(self) -> bool:
        return bool(self.row and self.row.last_run_failed)

    @property
    def status(self) -> str:
        """One word: "failed", "late", "not scheduled" or "ok"."""
        if self.failed:
            return "failed"
        if self.late:
            return "late"
        if not (self.waiting or self.running):
            return "not scheduled"
        return "ok"


def job_states(now: datetime | None = None) -> list[JobState]:
    """Every registered job's state, in two queries."""
    now = now or timezone.now()
    rows = {row.name: row for row in ScheduledJob.objects.all()}
    ids = [row.waiting_task_id for row in rows.values() if row.waiting_task_id]
    statuses = {
        str(pk): status
        for pk, status in DBTaskResult.objects.filter(pk__in=ids).values_list("pk", "status")
    }
    states = []
    for job in schedule.jobs():
        row = rows.get(job.name)
        status = statuses.get(row.waiting_task_id) if row else None
        states.append(
            JobState(
                job=job,
                row=row,
                waiting=status == TaskResultStatus.READY,
                running=status == TaskResultStatus.RUNNING,
                late=bool(row and row.is_late(job, now)),
            )
        )
    return states
