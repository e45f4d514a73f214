"""In Chromium: an analyst starts an Annex A export, sees the job's progress page, the worker
runs it, and the file downloads from the page."""

import io
import os
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from safeguard.testing.browser import sign_in
from safeguard.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("SAFEGUARD_SCREENSHOTS", "var/screenshots"))


def test_an_analyst_exports_annex_a_follows_its_progress_and_downloads_it(
    live_server, page, settings, tmp_path  # noqa: F811
):
    settings.SAFEGUARD_RETURNS_DIR = tmp_path
    build_world()
    base = live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, base, "eve")
    page.click("a.govuk-service-navigation__link:has-text('Statutory returns')")
    assert page.locator("h1").inner_text() == "Statutory returns"
    page.screenshot(path=str(SCREENSHOTS / "returns-list.png"), full_page=True)
    page.click("text=Export Annex A")
    page.fill("#id_as_of_day", "31")
    page.fill("#id_as_of_month", "3")
    page.fill("#id_as_of_year", "2026")
    page.screenshot(path=str(SCREENSHOTS / "returns-start-annex-a.png"), full_page=True)
    page.click("button:has-text('Start')")
    assert page.locator("h1").inner_text() == "Annex A export"
    assert page.locator("#job-status").inner_text().startswith("Waiting to start")
    assert page.locator("progress#job-progress").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "returns-job-waiting.png"), full_page=True)

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0,
                 stdout=io.StringIO())  # fmt: skip
    # The page follows the job (its script, static/js/job_progress.mjs, no meta refresh).
    page.wait_for_selector("#download", timeout=15000)
    assert page.locator("#job-status").inner_text().startswith("Done")
    page.screenshot(path=str(SCREENSHOTS / "returns-job-done.png"), full_page=True)
    with page.expect_download() as info:
        page.click("#download")
    download = info.value
    assert download.suggested_filename == "annex-a-2026-03-31-991.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert workbook.sheetnames[0] == "List_1"


def test_a_refused_cin_export_lists_the_rule_failures_on_its_page(live_server, page, settings, tmp_path):  # noqa: F811
    from datetime import date

    from safeguard.casework.models import Case

    settings.SAFEGUARD_RETURNS_DIR = tmp_path
    world = build_world()
    world.child_sam.la_child_id = "T-1"  # rule 1580: letters, digits and nothing else
    world.child_sam.save()
    Case.objects.create(child=world.child_sam, authority=world.authority, referral_source="2A",
                        primary_need="N1", referral_date=date(2025, 6, 2))  # fmt: skip
    base = live_server.url
    sign_in(page, base, "eve")
    page.goto(f"{base}/returns/cin-census/export/")
    page.select_option("#id_year", "2025-26")
    page.click("button:has-text('Start')")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0,
                 stdout=io.StringIO())  # fmt: skip
    page.wait_for_selector("#report", timeout=15000)
    assert page.locator("#job-status").inner_text().startswith("Refused")
    table = page.locator("#report").inner_text()
    assert "T-1" in table and "1580" in table
    assert page.locator("#download").count() == 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "returns-job-refused.png"), full_page=True)


def test_a_running_job_shows_its_progress_and_refreshes_itself(live_server, page, settings, tmp_path):  # noqa: F811
    from safeguard.returns.models import JobKind, JobStatus, ReturnJob

    settings.SAFEGUARD_RETURNS_DIR = tmp_path
    world = build_world()
    job = ReturnJob.objects.create(kind=JobKind.CIN_EXPORT, authority=world.authority,
                                   started_by=world.analyst_eve, options={"year": "2025-26"},
                                   status=JobStatus.RUNNING, done=1500, total=4000)  # fmt: skip
    base = live_server.url
    sign_in(page, base, "eve")
    page.goto(f"{base}/returns/jobs/{job.pk}/")
    assert page.locator("#job-progress-text").inner_text() == "1500 of 4000 records (37%)"
    assert page.locator("progress#job-progress").get_attribute("value") == "1500"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "returns-job-running.png"), full_page=True)
    # The worker moves on; the page shows it without anyone reloading it.
    ReturnJob.objects.filter(pk=job.pk).update(done=3000)
    page.locator("#job-progress-text", has_text="3000 of 4000 records (75%)").wait_for(timeout=10000)


def test_an_upload_that_is_not_xml_is_refused_on_the_import_page(live_server, page, tmp_path):  # noqa: F811
    build_world()
    base = live_server.url
    sign_in(page, base, "al")  # imports are for system administrators
    page.goto(f"{base}/returns/cin-census/import/")
    notes = tmp_path / "notes.txt"
    notes.write_text("not a census")
    page.set_input_files("#id_files", str(notes))
    page.check("#id_skip_invalid")
    page.click("button:has-text('Start')")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "notes.txt is not an XML file: choose census .xml files only" in summary
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "returns-import-refused-upload.png"), full_page=True)
