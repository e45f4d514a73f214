"""Partners who lead early help reach the start page from their home page (decision 0081);
partners who do not (the police) are not offered it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_health_visitor_is_offered_the_start_page_and_the_police_are_not(world, client):
    start = reverse("earlyhelp:start")
    client.force_login(world.health_hana)
    page = client.get(reverse("work:home")).content.decode()
    assert 'id="start-early-help-link"' in page and start in page
    assert client.get(start).status_code == 200

    client.force_login(world.police_pat)
    page = client.get(reverse("work:home")).content.decode()
    assert start not in page
