"""Fixtures shared by the project-wide browser tests: one Chromium for the whole session."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright, started once for every browser test that asks."""
    # Playwright's sync API runs an event loop in this thread; the Django calls the tests make
    # around it are ordinary synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is required: `make browser` installs it"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        yield browser
        browser.close()


def signed_in_context(chromium, base: str, user):
    """A new browser context already signed in as ``user`` (both factors), without going
    through the sign-in pages: the session cookie of a test client that signed in."""
    from urllib.parse import urlsplit

    from django.conf import settings

    from safeguard.accounts.tests.clients import VerifiedClient

    client = VerifiedClient()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME, "value": cookie.value,
        "domain": urlsplit(base).hostname, "path": "/",
    }])  # fmt: skip
    return context
