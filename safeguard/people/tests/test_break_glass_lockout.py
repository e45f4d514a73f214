"""Wrong passwords and codes at break-glass re-authentication count towards the sign-in
lockout for that user and address, and a locked-out user cannot break glass (issue 11,
item 10)."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from safeguard.people.models import BreakGlass, BreakGlassRefusal
from safeguard.people.tests.sealing import authenticator, code, colleague, seal_sam
from safeguard.testing.world import PASSWORD

pytestmark = pytest.mark.django_db

REASON = "Urgent call from police about the child's safety tonight"
HERE = {"REMOTE_ADDR": "10.1.1.1"}


@pytest.fixture
def setup(world):
    sealed = seal_sam(world)
    fay = colleague(world)
    return sealed, fay, authenticator(fay)


def post(client, sealed, password, otp_token, **extra):
    url = reverse("people:break-glass", args=[sealed.pk])
    data = {"reason": REASON, "password": password, "otp_token": otp_token}
    return client.post(url, data, **(extra or HERE))


def test_wrong_passwords_at_break_glass_lock_the_user_out(world, setup, client, settings):
    sealed, fay, device = setup
    client.force_login(fay)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = post(client, sealed, "not-the-password", code(device))
        assert response.status_code == 200
        assert "Your password or security code is wrong" in response.content.decode()
    # The last wrong try shows the lockout page, as at sign-in, and signs the user out.
    response = post(client, sealed, "not-the-password", code(device))
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert client.get("/")["Location"].startswith("/sign-in/")
    attempt = AccessAttempt.objects.get(username=fay.username, ip_address="10.1.1.1")
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT
    # With a session from elsewhere in time, even the right password and code are refused.
    client.force_login(fay)
    response = post(client, sealed, PASSWORD, code(device))
    assert response.status_code == 200
    assert "Too many wrong passwords or security codes" in response.content.decode()
    assert not BreakGlass.objects.filter(user=fay).exists()
    assert BreakGlassRefusal.objects.filter(user=fay, why__startswith="locked out").exists()
    # The sign-in page refuses the same user name from the same address too.
    client.logout()
    response = client.post("/sign-in/", {"username": fay.username, "password": PASSWORD}, **HERE)
    assert response.status_code == 429


def test_wrong_codes_at_break_glass_count_too(world, setup, client, settings):
    sealed, fay, device = setup
    client.force_login(fay)
    bad = "000000" if code(device) != "000000" else "111111"
    post(client, sealed, PASSWORD, bad)
    assert AccessAttempt.objects.get(username=fay.username).failures_since_start == 1


def test_a_user_locked_out_at_sign_in_cannot_break_glass(world, setup, client, settings):
    sealed, fay, device = setup
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/sign-in/", {"username": fay.username, "password": "wrong"}, **HERE)
    client.force_login(fay)  # a session from before the lockout
    response = post(client, sealed, PASSWORD, code(device))
    assert "Too many wrong passwords or security codes" in response.content.decode()
    assert not BreakGlass.objects.filter(user=fay).exists()
    # From another address the same user is not locked out.
    response = post(client, sealed, PASSWORD, code(device), REMOTE_ADDR="10.2.2.2")
    assert response.status_code == 302
    assert BreakGlass.objects.filter(user=fay).count() == 1
