"""Permission-matrix rows for the statutory returns pages (see safeguard/testing/matrix.py).

Performance analysts and service managers of the authority run the exports; its system
administrators import census files (decision 0017); nobody else. Both see the returns page
(their own jobs). A job and its file are its starter's: the analyst's job is 404 to everyone
else.
"""

from safeguard.testing.matrix import row

RETURNS_PAGE = row(302, 403, 403, 200, 200, 403, 403, 403, 403, 403, 200, 302, 403, 403, 403)
EXPORT_PAGE = row(302, 403, 403, 200, 200, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403)
IMPORT_PAGE = row(302, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200, 302, 403, 403, 403)
ANALYSTS_JOB = row(302, 404, 404, 404, 200, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404)


def _analysts_job(world):
    from safeguard.returns.models import JobKind, JobStatus, ReturnJob

    job = ReturnJob.objects.create(
        kind=JobKind.ANNEX_A_EXPORT,
        authority=world.authority,
        started_by=world.analyst_eve,
        options={"as_of": "2026-03-31"},
        status=JobStatus.DONE,
        result_file="annex-a.xlsx",
        result_name="annex-a.xlsx",
    )
    job.folder.mkdir(parents=True, exist_ok=True)
    (job.folder / "annex-a.xlsx").write_bytes(b"PK synthetic workbook")
    return {"job_id": job.pk}


MATRIX = {
    "returns:jobs": ("get", None, "", RETURNS_PAGE),
    "returns:cin-export": ("get", None, "", EXPORT_PAGE),
    "returns:annex-a-export": ("get", None, "", EXPORT_PAGE),
    "returns:cin-import": ("get", None, "", IMPORT_PAGE),
    "returns:job": ("get", "analysts_job", "", ANALYSTS_JOB),
    "returns:job-status": ("get", "analysts_job", "", ANALYSTS_JOB),
    "returns:download": ("get", "analysts_job", "", ANALYSTS_JOB),
}

TARGETS = {"analysts_job": _analysts_job}
