"""Break-glass in a real browser: a colleague finds a sealed record, sees only the restricted
page, breaks glass with a reason, her password and a code, and then sees the record."""

import os

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from safeguard.people.tests.sealing import authenticator, code, colleague, seal_sam
from safeguard.testing.world import PASSWORD, build_world
from safeguard.tests.test_browser import SCREENSHOTS, browser  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in_context(browser, base, user):  # noqa: F811
    """A browser context holding a session for ``user`` (the sign-in page is not under test)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    host = base.split("//")[1].split(":")[0]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "domain": host, "path": "/"}]
    )
    return context


def test_colleague_finds_sealed_record_and_breaks_glass(live_server, browser):  # noqa: F811
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    world = build_world()
    sam = seal_sam(world)
    fay = colleague(world)
    device = authenticator(fay)
    base = live_server.url
    context = _signed_in_context(browser, base, fay)
    page = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(f"{base}/people/?name=John+Smith")
    matches = page.locator("#restricted-matches")
    assert "1 restricted record also matches" in matches.inner_text()
    assert "2015" not in page.content()
    page.screenshot(path=str(SCREENSHOTS / "sealed-search.png"), full_page=True)

    matches.locator("a").click()
    assert page.locator("h1").inner_text() == "This record is restricted"
    assert "John" not in page.locator("main").inner_text()
    page.fill("#id_reason", "Police called: the child may be at risk tonight")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", "000000" if code(device) != "000000" else "111111")
    page.click("button:has-text('Break glass')")
    assert "password or security code is wrong" in page.locator(".govuk-error-summary").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "sealed-break-glass-error.png"), full_page=True)

    page.wait_for_timeout(2500)  # django-otp slows down guessing after a wrong code
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", code(device))
    page.click("button:has-text('Break glass')")
    assert page.locator("h1").inner_text() == "John Smith"
    assert "through break-glass until" in page.locator("#seal-banner").inner_text()
    assert page.url.endswith(f"/people/{sam.pk}/")
    page.screenshot(path=str(SCREENSHOTS / "sealed-after-break-glass.png"), full_page=True)
    context.close()
