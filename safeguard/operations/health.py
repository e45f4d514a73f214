"""``/health/``: is this web process able to serve, for load balancers and monitoring.

Two checks, each answering "ok" or what failed, never more (no host names, no errors' text,
nothing about any child or member of staff):

- the database answers a query on Safeguard's own tables;
- the background-job worker is taking jobs. The django-tasks database backend records no
  heartbeat, so a job that has waited more than ``SAFEGUARD_HEALTH_QUEUE_MINUTES`` (10) to
  start means no worker is running; the age of the last finished job is reported beside it
  (a quiet service may have no jobs at all, which is healthy).

And one report, which does not fail the process (a load balancer should not take a web
process out of service for it): the last runs of the scheduled jobs (decision 0071). A job
that failed on its last run, or has not succeeded on time, makes the answer "degraded" and is
named (job names only).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Max, Min, Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from safeguard.accounts.models import LocalAuthority
from safeguard.operations.jobs import job_states

logger = logging.getLogger("safeguard.health")


def _database() -> dict:
    try:
        LocalAuthority.objects.exists()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return {"status": "failed", "detail": "the database did not answer"}
    return {"status": "ok"}


def _worker() -> dict:
    now = timezone.now()
    try:
        found = DBTaskResult.objects.aggregate(
            waiting_since=Min(
                "run_after",
                filter=Q(status=TaskResultStatus.READY, run_after__lte=now),
            ),
            last_finished=Max("finished_at"),
        )
    except DatabaseError:
        logger.exception("Health check: the job queue could not be read")
        return {"status": "failed", "detail": "the job queue could not be read"}
    waited = now - found["waiting_since"] if found["waiting_since"] else timedelta(0)
    last = found["last_finished"]
    answer = {
        "status": "ok",
        "oldest_waiting_job_seconds": int(waited.total_seconds()),
        "last_finished_job_seconds_ago": int((now - last).total_seconds()) if last else None,
    }
    if waited > timedelta(minutes=settings.SAFEGUARD_HEALTH_QUEUE_MINUTES):
        answer["status"] = "failed"
        answer["detail"] = "a background job has waited too long to start: is a worker running?"
    return answer


def _scheduled() -> dict:
    try:
        states = job_states()
    except DatabaseError:
        logger.exception("Health check: the scheduled jobs could not be read")
        return {"status": "failed", "detail": "the scheduled jobs could not be read"}
    answer: dict = {"status": "ok"}
    for word in ("failed", "late"):
        names = [state.job.name for state in states if state.status == word]
        if names:
            answer["status"] = "degraded"
            answer[word] = names
    return answer


def health() -> dict:
    """``{"status": "ok" | "degraded" | "failed", "checks": {name: {"status": ...}}}``:
    "failed" when the database or the worker fails (the process cannot do its work),
    "degraded" when only scheduled jobs failed or are late."""
    database = _database()
    checks = {"database": database}
    if database["status"] == "ok":
        checks["worker"] = _worker()
        checks["scheduled_jobs"] = _scheduled()
    failed = any(
        checks[name]["status"] != "ok" for name in ("database", "worker") if name in checks
    )
    degraded = any(check["status"] != "ok" for check in checks.values())
    return {
        "status": "failed" if failed else ("degraded" if degraded else "ok"),
        "checks": checks,
    }
