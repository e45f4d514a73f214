"""The background task behind every return started from the web (django-tasks, run by the
worker: ``safeguard db_worker``, which ``safeguard serve`` starts).

It calls the same services as the commands (``returns/services``), records progress on the
job as the builders report each batch, and keeps what the service returns on the job: its
summary, its report and the file.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import time
from pathlib import Path

from django.db import connection
from django.utils import timezone
from django_tasks import task

from safeguard.core.errors import ApplicationError
from safeguard.returns import services
from safeguard.returns.builders.annex_a import AnnexAPeriod
from safeguard.returns.census import CensusYear
from safeguard.returns.models import JobKind, JobStatus, ReturnJob

logger = logging.getLogger(__name__)

PROGRESS_FILE = "progress.json"
# Write progress at most this often (and always at the start and the end).
MIN_INTERVAL_SECONDS = 0.5


class JobProgress:
    """``progress(done, total)`` for the builders and the importer: the job's row is updated,
    at most twice a second. Inside the import's single transaction the row cannot be seen by
    the web pages until the end, so there the numbers go to a small file in the job's folder
    (``selectors.job_progress`` reads whichever is newer)."""

    def __init__(self, job: ReturnJob):
        self.job = job
        self._at = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if 0 < done < total and now - self._at < MIN_INTERVAL_SECONDS:
            return
        self._at = now
        if connection.in_atomic_block:
            self.job.folder.mkdir(parents=True, exist_ok=True)
            temporary = self.job.folder / f".{PROGRESS_FILE}.{os.getpid()}"
            temporary.write_text(json.dumps({"done": done, "total": total}))
            os.replace(temporary, self.job.folder / PROGRESS_FILE)
        else:
            ReturnJob.objects.filter(pk=self.job.pk).update(done=done, total=total)
        self.job.done, self.job.total = done, total

    def close(self) -> None:
        pass


@task()
def run_return_job(job_id: str) -> str:
    job = ReturnJob.objects.select_related("authority", "started_by").get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return job.status
    job.status, job.started_at = JobStatus.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    progress = JobProgress(job)
    try:
        RUNNERS[job.kind](job, progress)
    except Exception:
        # The job says it failed; the detail is for the operator's log, not the page.
        logger.exception("Return job %s failed", job.pk)
        job.status = JobStatus.FAILED
        job.summary = (
            "The job stopped with an unexpected error and made no file. "
            "Tell the system administrator (the error is in the worker's log)."
        )
    except BaseException:
        # The worker was stopped (the server stopped with it): say so, and let it stop.
        job.status, job.finished_at = JobStatus.FAILED, timezone.now()
        job.summary = "The job was stopped before it finished (the server stopped): start it again."
        job.save()
        raise
    finally:
        (job.folder / PROGRESS_FILE).unlink(missing_ok=True)
    job.finished_at = timezone.now()
    if job.status == JobStatus.DONE:
        job.done = job.total
    job.save()
    return job.status


def _cin_export(job: ReturnJob, progress: JobProgress) -> None:
    year = CensusYear.parse(job.options["year"])
    output = _output(job, services.cin_file_name(job.authority, year))
    made = services.export_cin(authority=job.authority, year=year, output=output, progress=progress)
    job.report = made.report_rows()
    if made.refused:
        job.status = JobStatus.REFUSED
        job.summary = (
            f"{made.error_count} (listed below): fix them in the records and export again. "
            "No file was made."
        )
        _discard(job)
        return
    _keep(job, made.path)
    job.people = [str(pk) for pk in made.person_ids]
    job.status = JobStatus.DONE
    job.summary = f"{made.title}: {made.counts}"


def _annex_a_export(job: ReturnJob, progress: JobProgress) -> None:
    period = AnnexAPeriod.parse(job.options["as_of"])
    output = _output(job, services.annex_a_file_name(job.authority, period))
    made = services.export_annex_a(
        authority=job.authority, period=period, output=output, progress=progress
    )
    _keep(job, made.path)
    job.people = [str(pk) for pk in made.person_ids]
    job.status = JobStatus.DONE
    job.summary = made.summary


def _cin_import(job: ReturnJob, progress: JobProgress) -> None:
    folder = job.folder / services.UPLOADS
    try:
        # The person who started the import is the author of every change it makes; the
        # service checks again that they may still import (decision 0017).
        made = services.import_cin(
            files=[folder / name for name in job.options["files"]],
            authority=job.authority,
            by=job.started_by,
            skip_invalid=job.options.get("skip_invalid", False),
            progress=progress,
        )
    except ApplicationError as error:
        job.status, job.summary, job.report = JobStatus.REFUSED, _plain(error.message, folder), []
        return
    finally:
        # The records now hold what the files held: the uploads are not kept.
        shutil.rmtree(folder, ignore_errors=True)
    if made.refused:
        job.status, job.summary = JobStatus.REFUSED, _plain(made.refused, folder)
    else:
        job.status = JobStatus.DONE
        job.summary = _plain("\n".join([*made.read_lines(), made.summary]), folder)
    lines = "\n".join(made.report).splitlines()
    job.report = [{"text": _plain(line, folder)} for line in lines if line]


def _plain(text: str, folder) -> str:
    """The service names files by path; the page names them as uploaded."""
    return text.replace(f"{folder}{os.sep}", "")


def _output(job: ReturnJob, name: str) -> Path:
    """Where the service writes the job's file: in the job's folder (made now)."""
    job.folder.mkdir(parents=True, exist_ok=True)
    return job.folder / name


def _discard(job: ReturnJob) -> None:
    """A refused export keeps no folder of its own (there is no file in it)."""
    with contextlib.suppress(OSError):  # not empty, or already gone: left as it is
        job.folder.rmdir()


def _keep(job: ReturnJob, path: Path) -> None:
    """The file written is the job's download."""
    job.result_file = job.result_name = path.name


RUNNERS = {
    JobKind.CIN_EXPORT: _cin_export,
    JobKind.ANNEX_A_EXPORT: _annex_a_export,
    JobKind.CIN_IMPORT: _cin_import,
}
