"""Siblings together in a real browser (decision 0065): a contact about Sam and his sister
Sally recorded, both decided from one page after one refusal, and the family's children page.
Screenshots go to SCREENSHOTS."""

import tomllib

import pytest

from safeguard.referrals.management.commands.load_thresholds import DEFAULT_FILE
from safeguard.referrals.services import thresholds_load
from safeguard.testing.browser import SCREENSHOTS, sign_in
from safeguard.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_contact_about_two_siblings_is_recorded_and_both_are_decided_on_one_page(live_server, page):
    world = build_world()
    with DEFAULT_FILE.open("rb") as handle:
        thresholds_load(by=None, authority=world.authority, data=tomllib.load(handle))
    base = live_server.url
    sign_in(page, base, "amy")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(f"{base}/people/{world.child_sam.pk}/contacts/family/new/")
    page.get_by_label("Sally Smith, born 2 July 2018").check()
    page.fill("#id_contact_date_day", "2")
    page.fill("#id_contact_date_month", "6")
    page.fill("#id_contact_date_year", "2025")
    page.select_option("#id_source", "2A")
    page.fill("#id_reason", "The school: both children hungry and in the same clothes all week.")
    page.locator("input[name=priority][value=amber]").check()
    page.screenshot(path=str(SCREENSHOTS / "contact-group-new.png"), full_page=True)
    page.click("button:has-text('Record contact')")
    page.wait_for_url("**/contact-groups/*/decide/")

    fieldsets = page.locator("fieldset[id^=child-]")
    assert fieldsets.count() == 2
    sam, sally = fieldsets.nth(0), fieldsets.nth(1)  # oldest first
    for part, level in ((sam, 2), (sally, 3)):
        part.get_by_label(f"Level {level}:", exact=False).first.check()
        part.locator(f'[aria-label="Indicators at level {level}"] input').first.check()
        part.locator("textarea[name$=-rationale]").fill("Both children described as hungry by school.")
    sam.locator("input[name$=-outcome][value=early_help]").check()
    sally.locator("input[name$=-outcome][value=referral]").check()
    page.click("button:has-text('Record the decisions')")
    # Sally's referral needs its decision: nothing is kept, the typing stays.
    assert "Sally Smith: Choose the decision on the referral" in page.locator(".govuk-error-summary").inner_text()
    assert sam.locator("textarea[name$=-rationale]").input_value() == "Both children described as hungry by school."
    page.screenshot(path=str(SCREENSHOTS / "contact-group-refused.png"), full_page=True)
    sally.locator("input[name$=-referral_decision][value=assessment]").check()
    sally.locator("select[name$=-primary_need]").select_option("N1")
    page.click("button:has-text('Record the decisions')")
    assert "Decisions recorded" in page.content()
    assert page.locator("#decided").inner_text().count("Smith") == 2
    page.screenshot(path=str(SCREENSHOTS / "contact-group-decided.png"), full_page=True)

    page.goto(f"{base}/people/{world.child_sam.pk}/family/children/")
    assert "Sally Smith" in page.locator("#family-children").inner_text()
    assert page.locator("#family-chronology").inner_text().count("Contact from") == 2
    page.screenshot(path=str(SCREENSHOTS / "family-children.png"), full_page=True)
