"""Every storing form keeps a draft in a real browser (decision 0004), whatever its layout.

The forms are the bad-input corpus's (``test_bad_input.FORMS``, which a test there checks
against every page of the permission matrix), reached the same way. For each: typing into a field raises no script error, the draft
reaches the server, and reloading the page puts the typing back.
"""

import pytest

from safeguard.testing.browser import signed_in_context
from safeguard.testing.world import build_world
from safeguard.tests.test_bad_input import FORMS, form_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The field to type into: the first free-text field of the page's storing form, or else its
# first text input (a part of a date) for forms that are all choices and dates.
PICK_FIELD = """() => {
  const forms = Array.from(document.querySelectorAll('main form'))
    .filter((f) => f.getAttribute('method')?.toLowerCase() === 'post' && !f.hasAttribute('data-no-draft'))
  const form = forms.sort((a, b) => b.elements.length - a.elements.length)[0]
  if (!form) return null
  const visible = (e) => e.offsetParent !== null && !e.disabled && !e.readOnly
  const fields = Array.from(form.querySelectorAll('textarea, input[type="text"], input:not([type])')).filter(visible)
  // Free text with room for a sentence (a time such as 14:30 holds five characters).
  const roomy = (e) => e.maxLength < 0 || e.maxLength >= 30
  const free = fields.find((e) => (e.tagName === 'TEXTAREA' || !/_(day|month|year)$/.test(e.name)) && roomy(e))
  const field = free ?? fields[0]
  return field ? field.id : null
}"""


@pytest.fixture(autouse=True)
def _prompt_drafts(settings):
    """Drafts saved 200 ms after typing stops rather than 1.5 s: this test types and waits for
    the save, form after form. Only here: on SQLite the live server shares one connection
    between its threads, and a draft saved while a journey test submits its form would meet
    the submit's transaction on it."""
    settings.SAFEGUARD_DRAFT_DELAY_MS = 200


@pytest.mark.parametrize("name", sorted(FORMS))
def test_the_form_keeps_a_draft_in_the_browser(name, live_server, browser):
    from safeguard.core.models import Draft

    world = build_world()
    url, user, _extra = form_page(name, world)
    path = url.split("?", 1)[0]
    context = signed_in_context(browser, live_server.url, user)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None
    )
    try:
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, f"{name}: {response.status}"
        # The draft script is a module: it has run, and listens, before the load event.
        page.wait_for_load_state("load")
        field_id = page.evaluate(PICK_FIELD)
        assert field_id, f"{name}: no field to type into"
        field = page.locator(f"#{field_id}")
        typed = "12" if field_id.endswith(("_day", "_month")) else "Words kept as a draft"
        with page.expect_response(
            lambda r: r.url.endswith("/drafts/save/"), timeout=10_000
        ) as saved:
            # One input event carrying the whole text: a save can never catch it half typed.
            field.fill(typed)
        assert saved.value.status == 200, f"{name}: draft save answered {saved.value.status}"
        page.wait_for_selector("text=Draft saved at", timeout=5_000)
        draft = Draft.objects.get(user=user, key=path)
        assert typed in [v for values in draft.data.values() for v in values]

        page.reload()
        page.wait_for_selector("text=Restored your draft", timeout=5_000)
        assert page.locator(f"#{field_id}").input_value() == typed
        group = page.locator(f"#{field_id}").locator("xpath=ancestor::div[@data-maxlength][1]")
        if group.count():
            # A text box's character count counts the restored typing.
            left = int(group.get_attribute("data-maxlength")) - len(typed)
            status = group.locator(".govuk-character-count__status")
            assert f"You have {left:,} characters remaining" in status.inner_text()
        assert problems == [], f"{name}: {problems}"
    finally:
        context.close()
