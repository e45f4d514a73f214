"""Project-wide checks of the pages' templates for what axe and a keyboard user find
(issue 21): no page refreshes itself, and every back link sits inside a landmark.

The templates are read as text, every one in the project, so that a page added later is
checked without anyone remembering to add it here.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse

SAFEGUARD = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(
    path for path in SAFEGUARD.rglob("*.html") if "static" not in path.relative_to(SAFEGUARD).parts
)
# The blocks of base.html whose content is inside a landmark: "before_content" in the
# back link's <nav aria-label="Back">, "content" in <main>.
LANDMARK_BLOCKS = {"before_content", "content"}
TAG = re.compile(r"{%\s*(block\s+(\w+)|endblock)\b[^%]*%}")


def test_the_templates_were_found():
    names = {path.relative_to(SAFEGUARD).as_posix() for path in TEMPLATES}
    assert "templates/base.html" in names and "returns/templates/returns/job.html" in names


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.relative_to(SAFEGUARD).as_posix())
def test_no_page_refreshes_itself(path):
    """A meta refresh takes the page away from its reader on a timer (WCAG 2.2.1, axe:
    critical). Progress pages follow their work with a polite live region and a script, and a
    link to refresh without it (returns/job.html, static/js/job_progress.mjs)."""
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"http-equiv\s*=\s*[\"']?refresh", text, re.IGNORECASE)


def _blocks_around(text: str, index: int) -> list[str]:
    """The names of the ``{% block %}`` tags open at ``index``, outermost first."""
    stack = []
    for match in TAG.finditer(text, 0, index):
        if match.group(2):
            stack.append(match.group(2))
        elif stack:
            stack.pop()
    return stack


def _back_links_outside_landmarks() -> list[str]:
    found = []
    for path in TEMPLATES:
        if path.name == "base.html":
            continue
        text = path.read_text(encoding="utf-8")
        if "govuk-back-link" not in text:
            continue
        if "{% extends" not in text:
            # An included part: checked where it is included, which must itself be inside
            # a landmark block (the template including it is checked like any other).
            found.append(f"{path.relative_to(SAFEGUARD)}: a back link in an included part")
            continue
        for match in re.finditer("govuk-back-link", text):
            if not LANDMARK_BLOCKS & set(_blocks_around(text, match.start())):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(SAFEGUARD)}:{line}")
    return found


def test_every_back_link_is_inside_a_landmark():
    """Every back link is in base.html's ``before_content`` block (rendered inside
    <nav aria-label="Back">, before <main> as GOV.UK places it) or in the page's content
    (inside <main>); nowhere else, so that axe's "region" rule finds nothing outside a
    landmark."""
    assert not _back_links_outside_landmarks()


def test_the_base_layout_puts_the_back_link_block_in_its_landmark():
    base = (SAFEGUARD / "templates" / "base.html").read_text(encoding="utf-8")
    block = base.index("{% block before_content %}")
    assert base.rindex('{% navigation_landmark "Back" %}', 0, block) < block
    assert base.index("{% endnavigation_landmark %}", block) < base.index("<main class=")


BACK_NAV = re.compile(r'<nav aria-label="Back">\s*<a href="[^"]+" class="govuk-back-link">')


@pytest.mark.django_db
def test_a_page_renders_its_back_link_inside_the_landmark_and_a_page_without_has_none(
    world, client
):
    client.force_login(world.sm_dan)
    page = client.get(reverse("returns:cin-export")).content.decode()
    assert BACK_NAV.search(page)
    links = [m.start() for m in re.finditer("govuk-back-link", page)]
    nav = page.index('<nav aria-label="Back">')
    assert links and all(nav < at < page.index("</nav>", nav) for at in links)
    assert nav < page.index("<main")
    # No back link, no empty landmark.
    page = client.get(reverse("returns:jobs")).content.decode()
    assert "govuk-back-link" not in page and 'aria-label="Back"' not in page
