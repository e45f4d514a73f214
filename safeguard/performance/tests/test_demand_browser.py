"""The demand page in a real browser: signed in with both factors, charts and tables drawn,
a figure followed to the children behind it. Screenshots go to var/screenshots/."""

import pytest

from safeguard.performance.tests.test_demand import Q, make_data
from safeguard.testing.browser import SCREENSHOTS, sign_in
from safeguard.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analyst_reads_demand_and_follows_a_figure_to_the_children(live_server, page):  # noqa: F811
    world = build_world()
    kids = make_data(world)
    base = live_server.url
    sign_in(page, base, "eve")
    page.goto(f"{base}/performance/")
    page.click("text=Demand: contacts and referrals by week")
    page.goto(f"{base}/performance/demand/{Q}")
    assert page.locator("h1").inner_text() == "Demand: the whole authority"
    assert page.locator("svg.sg-chart").count() == 2
    assert page.locator("svg.sg-chart rect").count() == 8
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "demand.png"), full_page=True)
    page.click("#step-cp_plan a")
    assert page.locator("h1").inner_text().startswith("Funnel: child protection plan")
    assert page.locator(f"text={kids['two'].given_names}").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "demand-children.png"), full_page=True)
