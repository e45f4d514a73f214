"""Reads for the statutory returns pages."""

from __future__ import annotations

import json

from django.http import Http404

from safeguard.accounts.models import LocalAuthority
from safeguard.core.errors import ApplicationError
from safeguard.returns import permissions
from safeguard.returns.models import JobStatus, ReturnJob


def authority_for_code(code: str | None) -> LocalAuthority:
    """The authority whose DfE LA code is ``code``; without a code, the only authority (the
    commands' ``--authority-code``)."""
    authorities = LocalAuthority.objects.all()
    if code:
        authorities = authorities.filter(dfe_la_code=code)
    if authorities.count() != 1:
        raise ApplicationError(
            "Name the authority with --authority-code (its DfE LA code)"
            if not code
            else f"No authority has the DfE LA code {code}"
        )
    return authorities.get()


def jobs_for(user):
    return permissions.visible_to(user).select_related("started_by")


def job_for(*, user, job_id) -> ReturnJob:
    """The job, if ``user`` started it; anyone else is told it does not exist."""
    job = permissions.visible_to(user).filter(pk=job_id).first()
    if job is None:
        raise Http404("No such job")
    return job


def job_progress(job: ReturnJob) -> tuple[int, int]:
    """(done, total): the row's numbers, or, while an import writes in its one transaction,
    the newer numbers the worker keeps in the job's folder (returns/tasks.py)."""
    from safeguard.returns.tasks import PROGRESS_FILE

    if job.status == JobStatus.RUNNING:
        try:
            data = json.loads((job.folder / PROGRESS_FILE).read_text())
            return int(data["done"]), int(data["total"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
    return job.done, job.total
