"""Helpers for the browser tests (the ``browser`` fixture itself is in ``safeguard/conftest.py``)."""

import os
import shutil
from pathlib import Path
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


# Where browser tests put their screenshots (looked at by people, not compared).
SCREENSHOTS = Path(os.environ.get("SAFEGUARD_SCREENSHOTS", "var/screenshots"))


def sign_in(page, base: str, username: str) -> None:
    """Both factors through the real pages: the password, then a code computed the way the
    user's authenticator app computes it (the world's users get an authenticator here)."""
    from safeguard.accounts.models import User
    from safeguard.accounts.tests.clients import totp_device
    from safeguard.accounts.twofactor import current_code
    from safeguard.testing.world import PASSWORD

    device = totp_device(User.objects.get(username=username))
    page.goto(f"{base}/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{base}/two-factor/")
    device.refresh_from_db()
    page.fill("#id_code", current_code(device))
    page.click("button:has-text('Continue')")
