"""Brute-force lockout (django-axes): keyed on user name and address, lifted after 30 minutes."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.utils import timezone

from safeguard.accounts.tests.clients import totp_device
from safeguard.accounts.tests.test_two_factor import code_for
from safeguard.testing.world import PASSWORD

pytestmark = pytest.mark.django_db

SIGN_IN = "/sign-in/"
HERE = {"REMOTE_ADDR": "10.1.1.1"}
ELSEWHERE = {"REMOTE_ADDR": "10.2.2.2"}


def wrong(client, username="amy", **extra):
    return client.post(SIGN_IN, {"username": username, "password": "not-the-password"}, **(extra or HERE))


def right(client, username="amy", **extra):
    return client.post(SIGN_IN, {"username": username, "password": PASSWORD}, **(extra or HERE))


def test_five_wrong_passwords_lock_the_user_name_at_that_address(world, client):
    for _ in range(4):
        assert wrong(client).status_code == 200
    response = wrong(client)
    assert response.status_code == 429
    content = response.content.decode()
    assert "Too many attempts to sign in" in content
    assert "Wait 30 minutes" in content
    # Even the right password is refused while locked, and no session starts.
    response = right(client)
    assert response.status_code == 429
    assert Session.objects.count() == 0
    # The same user from another address is not locked out: nobody can lock a colleague out.
    assert right(client, **ELSEWHERE)["Location"] == "/two-factor/set-up/"


def test_the_lockout_page_is_the_same_for_a_user_name_that_does_not_exist(world, client):
    pages = {}
    for username in ("amy", "nobody-here"):
        for _ in range(5):
            response = wrong(client, username)
        assert response.status_code == 429
        pages[username] = response.content.decode().replace("csrfmiddlewaretoken", "")
    assert "nobody-here" not in pages["nobody-here"]
    strip = lambda page: page.split("<main")[1]  # noqa: E731
    assert strip(pages["amy"]) == strip(pages["nobody-here"])


def test_the_lockout_lifts_after_the_cool_off(world, client):
    for _ in range(5):
        wrong(client)
    assert right(client).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert right(client)["Location"] == "/two-factor/set-up/"


def test_wrong_second_factor_codes_count_and_lock_out_and_sign_out(world, client):
    device = totp_device(world.sw_amy)
    assert right(client)["Location"] == "/two-factor/"
    bad = "000000" if code_for(device) != "000000" else "111111"
    for _ in range(4):
        assert client.post("/two-factor/", {"code": bad}, **HERE).status_code == 200
    response = client.post("/two-factor/", {"code": bad}, **HERE)
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    # Signed out, and the password alone no longer gets back in from here.
    assert client.get("/")["Location"].startswith("/sign-in/")
    assert right(client).status_code == 429


def test_a_right_second_factor_clears_earlier_failures(world, client):
    device = totp_device(world.sw_amy)
    for _ in range(4):
        wrong(client)
    right(client)
    assert client.post("/two-factor/", {"code": code_for(device)}, **HERE)["Location"] == "/"
    assert AccessAttempt.objects.count() == 0


def test_authentication_events_are_logged(world, client, caplog):
    device = totp_device(world.sw_amy)
    caplog.set_level(logging.INFO, logger="safeguard.auth")
    wrong(client)
    right(client)
    client.post("/two-factor/", {"code": "abc"}, **HERE)
    client.post("/two-factor/", {"code": code_for(device, steps_ahead=1)}, **HERE)
    client.post("/sign-out/")
    for _ in range(5):
        wrong(client, "ben")
    messages = [r.getMessage() for r in caplog.records if r.name == "safeguard.auth"]
    assert "Sign-in failed for 'amy' from 10.1.1.1" in messages
    assert "Password accepted for amy from 10.1.1.1" in messages
    assert "Sign-in failed for 'amy' from 10.1.1.1 (second factor)" in messages
    assert any(m.startswith("Second factor accepted for amy from 10.1.1.1") for m in messages)
    assert "Locked out: 'ben' from 10.1.1.1" in messages
    # django-axes keeps every failure and every sign-in in the database as well.
    assert AccessFailureLog.objects.filter(username="amy").count() == 2
    assert AccessLog.objects.filter(username="amy", ip_address="10.1.1.1").exists()
    assert AccessAttempt.objects.get(username="ben").failures_since_start == 5
    # No password or code is kept in the logs.
    for row in AccessFailureLog.objects.all():
        assert "not-the-password" not in str(row.__dict__)
