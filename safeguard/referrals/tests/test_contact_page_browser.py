"""A contact's page in a real browser with JavaScript off (issue 16 item 5): reached from the
child's list of contacts on the person page, every field read back. Screenshots go to
SCREENSHOTS."""

import tomllib
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from safeguard.accounts.tests.clients import VerifiedClient
from safeguard.referrals.management.commands.load_thresholds import DEFAULT_FILE
from safeguard.referrals.services import contact_decide, contact_record, thresholds_load
from safeguard.testing.browser import SCREENSHOTS
from safeguard.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RATIONALE = "Seen at school by the nurse: fed, clean and happy to talk."


def test_the_contact_is_reached_from_the_person_page_and_read_back(live_server, browser):
    world = build_world()
    with DEFAULT_FILE.open("rb") as handle:
        levels = thresholds_load(by=None, authority=world.authority, data=tomllib.load(handle))
    level = next(lv for lv in levels if lv.implied_outcome == "advice")
    contact = contact_record(
        by=world.sw_amy, child=world.child_sam, contact_date=date(2025, 6, 2), source="2A",
        reason="The school reports he is often hungry.", priority="amber",
    )  # fmt: skip
    contact_decide(
        by=world.sw_amy, contact=contact, level=level, indicators=[level.indicators.first()],
        rationale=RATIONALE, outcome="advice", decision_date=date(2025, 6, 3),
    )  # fmt: skip
    base = live_server.url
    client = VerifiedClient()
    client.force_login(world.sw_amy)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "domain": urlsplit(base).hostname, "path": "/",
    }])  # fmt: skip
    page = context.new_page()
    page.goto(f"{base}/people/{world.child_sam.pk}/")
    page.click("#contact-list a")
    main = page.locator("main").inner_text()
    assert "Advice and information" in main and RATIONALE in main and "often hungry" in main
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "contact.png"), full_page=True)
    context.close()
