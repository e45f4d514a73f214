"""In Chromium: an analyst starts an Annex A export, sees the job's progress page, the worker
runs it, and the file downloads from the page."""

import io
import os
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from safeguard.testing.world import build_world
from safeguard.tests.test_browser import _sign_in, browser, page  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("SAFEGUARD_SCREENSHOTS", "var/screenshots"))


def test_an_analyst_exports_annex_a_follows_its_progress_and_downloads_it(
    live_server, page, settings, tmp_path  # noqa: F811
):
    settings.SAFEGUARD_RETURNS_DIR = tmp_path
    build_world()
    base = live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    _sign_in(page, base, "eve")
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
    # The page refreshes itself (a meta refresh: no script is allowed inline).
    page.wait_for_selector("#download", timeout=15000)
    assert page.locator("#job-status").inner_text().startswith("Done")
    page.screenshot(path=str(SCREENSHOTS / "returns-job-done.png"), full_page=True)
    with page.expect_download() as info:
        page.click("#download")
    download = info.value
    assert download.suggested_filename == "annex-a-2026-03-31-991.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert workbook.sheetnames[0] == "List 1"
