"""Drafts keep typing safe until the form is saved."""

import pytest
from django.urls import reverse

from safeguard.core.models import Draft
from safeguard.people.models import Person

pytestmark = pytest.mark.django_db

CREATE = "/people/new/"


def test_a_draft_is_saved_for_the_user_and_page_without_secrets(world, client):
    client.force_login(world.sw_amy)
    response = client.post(reverse("core:draft-save"), {
        "_draft_key": CREATE, "given_names": "Ada", "family_name": "Brackenfold",
        "csrfmiddlewaretoken": "x", "password": "secret", "disabilities": ["MOB", "HEAR"],
    })
    assert response.status_code == 200
    assert response.json()["saved"] is True
    draft = Draft.objects.get(user=world.sw_amy, key=CREATE)
    assert draft.data == {"given_names": ["Ada"], "family_name": ["Brackenfold"], "disabilities": ["MOB", "HEAR"]}


def test_saving_a_draft_when_signed_out_is_refused_so_the_page_can_warn(client):
    response = client.post(reverse("core:draft-save"), {"_draft_key": CREATE, "given_names": "Ada"})
    assert response.status_code == 401
    assert Draft.objects.count() == 0


@pytest.mark.parametrize("key", ["", "people/new/", "/" + "x" * 300])
def test_a_draft_needs_a_page_address(world, client, key):
    client.force_login(world.sw_amy)
    assert client.post(reverse("core:draft-save"), {"_draft_key": key}).status_code == 400
    assert Draft.objects.count() == 0


def test_the_form_comes_back_with_the_draft_and_no_errors(world, client):
    client.force_login(world.sw_amy)
    Draft.objects.create(user=world.sw_amy, key=CREATE,
                         data={"given_names": ["Ada"], "family_name": [""], "date_of_birth_year": ["2019"]})
    content = client.get(CREATE).content.decode()
    assert 'value="Ada"' in content
    assert 'value="2019"' in content
    assert "Restored your draft" in content
    assert "There is a problem" not in content


def test_another_users_draft_is_never_shown(world, client):
    Draft.objects.create(user=world.sw_ben, key=CREATE, data={"given_names": ["Secret"]})
    client.force_login(world.sw_amy)
    assert "Secret" not in client.get(CREATE).content.decode()


def test_saving_the_form_removes_the_draft(world, client):
    client.force_login(world.sw_amy)
    Draft.objects.create(user=world.sw_amy, key=CREATE, data={"given_names": ["Ada"]})
    response = client.post(CREATE, {
        "given_names": "Ada", "family_name": "Brackenfold", "date_of_birth_day": "1",
        "date_of_birth_month": "2", "date_of_birth_year": "2019", "sex": "F", "ethnicity": "WBRI",
    })
    assert response.status_code == 302
    assert Person.objects.filter(family_name="Brackenfold").exists()
    assert not Draft.objects.exists()


def test_discarding_the_draft_empties_the_form(world, client):
    client.force_login(world.sw_amy)
    Draft.objects.create(user=world.sw_amy, key=CREATE, data={"given_names": ["Ada"]})
    response = client.post(CREATE, {"_discard_draft": "1", "given_names": "Ada"})
    assert response.status_code == 302
    assert not Draft.objects.exists()
    assert not Person.objects.filter(given_names="Ada").exists()


def test_a_draft_is_given_back_only_to_its_author(world, client):
    Draft.objects.create(user=world.sw_amy, key=CREATE, data={"given_names": ["Ada"]})
    client.force_login(world.sw_amy)
    response = client.get(reverse("core:draft-load"), {"key": CREATE})
    assert response.json()["found"] is True
    assert response.json()["data"] == {"given_names": ["Ada"]}
    client.force_login(world.sw_ben)
    assert client.get(reverse("core:draft-load"), {"key": CREATE}).json() == {"found": False}


def test_a_draft_can_be_discarded(world, client):
    Draft.objects.create(user=world.sw_amy, key=CREATE, data={"given_names": ["Ada"]})
    client.force_login(world.sw_amy)
    assert client.post(reverse("core:draft-discard"), {"_draft_key": CREATE}).json() == {"discarded": True}
    assert not Draft.objects.exists()


def test_any_form_saved_successfully_drops_its_draft(world, client):
    """The server drops the draft of any page whose form was accepted (a redirect after POST)."""
    client.force_login(world.sw_amy)
    url = reverse("people:name-add", args=[world.child_sam.pk])
    Draft.objects.create(user=world.sw_amy, key=url, data={"family_name": ["Smythe"]})
    refused = client.post(url, {"kind": "alias", "family_name": ""})
    assert refused.status_code == 200
    assert Draft.objects.filter(key=url).exists()
    accepted = client.post(url, {"kind": "alias", "given_names": "Johnny", "family_name": "Smythe"})
    assert accepted.status_code == 302
    assert not Draft.objects.filter(key=url).exists()


def test_the_page_tells_the_draft_script_how_soon_to_save(world, client, settings):
    client.force_login(world.sw_amy)
    assert 'data-draft-delay-ms="1500"' in client.get(CREATE).content.decode()
    settings.SAFEGUARD_DRAFT_DELAY_MS = 400
    assert 'data-draft-delay-ms="400"' in client.get(CREATE).content.decode()
