"""Starting statutory returns from the web: each start records a job and queues its task.

The task (``returns/tasks.py``) runs in the worker and calls the same services as the
commands (``exports``, ``cin_import``); the web request only checks the options, keeps the
uploaded files and queues the job.
"""

from __future__ import annotations

import re
import shutil
from datetime import date

from django.db import transaction

from safeguard.audit.models import ChangeVerb
from safeguard.audit.services import record_change
from safeguard.core.errors import ApplicationError
from safeguard.returns import permissions
from safeguard.returns.census import CensusYear
from safeguard.returns.models import JobKind, ReturnJob
from safeguard.returns.permissions import Action

UPLOADS = "uploads"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _check(by) -> None:
    if not permissions.can(by, Action.RUN):
        raise ApplicationError("You may not run the statutory returns.")


def _check_import(by) -> None:
    if not permissions.can(by, Action.IMPORT):
        raise ApplicationError(
            "Only system administrators may import census files into the records."
        )


# The django-tasks task that runs a job, ``tasks.run_return_job``. The task calls these
# services, so they are handed it when the app is ready (``ReturnsConfig.ready``) rather than
# importing it: the task depends on the services, never the other way round.
_runner = None


def runs_jobs_with(task) -> None:
    global _runner
    _runner = task


def _queue(job: ReturnJob) -> ReturnJob:
    record_change(by=job.started_by, verb=ChangeVerb.CREATED, obj=job, before=None)
    result = _runner.enqueue(str(job.pk))
    job.task_id = str(result.id)
    job.save(update_fields=["task_id"])
    return job


@transaction.atomic
def start_cin_export(*, by, year: str) -> ReturnJob:
    _check(by)
    census_year = CensusYear.parse(year)
    job = ReturnJob.objects.create(
        kind=JobKind.CIN_EXPORT,
        authority_id=by.agency.authority_id,
        started_by=by,
        options={"year": census_year.label},
    )
    return _queue(job)


@transaction.atomic
def start_annex_a_export(*, by, as_of: date) -> ReturnJob:
    _check(by)
    job = ReturnJob.objects.create(
        kind=JobKind.ANNEX_A_EXPORT,
        authority_id=by.agency.authority_id,
        started_by=by,
        options={"as_of": as_of.isoformat()},
    )
    return _queue(job)


def safe_name(name: str) -> str:
    """A file name that is safe in the job's folder and says what the user uploaded."""
    stem = _UNSAFE.sub("-", (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip(".-")
    return stem[:100] or "census.xml"


def start_cin_import(*, by, files: list, skip_invalid: bool) -> ReturnJob:
    """``files`` are uploaded files (already checked to be XML by the form). They are kept
    in the job's folder until the worker has imported them, which it does as ``by``."""
    _check_import(by)
    if not files:
        raise ApplicationError("Choose one or more census XML files.", field="files")
    names = []
    for number, upload in enumerate(files, start=1):
        names.append(f"{number:02d}-{safe_name(upload.name)}")
    with transaction.atomic():
        job = ReturnJob.objects.create(
            kind=JobKind.CIN_IMPORT,
            authority_id=by.agency.authority_id,
            started_by=by,
            options={"files": names, "skip_invalid": bool(skip_invalid)},
        )
        folder = job.folder / UPLOADS
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for name, upload in zip(names, files, strict=True):
                with open(folder / name, "wb") as stream:
                    for chunk in upload.chunks():
                        stream.write(chunk)
            return _queue(job)
        except BaseException:
            # Nothing half-kept: the files go with the job that was not made.
            shutil.rmtree(job.folder, ignore_errors=True)
            raise


def files_remove_old(*, days: int) -> str:
    """The scheduled job ``clean-return-files``: the folders of jobs finished more than
    ``days`` days ago are removed (their files name every child in them), and each such job
    says so. The job's record, its report and its access events are kept."""
    from datetime import timedelta

    from django.utils import timezone

    cutoff = timezone.now() - timedelta(days=days)
    removed = 0
    for job in ReturnJob.objects.filter(finished_at__lt=cutoff).exclude(
        options__has_key="files_removed"
    ):
        if job.folder.exists():
            shutil.rmtree(job.folder, ignore_errors=True)
        if job.result_file:
            job.result_file = ""
            job.summary = (
                f"{job.summary} The file was removed {days} days after the job finished."
            ).strip()
        job.options = {**job.options, "files_removed": True}
        job.save(update_fields=["result_file", "summary", "options"])
        removed += 1
    whose = "1 finished job's" if removed == 1 else f"{removed} finished jobs'"
    return f"{whose} files removed"
