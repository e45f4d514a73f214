"""The worker's assessment in a real browser: written over two sittings, submitted, agreed by
the manager, and read back on its page. Screenshots go to SCREENSHOTS."""

import pytest

from safeguard.assessments.services import assessment_record_seen
from safeguard.assessments.tests.steps import SEEN, assessment_of_sam
from safeguard.testing.browser import SCREENSHOTS, sign_in, signed_in_context
from safeguard.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTIONS = {
    "developmental_needs": "Sam's speech is behind for his age; he is often hungry at school.",
    "parenting_capacity": "Mum is warm and knows Sam well; routines broke down after the move.",
    "family_environment": "Two-bedroom flat shared by five; rent arrears; no family nearby.",
    "history": "Two earlier contacts from school about hunger, closed with advice.",
    "wishes_and_feelings": "Sam said: “I like it when Mum reads to me. I don't like shouting.”",
    "analysis": "Neglect of basic care, linked to Mum's low mood and money worries.",
    "recommendation": "A child in need plan: help for Mum's mood and with the arrears.",
}


def test_the_worker_writes_and_submits_and_the_manager_agrees(live_server, page, browser):
    world = build_world()
    assessment = assessment_of_sam(world)
    assessment_record_seen(
        by=world.sw_amy, assessment=assessment, child_seen_date=SEEN, child_seen_alone=True
    )
    base = live_server.url
    write = f"{base}/assessments/{assessment.pk}/write/"
    sign_in(page, base, "amy")

    # First sitting: two sections, saved to come back to.
    page.goto(write)
    page.fill("#id_developmental_needs", SECTIONS["developmental_needs"])
    page.fill("#id_history", SECTIONS["history"])
    page.click("button:has-text('Save and come back later')")
    page.wait_for_url(f"{base}/assessments/{assessment.pk}/")
    assert "Being written" in page.locator("#assessment-status").inner_text()

    # Second sitting: the rest, the factors by their words, then submit.
    page.goto(write)
    assert page.input_value("#id_history") == SECTIONS["history"]
    for name, text in SECTIONS.items():
        page.fill(f"#id_{name}", text)
    page.get_by_label("Abuse or neglect: neglect").check()
    page.get_by_label("Mental health: of the parent(s) or carer(s)").check()
    page.get_by_label("Abuse, neglect and exploitation").check()
    page.get_by_label("Child in need plan").check()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "assessment-write.png"), full_page=True)
    page.click("button:has-text('Submit for authorisation')")
    page.wait_for_url(f"{base}/assessments/{assessment.pk}/")
    assert "Submitted for authorisation" in page.locator("#assessment-status").inner_text()

    # The manager agrees on the short form.
    context = signed_in_context(browser, base, world.tm_carol)
    manager = context.new_page()
    manager.goto(f"{base}/assessments/{assessment.pk}/authorise/")
    manager.get_by_label("Agree and authorise").check()
    manager.fill("#id_comments", "Agreed: a clear analysis with Sam's voice throughout.")
    manager.click("button:has-text('Save your decision')")
    manager.wait_for_url(f"{base}/cases/{assessment.case_id}/")
    assert "Abuse or neglect: neglect" in manager.locator("main").inner_text()
    manager.locator("#assessments").scroll_into_view_if_needed()
    manager.screenshot(path=str(SCREENSHOTS / "assessment-case-summary.png"))
    manager.goto(f"{base}/assessments/{assessment.pk}/")
    text = manager.locator("main").inner_text()
    assert "Authorised" in manager.locator("#assessment-status").inner_text()
    for section in SECTIONS.values():
        assert section in text
    assert "Agreed and authorised" in text
    manager.screenshot(path=str(SCREENSHOTS / "assessment-page.png"), full_page=True)
    context.close()
