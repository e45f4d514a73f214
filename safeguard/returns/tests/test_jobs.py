"""Statutory returns from the web: each kind started from its page, run by the real worker
(``db_worker --batch``, django-tasks' database backend), progress kept on the job, the file
downloaded by its starter only (with an access event per child), a refused export's rule
failures shown, and bad uploads refused with nothing kept."""

import io
import uuid

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from safeguard.audit.models import AccessEvent
from safeguard.returns.models import CensusImportedChild, JobKind, JobStatus, ReturnJob
from safeguard.returns.tasks import JobProgress
from safeguard.returns.tests.test_cin_export import records  # noqa: F401 (a fixture)
from safeguard.returns.tests.test_cin_import import message, one_child

worker_db = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def returns_dir(settings, tmp_path):
    settings.SAFEGUARD_RETURNS_DIR = tmp_path / "returns"
    settings.SAFEGUARD_RETURNS_DIR.mkdir()


def run_worker():
    """The backend's own worker, as `safeguard db_worker` runs it, until the queue is empty."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0,
                 stdout=io.StringIO())  # fmt: skip


def upload(name: str, data: bytes, content_type="text/xml"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


@worker_db
def test_annex_a_export_runs_in_the_worker_and_only_its_starter_downloads_it(world, client):
    client.force_login(world.analyst_eve)
    response = client.post(reverse("returns:annex-a-export"),
                           {"as_of_day": "31", "as_of_month": "3", "as_of_year": "2026"})  # fmt: skip
    job = ReturnJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("returns:job", args=[job.pk])
    assert (job.kind, job.status, job.options) == (JobKind.ANNEX_A_EXPORT, JobStatus.QUEUED,
                                                   {"as_of": "2026-03-31"})  # fmt: skip
    assert DBTaskResult.objects.filter(id=job.task_id, status="READY").exists()
    page = client.get(reverse("returns:job", args=[job.pk])).content.decode()
    assert "js/job_progress.mjs" in page and "Waiting to start" in page

    run_worker()

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.finished_at and job.done == job.total
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    page = client.get(reverse("returns:job", args=[job.pk])).content.decode()
    assert "js/job_progress" not in page and "Download annex-a-2026-03-31-991.xlsx" in page
    response = client.get(reverse("returns:download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="annex-a-2026-03-31-991.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == [f"List_{n}" for n in range(1, 8)]
    # Another analyst's or a manager's request is told the job does not exist.
    for other in (world.sm_dan,):
        client.force_login(other)
        assert client.get(reverse("returns:download", args=[job.pk])).status_code == 404
        assert client.get(reverse("returns:job", args=[job.pk])).status_code == 404
    client.force_login(world.sw_amy)
    assert client.get(reverse("returns:download", args=[job.pk])).status_code == 404


@worker_db
def test_cin_export_records_progress_and_logs_each_child_downloaded(world, client, records):  # noqa: F811
    client.force_login(world.analyst_eve)
    client.post(reverse("returns:cin-export"), {"year": "2025-26"})
    job = ReturnJob.objects.get()
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.summary
    assert (job.done, job.total) == (1, 1)  # Sam is the one child open in the year
    assert job.people == [str(world.child_sam.pk)]
    assert "CIN census 2025-26 for Testshire Borough (991): 1 child, 1 episodes" in job.summary
    before = AccessEvent.objects.filter(user=world.analyst_eve).count()
    response = client.get(reverse("returns:download", args=[job.pk]))
    data = b"".join(response.streaming_content)
    assert response["Content-Disposition"] == 'attachment; filename="cin-census-2025-26-991.xml"'
    assert b"<Message" in data and b"<LAchildID>" in data
    events = AccessEvent.objects.filter(user=world.analyst_eve).order_by("-pk")
    assert events.count() == before + 1
    assert events[0].person_id == world.child_sam.pk and str(job.pk) in events[0].reason


@pytest.mark.django_db
def test_progress_inside_the_imports_transaction_is_kept_beside_the_job(world):
    job = ReturnJob.objects.create(kind=JobKind.CIN_EXPORT, authority=world.authority,
                                   started_by=world.analyst_eve, options={"year": "2025-26"})  # fmt: skip
    progress = JobProgress(job)
    # Inside a transaction (as the import writes) the row cannot be seen by other connections
    # until the end: the numbers go to the job's folder, and the page reads them there.
    progress(0, 10)
    progress(10, 10)
    from safeguard.returns.selectors import job_progress

    job.status = JobStatus.RUNNING
    assert job_progress(job) == (10, 10)
    assert ReturnJob.objects.get(pk=job.pk).total == 0


@worker_db
def test_a_refused_cin_export_shows_each_rule_failure_per_child(world, client, records):  # noqa: F811
    world.child_sam.la_child_id = "T-1"
    world.child_sam.save()
    client.force_login(world.analyst_eve)
    client.post(reverse("returns:cin-export"), {"year": "2025-26"})
    run_worker()
    job = ReturnJob.objects.get()
    assert job.status == JobStatus.REFUSED and not job.result_file
    assert not job.folder.exists()  # no empty folder left behind
    assert "1 error in the records of 1 child" in job.summary and "No file was made" in job.summary
    page = client.get(reverse("returns:job", args=[job.pk])).content.decode()
    assert "1580" in page and "The LA child id has characters other than letters" in page
    assert "T-1" in page and "Download" not in page
    assert client.get(reverse("returns:download", args=[job.pk])).status_code == 404


@worker_db
def test_census_import_from_uploads_with_skip_invalid(world, client):
    client.force_login(world.admin_al)
    good = message(one_child("OK1")).encode()
    mixed = message(one_child("OK2") + one_child("BAD1", source="ZZ")).encode()
    response = client.post(reverse("returns:cin-import"), {
        "files": [upload("good.xml", good), upload("mixed.xml", mixed)], "skip_invalid": "on"})  # fmt: skip
    assert response.status_code == 302
    job = ReturnJob.objects.get()
    assert job.options == {"files": ["01-good.xml", "02-mixed.xml"], "skip_invalid": True}
    assert sorted(p.name for p in (job.folder / "uploads").iterdir()) == ["01-good.xml", "02-mixed.xml"]
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.summary
    assert "Imported 2 children for Testshire Borough (991)" in job.summary
    assert "1 child not imported" in job.summary
    assert any("02-mixed.xml" in row["text"] for row in job.report)
    assert all("/" not in row["text"].split(":")[0] for row in job.report)  # no server paths
    assert set(CensusImportedChild.objects.values_list("person__la_child_id", flat=True)) == {"OK1", "OK2"}
    assert not (job.folder / "uploads").exists()  # the uploads are not kept
    page = client.get(reverse("returns:job", args=[job.pk])).content.decode()
    assert "Imported 2 children" in page and "BAD1" in page


@worker_db
def test_an_import_with_a_bad_child_is_refused_whole(world, client):
    client.force_login(world.admin_al)
    mixed = message(one_child("OK2") + one_child("BAD1", source="ZZ")).encode()
    client.post(reverse("returns:cin-import"), {"files": [upload("mixed.xml", mixed)]})
    run_worker()
    job = ReturnJob.objects.get()
    assert job.status == JobStatus.REFUSED and "nothing was imported" in job.summary
    assert not CensusImportedChild.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, data, content_type, expected",
    [
        ("notes.txt", b"<Message/>", "text/plain", "notes.txt is not an XML file"),
        ("census.xml", b"%PDF-1.4 not xml", "text/xml", "census.xml is not an XML file"),
        ("census.xml", b"<Message><Header></Message>", "text/xml", "census.xml: the file is not well-formed XML (line 1"),
        ("census.xml", b"", "text/xml", "The submitted file is empty"),
        ("census.xml", b'<!DOCTYPE x [<!ENTITY a "b">]><x/>', "text/xml", "declares a DTD"),
    ],
)
def test_a_bad_upload_gets_a_clear_message_and_nothing_is_kept(world, client, settings, name, data,
                                                                content_type, expected):  # fmt: skip
    client.force_login(world.admin_al)
    response = client.post(reverse("returns:cin-import"), {"files": [upload(name, data, content_type)]})
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert not ReturnJob.objects.exists() and not DBTaskResult.objects.exists()
    assert not any(settings.SAFEGUARD_RETURNS_DIR.iterdir())


@pytest.mark.django_db
def test_an_upload_over_the_size_limit_is_refused_unread(world, client, settings):
    settings.SAFEGUARD_MAX_UPLOAD_BYTES = 2000
    client.force_login(world.admin_al)
    big = message(one_child("OK1") * 10).encode()
    assert len(big) > 2000
    response = client.post(reverse("returns:cin-import"), {"files": [upload("census.xml", big)]})
    assert response.status_code == 413
    assert not ReturnJob.objects.exists()


@pytest.mark.django_db
def test_a_bad_year_or_date_is_a_clear_message(world, client):
    client.force_login(world.sm_dan)
    response = client.post(reverse("returns:cin-export"), {"year": "1999-00"})
    assert "Choose a census year from the list" in response.content.decode()
    response = client.post(reverse("returns:annex-a-export"),
                           {"as_of_day": "31", "as_of_month": "2", "as_of_year": "2026"})  # fmt: skip
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert not ReturnJob.objects.exists()


@pytest.mark.django_db
def test_the_job_list_shows_only_ones_own_jobs_and_the_navigation_links_it(world, client):
    mine = ReturnJob.objects.create(kind=JobKind.CIN_EXPORT, authority=world.authority,
                                    started_by=world.analyst_eve, options={"year": "2025-26"})  # fmt: skip
    ReturnJob.objects.create(kind=JobKind.CIN_EXPORT, authority=world.authority,
                             started_by=world.sm_dan, options={"year": "2024-25"})  # fmt: skip
    client.force_login(world.analyst_eve)
    page = client.get(reverse("returns:jobs")).content.decode()
    assert reverse("returns:job", args=[mine.pk]) in page and "2024-25" not in page
    assert 'href="/returns/"' in page
    client.force_login(world.sw_amy)
    assert 'href="/returns/"' not in client.get("/").content.decode()
    assert client.get(reverse("returns:jobs")).status_code == 403
    assert client.get(reverse("returns:job", args=[uuid.uuid4()])).status_code == 404


@pytest.mark.django_db
def test_the_job_page_follows_its_job_without_a_meta_refresh(world, client):
    """The page of a running job has a polite live region, its script and, for a browser
    without it, a link to refresh; the status endpoint answers the job's state as JSON to its
    starter only, exactly as the page does (anyone else: no such job)."""
    job = ReturnJob.objects.create(kind=JobKind.CIN_EXPORT, authority=world.authority,
                                   started_by=world.analyst_eve, options={"year": "2025-26"},
                                   status=JobStatus.RUNNING, done=1500, total=4000)  # fmt: skip
    client.force_login(world.analyst_eve)
    page = client.get(reverse("returns:job", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert 'aria-live="polite"' in page and "js/job_progress" in page
    assert "Refresh this page to see progress" in page
    status_url = reverse("returns:job-status", args=[job.pk])
    assert f'data-status-url="{status_url}"' in page

    state = client.get(status_url).json()
    assert state["status"] == "running" and not state["finished"]
    assert (state["done"], state["total"], state["percent"]) == (1500, 4000, 37)
    assert state["progress_text"] == "1500 of 4000 records (37%)"
    assert state["download_url"] == "" and state["result_html"] == ""

    ReturnJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, done=4000,
                                               result_file="cin.xml", result_name="cin.xml")  # fmt: skip
    state = client.get(status_url).json()
    assert state["finished"] and state["percent"] == 100
    assert state["download_url"] == reverse("returns:download", args=[job.pk])
    assert 'id="download"' in state["result_html"] and "Download cin.xml" in state["result_html"]
    # Once finished the page no longer runs the script.
    page = client.get(reverse("returns:job", args=[job.pk])).content.decode()
    assert "js/job_progress" not in page and "Refresh this page" not in page

    # Anyone but its starter: no such job, on the page and the endpoint alike.
    for other in (world.sm_dan, world.sw_amy):
        client.force_login(other)
        assert client.get(reverse("returns:job", args=[job.pk])).status_code == 404
        assert client.get(status_url).status_code == 404
    client.logout()
    assert client.get(status_url).status_code == 302
