"""The case page says when a decision on the case waits for the line manager's authorisation
(issue 15 item 2, decision 0041), read with the case itself (decision 0059)."""

import pytest
from django.urls import reverse

from safeguard.casework import services as casework
from safeguard.tests.test_decision_rights import allocated_case, ask_closure, lines  # noqa: F401

pytestmark = pytest.mark.django_db


def banner(client, user, case) -> str:
    client.force_login(user)
    page = client.get(reverse("casework:case-detail", kwargs={"case_id": case.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    if 'id="waiting-authorisation"' not in html:
        return ""
    start = html.index('id="waiting-authorisation"')
    return html[start : html.index("</div>", start)]


def test_the_case_page_shows_a_waiting_decision_until_it_is_decided(world, lines, client):  # noqa: F811
    case = allocated_case(world)
    assert banner(client, world.sw_amy, case) == ""
    asked = ask_closure(world, case)
    shown = banner(client, world.sw_amy, case)
    assert asked.summary in shown
    assert "asked by Amy" in shown
    assert reverse("casework:authorisation", kwargs={"request_id": asked.pk}) in shown
    # The manager who decides sees it too.
    assert asked.summary in banner(client, world.tm_carol, case)
    casework.authorisation_decide(
        by=world.tm_carol,
        request=asked,
        authorise=False,
        reason="Not yet: the school has new worries",
    )
    assert banner(client, world.sw_amy, case) == ""
