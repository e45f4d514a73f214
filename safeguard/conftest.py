import pytest

from safeguard.accounts.tests.clients import VerifiedClient
from safeguard.testing.world import build_world


@pytest.fixture(autouse=True)
def _audit_checkpoints(settings, tmp_path_factory):
    """Each test keeps its own audit checkpoints: a checkpoint of one test's data must not
    judge the next test's database."""
    settings.SAFEGUARD_AUDIT_CHECKPOINT_DIR = tmp_path_factory.mktemp("audit-checkpoints")
    # And its own documents folder: files a test uploads never reach var/.
    settings.SAFEGUARD_DOCUMENTS_DIR = tmp_path_factory.mktemp("documents")


@pytest.fixture
def world(db):
    """The shared test world (see safeguard/testing/world.py)."""
    return build_world()


@pytest.fixture
def client():
    """pytest-django's client, whose ``force_login`` also gives the second factor
    (see safeguard/accounts/tests/clients.py)."""
    return VerifiedClient()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright: one for the whole test session, shared by every
    browser test (Playwright's sync API allows one running instance per thread)."""
    import os
    from pathlib import Path

    from safeguard.testing.browser import ARGS, CHROMIUM

    # Playwright's sync API runs an event loop in this thread; the Django calls the tests make
    # around it are ordinary synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is required: `make browser` installs it"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser page (its own context: no cookies shared between tests)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=True)
    page = context.new_page()
    yield page
    context.close()
