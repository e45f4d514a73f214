"""Helpers for the browser tests (the ``browser`` fixture itself is in ``safeguard/conftest.py``)."""

import shutil
from urllib.parse import urlsplit

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def signed_in_context(browser, base: str, user):
    """A new browser context already signed in as ``user`` (both factors), without going
    through the sign-in pages: it carries the session cookie of a test client that signed in."""
    from django.conf import settings

    from safeguard.accounts.tests.clients import VerifiedClient

    client = VerifiedClient()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME, "value": cookie.value,
        "domain": urlsplit(base).hostname, "path": "/",
    }])  # fmt: skip
    return context
