"""The step pages in a real browser with JavaScript off (issue 16 item 5): reached from the
case page, every field read back. Screenshots go to SCREENSHOTS."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings

from safeguard.accounts.tests.clients import VerifiedClient
from safeguard.protection.models import StrategyDiscussion
from safeguard.protection.tests.steps import plan_of_sam
from safeguard.testing.browser import SCREENSHOTS
from safeguard.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTES = "Police to interview the mother with the social worker on Thursday."


def _without_javascript(browser, base: str, user):
    """A page signed in as ``user``, with JavaScript off: the pages must not need it."""
    client = VerifiedClient()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "domain": urlsplit(base).hostname, "path": "/",
    }])  # fmt: skip
    return context, context.new_page()


def test_the_steps_pages_are_reached_from_the_case_and_read_back(live_server, browser):
    world = build_world()
    plan = plan_of_sam(world)
    conference = plan.conferences.get()
    StrategyDiscussion.objects.filter(pk=conference.section47.strategy_discussion_id).update(
        notes=NOTES, emergency_protection="none"
    )
    base = live_server.url
    context, page = _without_javascript(browser, base, world.sw_amy)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(f"{base}/cases/{plan.case_id}/")
    page.click("#strategy-discussions + table a")
    assert NOTES in page.locator("main").inner_text()
    assert "DC Pat Patel" in page.locator("#attendees + table").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "strategy-discussion.png"), full_page=True)

    page.click("text=Started 7 January 2025")
    assert "Concerns substantiated" in page.locator("#section47").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "section47-enquiry.png"), full_page=True)

    page.click("#conferences + ul a")
    main = page.locator("main").inner_text()
    assert "Daily school attendance" in main and "Sid Singh" in main and "Neglect" in main
    page.screenshot(path=str(SCREENSHOTS / "conference.png"), full_page=True)
    context.close()
