"""The background-job worker's task for scheduled work (``core.schedule``, decision 0071)."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def run_scheduled_job(name: str) -> str:
    """Run the scheduled job ``name``, record how it went on its row, then queue its next run
    (even when this one failed: one bad night does not stop the next)."""
    from safeguard.core import schedule
    from safeguard.core.models import ScheduledJob

    job = schedule.job(name)
    started = timezone.now()
    ScheduledJob.objects.update_or_create(
        name=name, defaults={"last_started_at": started, "waiting_task_id": ""}
    )
    try:
        outcome = job.run() or "Done"
    except Exception as error:
        finished = timezone.now()
        ScheduledJob.objects.filter(name=name).update(
            last_finished_at=finished,
            last_failed_at=finished,
            last_run_failed=True,
            last_outcome=f"{type(error).__name__}: {error}"[:2000],
        )
        logger.exception("Scheduled job %s failed", name)
        raise
    else:
        finished = timezone.now()
        ScheduledJob.objects.filter(name=name).update(
            last_finished_at=finished,
            last_succeeded_at=finished,
            last_run_failed=False,
            last_outcome=str(outcome)[:2000],
        )
        logger.info("Scheduled job %s: %s", name, outcome)
        return str(outcome)
    finally:
        schedule.schedule(name)
