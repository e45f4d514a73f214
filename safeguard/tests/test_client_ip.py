"""The client's address behind a reverse proxy (issue 11, item 9): X-Forwarded-For is read only
from a trusted proxy, and the address found is the one the lockout and the access log use."""

import pytest
from django.test import RequestFactory

from safeguard.audit.models import AccessEvent
from safeguard.core.client_ip import client_ip
from safeguard.testing.world import PASSWORD

PROXY = "10.9.9.9"


@pytest.fixture
def behind_proxy(settings):
    settings.SAFEGUARD_TRUSTED_PROXIES = [PROXY, "192.168.50.0/24"]


def ip(**meta):
    return client_ip(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_header_is_never_read():
    assert ip(REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="10.5.5.5") == "10.1.1.1"


def test_a_trusted_proxy_gives_the_address_it_saw(behind_proxy):
    assert ip(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="10.5.5.5") == "10.5.5.5"


def test_what_the_client_wrote_to_the_left_is_ignored(behind_proxy):
    # The client sent "X-Forwarded-For: 10.7.7.7"; the proxy appended the address it saw.
    assert ip(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="10.7.7.7, 10.5.5.5") == "10.5.5.5"


def test_a_chain_of_trusted_proxies_is_walked_past(behind_proxy):
    meta = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "10.7.7.7, 10.5.5.5, 192.168.50.4"}
    assert ip(**meta) == "10.5.5.5"


def test_a_spoofed_header_from_anyone_else_is_ignored(behind_proxy):
    assert ip(REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="10.5.5.5") == "10.1.1.1"


def test_garbage_in_the_header_is_not_believed(behind_proxy):
    assert ip(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="10.7.7.7, not-an-address") == PROXY
    assert ip(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="") == PROXY
    assert ip(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="::ffff:10.5.5.5") == "10.5.5.5"


def via_proxy(client_address):
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": client_address}


@pytest.mark.django_db
def test_behind_the_proxy_nobody_can_lock_a_colleague_out(behind_proxy, world, client):
    for _ in range(5):
        response = client.post(
            "/sign-in/", {"username": "amy", "password": "wrong"}, **via_proxy("10.66.6.6")
        )
    assert response.status_code == 429
    # Amy at her own desk, through the same proxy, signs in.
    response = client.post(
        "/sign-in/", {"username": "amy", "password": PASSWORD}, **via_proxy("10.1.2.3")
    )
    assert response.status_code == 302
    # And the attacker's address is the one locked out, whatever it claims to the left.
    client.logout()
    response = client.post(
        "/sign-in/",
        {"username": "amy", "password": PASSWORD},
        **via_proxy("10.1.2.3, 10.66.6.6"),
    )
    assert response.status_code == 429


@pytest.mark.django_db
def test_the_access_log_records_the_client_not_the_proxy(behind_proxy, world, client):
    client.force_login(world.sw_amy)
    response = client.get(f"/people/{world.child_sam.pk}/", **via_proxy("10.1.2.3"))
    assert response.status_code == 200
    assert AccessEvent.objects.filter(person_id=world.child_sam.pk).latest("sequence").ip_address == "10.1.2.3"
