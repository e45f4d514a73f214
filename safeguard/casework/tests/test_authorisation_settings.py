"""The page where a service manager chooses which decisions need the case's line manager's
authorisation (issue 15 item 2, decision 0041): ``/authorisations/settings/``."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguard.accounts.models import LocalAuthority
from safeguard.audit.models import ChangeEvent
from safeguard.casework import services

pytestmark = pytest.mark.django_db

URL = reverse("casework:authorisation-settings")


def stored(world) -> list[str]:
    return LocalAuthority.objects.get(pk=world.authority.pk).decisions_needing_authorisation


def boxes(html: str) -> dict[str, bool]:
    """Each checkbox of the form, by value: ticked or not."""
    main = html.split('name="kinds"')[1:]
    found = {}
    for rest in main:
        tag = rest.split(">", 1)[0]
        value = tag.split('value="', 1)[1].split('"', 1)[0]
        found[value] = " checked" in tag
    return found


def authority_changes(world):
    return ChangeEvent.objects.filter(
        target_type="accounts.localauthority", target_id=str(world.authority.pk)
    )


def test_the_service_manager_sees_a_box_for_each_right_ticked_as_stored(world, client):
    services.authorisation_settings_update(
        by=world.sm_dan, authority=world.authority, kinds=["case_closure", "referral_nfa"]
    )
    client.force_login(world.sm_dan)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    rights = services.decision_rights()
    assert boxes(html) == {kind: kind in {"case_closure", "referral_nfa"} for kind in rights}
    for right in rights.values():
        assert right.label in html
    assert '<fieldset class="govuk-fieldset"' in html and "govuk-fieldset__legend" in html
    assert "Decisions that need authorisation" in html
    assert "Nobody authorises their own work" in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_saving_changes_the_list_writes_a_change_event_and_comes_back(world, client):
    client.force_login(world.sm_dan)
    before = authority_changes(world).count()
    response = client.post(URL, {"kinds": ["step_down", "assessment_outcome"]})
    assert response.status_code == 302 and response["Location"] == URL
    assert sorted(stored(world)) == ["assessment_outcome", "step_down"]
    assert authority_changes(world).count() == before + 1
    event = authority_changes(world).first()
    assert event.user == world.sm_dan and "decisions_needing_authorisation" in event.changed_fields
    page = client.get(URL).content.decode()
    assert "Decisions needing authorisation saved" in page
    assert boxes(page)["step_down"] and not boxes(page)["case_closure"]
    # Nothing ticked is a choice too: every decision takes effect at once.
    assert client.post(URL, {}).status_code == 302
    assert stored(world) == []


def test_an_unknown_kind_is_refused_with_the_error_summary_and_changes_nothing(world, client):
    client.force_login(world.sm_dan)
    kept = stored(world)
    before = authority_changes(world).count()
    response = client.post(URL, {"kinds": ["case_closure", "made_up"]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "govuk-error-summary" in html
    assert "Choose decisions from the list" in html
    assert "<title>Error:" in html.replace("\n", "")
    assert stored(world) == kept and authority_changes(world).count() == before


@pytest.mark.parametrize("who", ["tm_carol", "sw_amy", "police_pat", "analyst_eve", "other_sw"])
def test_nobody_but_a_service_manager_reads_or_changes_it(world, client, who):
    client.force_login(getattr(world, who))
    kept = stored(world)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"kinds": []}).status_code == 403
    assert stored(world) == kept


def test_the_queue_links_to_it_for_service_managers_only(world, client):
    link = f'href="{URL}"'
    client.force_login(world.sm_dan)
    assert link in client.get(reverse("casework:authorisations")).content.decode()
    client.force_login(world.tm_carol)
    assert link not in client.get(reverse("casework:authorisations")).content.decode()


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_number_of_rights(
    world, client, monkeypatch
):
    client.force_login(world.sm_dan)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    rights = dict(services._DECISION_RIGHTS)
    for n in range(20):
        rights[f"made_up_{n}"] = services.DecisionRight(f"made_up_{n}", f"Made up {n}", None)
    monkeypatch.setattr(services, "_DECISION_RIGHTS", rights)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert response.status_code == 200 and "Made up 19" in response.content.decode()
    assert len(many) == len(few)
    assert len(many) <= 10
