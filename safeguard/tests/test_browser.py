"""Real-browser checks: Debian's Chromium driven by Playwright against a live server."""

import time

import pytest

from safeguard.testing.browser import SCREENSHOTS, sign_in
from safeguard.testing.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def test_social_worker_signs_in_finds_a_misspelled_child_and_opens_the_record(live_server, page):
    build_world()
    base = live_server.url
    sign_in(page, base, "amy")
    assert page.locator("h1").inner_text() == "My work"
    assert page.locator("text=SMITH, Sam").count() == 1
    page.goto(f"{base}/people/?name=Sam+Smyth")
    assert "people found" in page.locator("#results").inner_text() or "person found" in page.locator("#results").inner_text()
    page.click("text=SMITH, Sam")
    assert page.locator("h1").inner_text() == "Sam Smith"
    assert page.locator("text=943 476 5919").count() == 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "person.png"), full_page=True)
    # The stylesheet loaded: GOV.UK components are styled, not plain HTML.
    weight = page.evaluate("getComputedStyle(document.querySelector('.govuk-summary-list__key')).fontWeight")
    assert weight in ("700", "bold")


def test_bad_identifier_is_shown_in_the_error_summary_and_typing_is_kept(live_server, page):
    build_world()
    base = live_server.url
    sign_in(page, base, "amy")
    page.goto(f"{base}/people/new/")
    page.fill("#id_given_names", "Ada")
    page.fill("#id_family_name", "Brackenfold")
    page.fill("#id_date_of_birth_day", "1")
    page.fill("#id_date_of_birth_month", "2")
    page.fill("#id_date_of_birth_year", "2019")
    page.fill("#id_nhs_number", "943 476 5918")
    page.click("button:has-text('Create record')")
    summary = page.locator(".govuk-error-summary")
    assert "check digit" in summary.inner_text()
    assert page.input_value("#id_given_names") == "Ada"
    assert page.input_value("#id_nhs_number") == "943 476 5918"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "person-form-error.png"), full_page=True)


def test_partner_sees_only_their_children_and_the_page_works_without_javascript(live_server, browser):
    build_world()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, "pat")
    assert page.locator("h1").inner_text() == "My work"
    page.goto(f"{live_server.url}/people/?name=smith")
    assert page.locator("tbody tr").count() == 1
    context.close()


def test_typing_is_kept_as_a_draft_and_restored_after_reloading(live_server, page):
    """A lost connection or a closed tab does not lose what the worker typed."""
    build_world()
    base = live_server.url
    sign_in(page, base, "amy")
    page.goto(f"{base}/people/new/")
    page.fill("#id_given_names", "Ada")
    page.fill("#id_family_name", "Brackenfold")
    page.wait_for_selector("text=Draft saved at", timeout=10_000)
    page.goto(f"{base}/people/new/")
    assert page.input_value("#id_given_names") == "Ada"
    assert page.input_value("#id_family_name") == "Brackenfold"
    assert "Restored your draft" in page.locator("[data-draft-status]").inner_text()


def test_every_step_form_keeps_a_draft_without_being_told_to(live_server, page):
    """A form the page did not mark still keeps its typing: here, adding another name."""
    world = build_world()
    base = live_server.url
    sign_in(page, base, "amy")
    url = f"{base}/people/{world.child_sam.pk}/names/new/"
    page.goto(url)
    page.fill("#id_family_name", "Smythe")
    page.wait_for_selector("text=Draft saved at", timeout=10_000)
    page.goto(url)
    page.wait_for_selector("text=Restored your draft", timeout=10_000)
    assert page.input_value("#id_family_name") == "Smythe"
    with page.expect_navigation():
        page.click("button:has-text('Discard draft')")
    assert page.input_value("#id_family_name") == ""


def test_the_main_pages_load_with_no_content_security_policy_violation(live_server, page):
    """The strict policy blocks nothing the pages need: no inline script or style anywhere."""
    from safeguard.casework.tests.matrix import sam_case

    world = build_world()
    case = sam_case(world)
    base = live_server.url
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI))"
    )
    sign_in(page, base, "amy")
    for path in ["/", "/people/?name=smith", f"/people/{world.child_sam.pk}/", f"/cases/{case.pk}/", "/due/"]:
        response = page.goto(f"{base}{path}")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        # GOV.UK Frontend ran (from its own file, not an inline script).
        assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')"), path
        assert page.evaluate("window.__csp") == [], path
    assert violations == []


def test_a_new_user_sets_up_an_authenticator_from_the_page(live_server, page):
    """The set-up page's QR code, key and address, then the backup codes, in a real browser."""
    import base64
    import re

    from django_otp.oath import TOTP

    build_world()
    base = live_server.url
    page.goto(f"{base}/sign-in/")
    page.fill("#id_username", "ben")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{base}/two-factor/set-up/")
    assert page.locator("[data-qr-code] svg").count() == 1
    page.click("text=I cannot scan the QR code")
    secret = page.locator("[data-secret]").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("#id_code", f"{TOTP(key).token():06d}")
    page.click("button:has-text('Continue')")
    page.wait_for_url(f"{base}/two-factor/backup-codes/")
    codes = page.locator("[data-backup-codes] li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", c) for c in codes)
    page.click("text=I have kept my backup codes")
    assert page.locator("h1").inner_text() == "My work"


def test_typing_survives_the_idle_timeout_and_comes_back_after_signing_in_again(live_server, page):
    """30 minutes idle ends the session; the autosaved draft is waiting after signing in."""
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django_otp.oath import TOTP

    from safeguard.accounts.models import User
    from safeguard.accounts.tests.clients import totp_device

    build_world()
    base = live_server.url
    sign_in(page, base, "amy")
    page.goto(f"{base}/people/new/")
    page.fill("#id_given_names", "Ada")
    page.fill("#id_family_name", "Brackenfold")
    page.wait_for_selector("text=Draft saved at", timeout=10_000)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    page.goto(f"{base}/people/new/")
    page.wait_for_url(f"{base}/sign-in/?next=/people/new/")
    page.fill("#id_username", "amy")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{base}/two-factor/")
    # The next 30-second step's code (within the allowed drift): the code signed in with a
    # moment ago is used up.
    device = totp_device(User.objects.get(username="amy"))
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + device.step
    code = f"{totp.token():06d}"
    page.fill("#id_code", code)
    page.click("button:has-text('Continue')")
    page.wait_for_url(f"{base}/people/new/")
    assert page.input_value("#id_given_names") == "Ada"
    assert page.input_value("#id_family_name") == "Brackenfold"
    assert "Restored your draft" in page.locator("[data-draft-status]").inner_text()
