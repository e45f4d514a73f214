"""The second factor read with the signed-in user (decision 0059): the session stays verified
only while the device it names exists, is the user's and is confirmed, and the device is asked
in the user's own query rather than one of its own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from safeguard.accounts.tests.clients import totp_device

pytestmark = pytest.mark.django_db


def home(client):
    return client.get(reverse("work:home"))


def test_a_verified_session_reads_its_device_with_the_user(world, client):
    client.force_login(world.sw_amy)
    home(client)
    with CaptureQueriesContext(connection) as captured:
        assert home(client).status_code == 200
    statements = [q["sql"] for q in captured.captured_queries]
    users = [s for s in statements if s.startswith("SELECT") and 'FROM "accounts_user"' in s]
    assert any("otp_totp_totpdevice" in s for s in users)
    assert not [s for s in statements if s.startswith('SELECT "otp_totp_totpdevice"')]


def test_an_unconfirmed_device_ends_the_verification_at_once(world, client):
    client.force_login(world.sw_amy)
    assert home(client).status_code == 200
    totp_device(world.sw_amy).__class__.objects.filter(user=world.sw_amy).update(confirmed=False)
    response = home(client)
    assert response.status_code == 302 and "/two-factor/" in response["Location"]


def test_a_removed_device_ends_the_verification_at_once(world, client):
    client.force_login(world.sw_amy)
    assert home(client).status_code == 200
    totp_device(world.sw_amy).delete()
    response = home(client)
    assert response.status_code == 302 and "/two-factor/" in response["Location"]


def test_another_users_device_does_not_verify_the_session(world, client):
    client.force_login(world.sw_amy)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(world.sw_ben).persistent_id
    session.save()
    response = home(client)
    assert response.status_code == 302 and "/two-factor/" in response["Location"]
