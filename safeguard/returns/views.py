"""Statutory returns from the web: start an export or import, follow it, download the file.
Thin: check the form, call one service, render."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from safeguard.audit.models import AccessPurpose
from safeguard.audit.services import record_access
from safeguard.core import submission
from safeguard.core.client_ip import client_ip
from safeguard.core.downloads import safe_filename
from safeguard.core.submission import posted
from safeguard.returns import permissions, selectors, services
from safeguard.returns.forms import AnnexAForm, CinExportForm, CinImportForm
from safeguard.returns.models import JobKind, JobStatus
from safeguard.returns.permissions import Action


def _may_run(request) -> None:
    if not permissions.can(request.user, Action.RUN):
        raise PermissionDenied


def _may_import(request) -> None:
    if not permissions.can(request.user, Action.IMPORT):
        raise PermissionDenied


@login_required
@require_GET
def job_list(request):
    may_export = permissions.can(request.user, Action.RUN)
    may_import = permissions.can(request.user, Action.IMPORT)
    if not (may_export or may_import):
        raise PermissionDenied
    return render(
        request,
        "returns/job_list.html",
        {
            "jobs": selectors.jobs_for(request.user)[:100],
            "may_export": may_export,
            "may_import": may_import,
        },
    )


def _started(job) -> str:
    return f"{job.get_kind_display()} started"


@login_required
@require_http_methods(["GET", "POST"])
def start_cin_export(request):
    _may_run(request)
    form = CinExportForm(posted(request))
    if job := submission.submit(
        request,
        form,
        lambda data: services.start_cin_export(by=request.user, year=data["year"]),
        success=_started,
    ):
        return redirect("returns:job", job_id=job.pk)
    return render(request, "returns/start.html", {"form": form, "title": "Export the CIN census"})


@login_required
@require_http_methods(["GET", "POST"])
def start_annex_a_export(request):
    _may_run(request)
    form = AnnexAForm(posted(request))
    if job := submission.submit(
        request,
        form,
        lambda data: services.start_annex_a_export(by=request.user, as_of=data["as_of"]),
        success=_started,
    ):
        return redirect("returns:job", job_id=job.pk)
    title = "Export Ofsted's Annex A lists"
    return render(request, "returns/start.html", {"form": form, "title": title})


@login_required
@require_http_methods(["GET", "POST"])
def start_cin_import(request):
    _may_import(request)
    form = CinImportForm(posted(request), request.FILES)
    if job := submission.submit(
        request,
        form,
        lambda data: services.start_cin_import(
            by=request.user, files=data["files"], skip_invalid=data["skip_invalid"]
        ),
        success=_started,
    ):
        return redirect("returns:job", job_id=job.pk)
    title = "Import CIN census files"
    return render(request, "returns/start.html", {"form": form, "title": title})


def _progress(job) -> dict:
    done, total = selectors.job_progress(job)
    percent = 100 if job.status == JobStatus.DONE else (100 * done // total if total else 0)
    if total:
        text = f"{done} of {total} records ({percent}%)"
    elif job.status == JobStatus.RUNNING:
        text = "Started: reading the files and counting the records"
    else:
        text = "Waiting for the worker to start"
    return {"done": done, "total": total, "percent": percent, "progress_text": text}


@login_required
@require_GET
def job(request, job_id: UUID):
    # Anyone but its starter is told the job does not exist (not "forbidden": a job is not a
    # page everybody has, and its existence is nobody else's business).
    job = selectors.job_for(user=request.user, job_id=job_id)
    return render(
        request,
        "returns/job.html",
        {"job": job, **_progress(job), "is_export": job.kind != JobKind.CIN_IMPORT},
    )


@login_required
@require_GET
def job_status(request, job_id: UUID):
    """The job's state as JSON, for the job page's script (static/js/job_progress.mjs) to
    follow without reloading: the same job the page shows, to the same person (its starter;
    anyone else is told it does not exist)."""
    job = selectors.job_for(user=request.user, job_id=job_id)
    download = job.status == JobStatus.DONE and bool(job.result_file)
    context = {"job": job, "is_export": job.kind != JobKind.CIN_IMPORT}
    finished = job.is_finished
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "finished": finished,
            **_progress(job),
            "summary": job.summary or "",
            "download_url": reverse("returns:download", args=[job.pk]) if download else "",
            # The page's own parts, rendered by its templates, for the script to put in place.
            "status_html": render_to_string("returns/_status.html", context, request),
            "result_html": render_to_string("returns/_job_result.html", context, request)
            if finished
            else "",
        },
        headers={"Cache-Control": "no-store"},
    )


@login_required
@require_GET
def download(request, job_id: UUID):
    job = selectors.job_for(user=request.user, job_id=job_id)
    if job.status != JobStatus.DONE or not job.result_file:
        raise Http404("The job has no file")
    path = job.folder / job.result_file
    if not path.is_file():
        raise Http404("The file is no longer kept")
    # The file is a read of every child in it: one access event each, written before a byte
    # is sent (docs/decisions/0012-returns-in-the-background.md).
    with transaction.atomic():
        record_access(
            by=request.user,
            person_ids=[UUID(pid) for pid in job.people],
            purpose=AccessPurpose.LIST,
            route=f"{request.method} {request.get_full_path()}",
            ip_address=client_ip(request),
            reason=f"In the {job.get_kind_display()} file {job.result_name} (job {job.pk})",
        )
    content_type = (
        "application/xml"
        if job.result_name.endswith(".xml")
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=safe_filename(job.result_name),
        content_type=content_type,
    )
