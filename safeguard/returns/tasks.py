"""The background task behind every return started from the web (django-tasks, run by the
worker: ``safeguard db_worker``, which ``safeguard serve`` starts).

It does what the commands do, with the same builders, validators, writers and importer, and
records progress on the job as the builders report each batch.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import shutil
import time
import uuid

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from django_tasks import task

from safeguard.people.models import Person
from safeguard.returns.builders.annex_a import AnnexAPeriod, build_annex_a
from safeguard.returns.builders.cin import build_cin_return
from safeguard.returns.census import CensusYear
from safeguard.returns.management.commands.export_cin import _release, _write_atomically
from safeguard.returns.models import JobKind, JobStatus, ReturnJob
from safeguard.returns.services import UPLOADS
from safeguard.returns.validators.cin import ERROR, validate_cin_return
from safeguard.returns.writers.annex_a import render_annex_a_xlsx
from safeguard.returns.writers.cin import render_cin_xml

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
    census = build_cin_return(authority=job.authority, year=year, progress=progress)
    failures = validate_cin_return(census)
    errors = [f for f in failures if f.level == ERROR]
    job.report = [
        {
            "child": f.la_child_id or "",
            "record": str(f.person_id) if f.person_id else "",
            "rule": f.code,
            "level": "error" if f.level == ERROR else "query",
            "message": f.message,
            "detail": f.detail or "",
        }
        for f in sorted(
            failures,
            key=lambda f: (f.person_id is not None, f.la_child_id, str(f.person_id), f.code),
        )
    ]
    queries = len(failures) - len(errors)
    if errors:
        children = len({f.person_id for f in errors if f.person_id is not None})
        where = (
            f"in the records of {children} child{'ren' if children != 1 else ''}"
            if children
            else "in the return"
        )
        job.status = JobStatus.REFUSED
        job.summary = (
            f"{len(errors)} error{'s' if len(errors) != 1 else ''} {where} (listed below): "
            "fix them in the records and export again. No file was made."
        )
        return
    data = render_cin_xml(census, generated_at=timezone.localtime(), release=_release())
    name = f"cin-census-{year.label}-{job.authority.dfe_la_code}.xml"
    _keep(job, name, data)
    job.people = [str(child.person_id) for child in census.children]
    job.status = JobStatus.DONE
    job.summary = (
        f"CIN census {year} for {job.authority.name} ({job.authority.dfe_la_code}): "
        f"{len(census.children):,} child{'ren' if len(census.children) != 1 else ''}, "
        f"{sum(len(c.episodes) for c in census.children):,} episodes; no errors"
        + (f", {queries} quer{'ies' if queries != 1 else 'y'} to check." if queries else ".")
    )


def _annex_a_export(job: ReturnJob, progress: JobProgress) -> None:
    period = AnnexAPeriod.parse(job.options["as_of"])
    annex = build_annex_a(authority=job.authority, period=period, progress=progress)
    data = render_annex_a_xlsx(annex)
    _keep(job, f"annex-a-{job.options['as_of']}-{job.authority.dfe_la_code}.xlsx", data)
    job.people = _annex_a_people(job, annex)
    job.status = JobStatus.DONE
    counts = ", ".join(f"list {a.number} {len(a.rows):,}" for a in annex.lists)
    job.summary = (
        f"Annex A for {job.authority.name} ({job.authority.dfe_la_code}), {period}; rows: {counts}."
    )


def _annex_a_people(job: ReturnJob, annex) -> list[str]:
    """The people in the workbook: its "Child Unique ID" is the LA child id, or the record's
    id when there is none."""
    ids: set[str] = set()
    for sheet in annex.lists:
        column = next(i for i, c in enumerate(sheet.columns) if c.key == "child_id")
        ids.update(str(row[column]) for row in sheet.rows if row[column])
    uuids = []
    for value in ids:
        with contextlib.suppress(ValueError):
            uuids.append(uuid.UUID(value))
    people = Person.objects.filter(authority=job.authority)
    found = set(people.filter(la_child_id__in=ids).values_list("pk", flat=True))
    found |= set(people.filter(pk__in=uuids).values_list("pk", flat=True))
    return sorted(str(pk) for pk in found)


def _cin_import(job: ReturnJob, progress: JobProgress) -> None:
    folder = job.folder / UPLOADS
    paths = [str(folder / name) for name in job.options["files"]]
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "import_cin",
            *paths,
            skip_invalid=job.options.get("skip_invalid", False),
            authority_code=job.authority.dfe_la_code,
            # The person who started the import is the author of every change it makes; the
            # command checks again that they may still import (decision 0017).
            by=job.started_by.username,
            progress=progress,
            stdout=out,
            stderr=err,
        )
    except CommandError as error:
        job.status = JobStatus.REFUSED
        job.summary = _plain(str(error), folder)
    else:
        job.status = JobStatus.DONE
        job.summary = _plain(out.getvalue().strip(), folder)
    finally:
        # The records now hold what the files held: the uploads are not kept.
        shutil.rmtree(folder, ignore_errors=True)
    job.report = [{"text": _plain(line, folder)} for line in err.getvalue().splitlines() if line]


def _plain(text: str, folder) -> str:
    """The command names files by path; the page names them as uploaded."""
    return text.replace(f"{folder}{os.sep}", "")


def _keep(job: ReturnJob, name: str, data: bytes) -> None:
    job.folder.mkdir(parents=True, exist_ok=True)
    _write_atomically(job.folder / name, data)
    job.result_file, job.result_name = name, name


RUNNERS = {
    JobKind.CIN_EXPORT: _cin_export,
    JobKind.ANNEX_A_EXPORT: _annex_a_export,
    JobKind.CIN_IMPORT: _cin_import,
}
