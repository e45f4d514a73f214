"""Break-glass in a real browser: a colleague finds a sealed record, sees only the restricted
page, breaks glass with a reason, her password and a code, and then sees the record."""

import os

import pytest

from safeguard.people.tests.sealing import (
    SAM,
    authenticator,
    code,
    colleague,
    next_unused_code,
    seal_sam,
)
from safeguard.testing.browser import SCREENSHOTS, sign_in
from safeguard.testing.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_colleague_finds_sealed_record_and_breaks_glass(live_server, browser):  # noqa: F811
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    world = build_world()
    sam = seal_sam(world)
    fay = colleague(world)
    device = authenticator(fay)
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, base, "fay")  # both factors through the real pages
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(f"{base}/people/?name=Sam+Smith")
    matches = page.locator("#restricted-matches")
    assert "1 restricted record also matches" in matches.inner_text()
    assert "2015" not in page.content()
    page.screenshot(path=str(SCREENSHOTS / "sealed-search.png"), full_page=True)

    matches.locator("a").click()
    assert page.locator("h1").inner_text() == "This record is restricted"
    assert not SAM.search(page.locator("main").inner_text())
    page.fill("#id_reason", "Police called: the child may be at risk tonight")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", "000000" if code(device) != "000000" else "111111")
    page.click("button:has-text('Break glass')")
    assert "password or security code is wrong" in page.locator(".govuk-error-summary").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "sealed-break-glass-error.png"), full_page=True)

    page.wait_for_timeout(2500)  # django-otp slows down guessing after a wrong code
    page.fill("#id_password", PASSWORD)
    # A code is accepted once, and the sign-in used one: the next unused code, read against
    # the device's stored drift (a sign-in across a 30-second boundary moves it).
    page.fill("#id_otp_token", next_unused_code(device))
    page.click("button:has-text('Break glass')")
    assert page.locator("h1").inner_text() == "Sam Smith"
    assert "through break-glass until" in page.locator("#seal-banner").inner_text()
    assert page.url.endswith(f"/people/{sam.pk}/")
    page.screenshot(path=str(SCREENSHOTS / "sealed-after-break-glass.png"), full_page=True)
    context.close()
