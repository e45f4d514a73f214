"""The front-door decision in a real browser: each level's indicators are revealed when the level
is chosen, and cleared when another is chosen, so that what is sent is what is seen; the manager's
agreement to a different outcome is folded away until needed. Without JavaScript every level's
indicators show and the decision is made the same way."""

import tomllib
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from safeguard.accounts.tests.clients import VerifiedClient
from safeguard.referrals.management.commands.load_thresholds import DEFAULT_FILE
from safeguard.referrals.models import Contact, ContactOutcome
from safeguard.referrals.services import contact_record, thresholds_load
from safeguard.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(browser, base, user, *, javascript: bool):
    client = VerifiedClient()
    client.force_login(user)
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=javascript
    )
    context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "domain": urlsplit(base).hostname, "path": "/",
    }])  # fmt: skip
    return context, context.new_page()


def _setup():
    world = build_world()
    with DEFAULT_FILE.open("rb") as handle:
        levels = thresholds_load(by=None, authority=world.authority, data=tomllib.load(handle))
    contact = contact_record(
        by=world.sw_amy, child=world.child_sam, contact_date=date.today(), source="2A",
        reason="The school reports he is often hungry.", priority="amber",
    )  # fmt: skip
    return world, levels, contact


def _decide(page):
    page.fill("#id_rationale", "Fed at school; the family accepts help from the school nurse.")
    page.check("input[name=outcome][value=advice]")
    page.click("main button[type=submit]")


def test_a_levels_indicators_show_when_it_is_chosen_and_clear_when_another_is(live_server, browser):
    world, levels, contact = _setup()
    universal, single = levels[0], levels[1]
    context, page = _page(browser, live_server.url, world.sw_amy, javascript=True)
    page.goto(f"{live_server.url}/contacts/{contact.pk}/decide/")
    first = page.get_by_label(single.indicators.first().text, exact=True)
    assert not first.is_visible()
    assert not page.locator("#id_manager").is_visible()
    page.get_by_label(f"Level {single.number}: {single.name}").check()
    assert first.is_visible()
    first.check()
    # Changing one's mind: the ticked indicator of the level left is cleared, not sent.
    page.get_by_label(f"Level {universal.number}: {universal.name}").check()
    assert not first.is_visible() and not first.is_checked()
    page.get_by_label(universal.indicators.first().text, exact=True).check()
    _decide(page)
    page.wait_for_url(f"**/contacts/{contact.pk}/**")
    contact = Contact.objects.get(pk=contact.pk)
    assert contact.outcome == ContactOutcome.ADVICE
    assert list(contact.indicators.values_list("level_id", flat=True)) == [universal.pk]
    context.close()


def test_without_javascript_every_indicator_shows_and_the_decision_is_made(live_server, browser):
    world, levels, contact = _setup()
    universal = levels[0]
    context, page = _page(browser, live_server.url, world.sw_amy, javascript=False)
    page.goto(f"{live_server.url}/contacts/{contact.pk}/decide/")
    for level in levels:
        assert page.get_by_label(level.indicators.first().text, exact=True).is_visible()
    page.get_by_label(f"Level {universal.number}: {universal.name}").check()
    page.get_by_label(universal.indicators.first().text, exact=True).check()
    _decide(page)
    page.wait_for_url(f"**/contacts/{contact.pk}/**")
    assert Contact.objects.get(pk=contact.pk).outcome == ContactOutcome.ADVICE
    context.close()
