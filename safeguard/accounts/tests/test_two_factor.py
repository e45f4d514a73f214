"""Two-factor sign-in: set-up with a QR code, codes from an app, single-use backup codes."""

import re
import time

import pytest
from django.contrib.sessions.models import Session
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts.tests.clients import totp_device
from safeguard.testing.world import PASSWORD

pytestmark = pytest.mark.django_db

SIGN_IN = "/sign-in/"
CODE = "/two-factor/"
SET_UP = "/two-factor/set-up/"


def code_for(device, steps_ahead=0):
    """The code the authenticator shows now (or ``steps_ahead`` 30-second steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def password_step(client, username="amy", **extra):
    return client.post(SIGN_IN, {"username": username, "password": PASSWORD}, **extra)


def test_first_sign_in_sets_up_an_authenticator_then_shows_backup_codes_once(world, client):
    response = password_step(client)
    assert response["Location"] == SET_UP
    # Until the second factor is given, every other page leads back to the set-up step.
    assert client.get("/")["Location"] == SET_UP
    page = client.get(SET_UP)
    content = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in content and "<path" in content  # the QR code, drawn inline
    assert "<script" not in content.split("<main")[1]
    device = TOTPDevice.objects.get(user=world.sw_amy, confirmed=False)
    uri = re.search(r"data-otpauth-uri>([^<]+)<", content).group(1).replace("&amp;", "&")
    assert uri.startswith("otpauth://totp/Safeguard%3Aamy?secret=")
    secret = re.search(r"data-secret>([^<]+)<", content).group(1).replace(" ", "")
    assert secret in uri
    # A wrong code is refused and nothing is confirmed.
    response = client.post(SET_UP, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert "The code did not match" in response.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttle_reset()
    response = client.post(SET_UP, {"code": code_for(device)})
    assert response["Location"] == "/two-factor/backup-codes/"
    codes_page = client.get("/two-factor/backup-codes/").content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", codes_page)
    assert len(codes) == 10
    assert set(codes) == set(StaticToken.objects.filter(device__user=world.sw_amy).values_list("token", flat=True))
    # Shown once only.
    assert client.get("/two-factor/backup-codes/")["Location"] == "/"
    assert client.get("/").status_code == 200
    assert TOTPDevice.objects.get(user=world.sw_amy).confirmed


def test_a_user_with_an_authenticator_enters_a_code_and_gets_a_new_session_id(world, client):
    device = totp_device(world.sw_amy)
    client.get(SIGN_IN)
    response = password_step(client)
    assert response["Location"] == CODE
    after_password = client.cookies["sessionid"].value
    assert client.get("/people/")["Location"] == CODE
    response = client.post(CODE, {"code": code_for(device)})
    assert response["Location"] == "/"
    after_code = client.cookies["sessionid"].value
    assert after_code != after_password
    assert not Session.objects.filter(session_key=after_password).exists()
    assert client.get("/").status_code == 200


def test_sign_in_returns_to_the_page_first_asked_for(world, client):
    device = totp_device(world.sw_amy)
    response = client.get("/people/")
    assert response["Location"] == "/sign-in/?next=/people/"
    client.post(SIGN_IN, {"username": "amy", "password": PASSWORD, "next": "/people/"})
    assert client.post(CODE, {"code": code_for(device)})["Location"] == "/people/"


def test_a_code_is_accepted_once_only(world, client):
    device = totp_device(world.sw_amy)
    code = code_for(device)
    password_step(client)
    assert client.post(CODE, {"code": code})["Location"] == "/"
    client.post("/sign-out/")
    password_step(client)
    response = client.post(CODE, {"code": code})
    assert response.status_code == 200
    assert "Enter the code your authenticator app shows now" in response.content.decode()
    assert client.get("/")["Location"] == CODE


def test_a_backup_code_works_once(world, client):
    from safeguard.accounts.twofactor import new_backup_codes

    totp_device(world.sw_amy)
    codes = new_backup_codes(world.sw_amy)
    password_step(client)
    assert client.post(CODE, {"code": codes[0].upper()})["Location"] == "/"
    client.post("/sign-out/")
    password_step(client)
    assert client.post(CODE, {"code": codes[0]}).status_code == 200
    assert StaticToken.objects.filter(device__user=world.sw_amy).count() == 9


def test_wrong_codes_slow_further_tries_down(world, client):
    device = totp_device(world.sw_amy)
    password_step(client)
    client.post(CODE, {"code": "12345x"})
    client.post(CODE, {"code": "000000" if code_for(device) != "000000" else "111111"})
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1
    # Even the right code is refused while the device rests after wrong ones.
    response = client.post(CODE, {"code": code_for(device)})
    assert "Too many wrong codes" in response.content.decode()
    assert client.get("/")["Location"] == CODE


def test_the_code_page_is_not_a_draft_form_and_signing_out_is_offered(world, client):
    totp_device(world.sw_amy)
    password_step(client)
    content = client.get(CODE).content.decode()
    assert "data-no-draft" in content
    assert 'action="/sign-out/"' in content


def test_anonymous_visitors_to_the_code_steps_are_sent_to_sign_in(client):
    assert client.get(CODE)["Location"] == "/sign-in/"
    assert client.get(SET_UP)["Location"] == "/sign-in/"


def test_a_verified_user_on_the_code_steps_goes_on_to_work(world, client):
    client.force_login(world.sw_amy)
    assert client.get(CODE)["Location"] == "/"
    assert client.get(SET_UP)["Location"] == "/"
    assert client.get(SIGN_IN)["Location"] == "/"


def test_a_user_with_an_authenticator_cannot_set_up_another_without_a_code(world, client):
    totp_device(world.sw_amy)
    password_step(client)
    assert client.get(SET_UP)["Location"] == CODE
    assert TOTPDevice.objects.filter(user=world.sw_amy).count() == 1


@pytest.mark.parametrize("code", ["", "' OR 1=1--", "12\x0034", "<script>", "9" * 41, "１２３４５６", "=1+1"])
def test_bad_codes_get_a_clear_message_never_an_error(world, client, code):
    totp_device(world.sw_amy)
    password_step(client)
    response = client.post(CODE, {"code": code})
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "<script>" not in content.split("<main")[1].replace("&lt;script&gt;", "")
    assert client.get("/")["Location"] == CODE


def test_the_test_clients_login_gives_both_factors_and_password_only_gives_one(world, client):
    assert client.login(username="amy", password=PASSWORD)
    assert client.get("/").status_code == 200
    assert not client.login(username="amy", password="wrong")
    client.logout()
    client.force_login_password_only(world.sw_amy)
    assert client.get("/")["Location"] == "/two-factor/"  # login() gave amy an authenticator


def _buttons(content):
    return re.findall(r"<button[^>]*>([^<]*)</button>", content)


@pytest.mark.parametrize("has_authenticator", [True, False])
def test_a_half_signed_in_user_sees_the_pages_own_button_first(world, client, has_authenticator):
    """Between the password and the code the page shows no signed-in navigation: its first
    submit button (what Enter and a screen reader's first button reach) is its own
    "Continue", and its "Sign out" comes after its form."""
    if has_authenticator:
        totp_device(world.sw_amy)
    page = client.get(password_step(client)["Location"])
    content = page.content.decode()
    assert page.status_code == 200
    assert "govuk-service-navigation" not in content and "Signed in as" not in content
    buttons = [text.strip() for text in _buttons(content)]
    assert buttons[0] == "Continue" and buttons[-1] == "Sign out"
    assert content.index("Continue</button>") < content.index("Sign out</button>")


def test_once_both_factors_are_given_the_navigation_and_sign_out_are_shown(world, client):
    device = totp_device(world.sw_amy)
    password_step(client)
    client.post(CODE, {"code": code_for(device)})
    content = client.get("/").content.decode()
    assert "govuk-service-navigation" in content and "Sign out</button>" in content
