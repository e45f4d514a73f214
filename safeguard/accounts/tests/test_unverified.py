"""Signed in with the password alone: every page but the second-factor steps is closed."""

import pytest
from django.urls import reverse

from safeguard.accounts.tests.clients import totp_device
from safeguard.tests.test_permission_matrix import ALL_TARGETS, MATRIX

pytestmark = pytest.mark.django_db

# The steps a half-signed-in user may reach, and what each answers.
OPEN = {
    "accounts:sign-in": 302,  # on to the code step
    "accounts:sign-out": 405,  # a POST only, as for everyone
    "accounts:two-factor": 200,
    "accounts:two-factor-setup": 302,  # they have an authenticator: to the code step
    "accounts:backup-codes": 302,
    "accounts:invitation": 404,  # open to anyone with the link (this one is unknown)
}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_every_other_url_needs_the_second_factor(name, world, client):
    """Each URL of the permission matrix, asked by a social worker who gave only a password."""
    totp_device(world.sw_amy)
    method, target, query, _ = MATRIX[name]
    url = reverse(name, kwargs=ALL_TARGETS[target](world) if target else {}) + query
    client.force_login_password_only(world.sw_amy)
    response = getattr(client, method)(url)
    if name in OPEN:
        assert response.status_code == OPEN[name]
    elif url.startswith(("/api/", "/drafts/")):
        assert response.status_code == 401
    else:
        assert (response.status_code, response["Location"]) == (302, "/two-factor/")


def test_a_user_without_an_authenticator_is_sent_to_set_one_up(world, client):
    client.force_login_password_only(world.sw_ben)
    assert client.get("/")["Location"] == "/two-factor/set-up/"
    assert client.get("/people/")["Location"] == "/two-factor/set-up/"
    assert client.get("/api/v1/openapi.json").status_code == 401
    assert client.post("/drafts/save/", {"_draft_key": "/people/new/"}).status_code == 401
