"""Signing in and out."""

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.urls import reverse

from safeguard.accounts.tests.clients import totp_device
from safeguard.accounts.twofactor import current_code
from safeguard.testing.world import PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_in_with_the_right_password_and_code_goes_to_my_work(world, client):
    device = totp_device(world.sw_amy)
    response = client.post(reverse("accounts:sign-in"), {"username": "amy", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two-factor")
    response = client.post(reverse("accounts:two-factor"), {"code": current_code(device)})
    assert response["Location"] == reverse("work:home")
    assert client.get(reverse("work:home")).context["user"] == world.sw_amy


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "amy", "password": "wrong-password"}, "Enter a correct username and password"),
        ({"username": "nobody", "password": PASSWORD}, "Enter a correct username and password"),
        ({"username": "", "password": ""}, "Enter your username"),
        ({"username": "amy", "password": ""}, "Enter your password"),
        ({"username": "dee", "password": PASSWORD}, "Enter a correct username and password"),
        ({"username": "amy\x00", "password": PASSWORD}, "Null characters"),
        ({"username": "' OR 1=1--", "password": "x"}, "Enter a correct username and password"),
    ],
)
def test_bad_sign_in_shows_a_clear_error_and_starts_no_session(world, client, data, message):
    response = client.post(reverse("accounts:sign-in"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert message in content
    assert Session.objects.count() == 0
    # The username typed is kept; the password never comes back.
    if data["username"] and "\x00" not in data["username"]:
        assert 'value="' in content
    assert PASSWORD not in content


def test_sign_out_needs_a_post_and_ends_the_session(world, client):
    client.force_login(world.sw_amy)
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    response = client.post(reverse("accounts:sign-out"))
    assert response["Location"] == reverse("accounts:sign-in")
    assert client.get(reverse("work:home")).status_code == 302


def test_pages_say_who_is_signed_in_and_are_not_cached(world, client):
    client.force_login(world.health_hana)
    response = client.get(reverse("work:home"))
    content = response.content.decode()
    assert "Hana Hussain" in content
    assert "Partner practitioner" in content
    assert response["Cache-Control"] == "no-store"


@override_settings(
    PASSWORD_HASHERS=["safeguard.accounts.hashers.SafeguardArgon2PasswordHasher"]
)
def test_passwords_are_hashed_with_argon2id():
    encoded = make_password("a long enough passphrase")
    hasher = identify_hasher(encoded)
    assert hasher.algorithm == "argon2"
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_production_settings_list_argon2_first():
    from safeguard import settings

    assert settings.PASSWORD_HASHERS[0] == "safeguard.accounts.hashers.SafeguardArgon2PasswordHasher"
