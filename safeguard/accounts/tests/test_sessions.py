"""Sessions: 30 minutes idle, 12 hours at most, typing kept as a draft, ended on demand."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from safeguard.accounts import sessions
from safeguard.accounts.models import SignedInSession
from safeguard.accounts.sessions import SIGNED_IN_AT
from safeguard.accounts.tests.clients import VerifiedClient, totp_device
from safeguard.accounts.tests.test_two_factor import code_for
from safeguard.core.models import Draft
from safeguard.testing.world import PASSWORD

pytestmark = pytest.mark.django_db

FORM = "/people/new/"
# The people app sits above accounts: its model is looked up, not imported.
Person = apps.get_model("people", "Person")


def sign_in_again(client, user, next_url, steps_ahead=0):
    """Both factors through the real pages, as after a timeout."""
    device = totp_device(user)
    response = client.post("/sign-in/", {"username": user.username, "password": PASSWORD, "next": next_url})
    assert response["Location"] == "/two-factor/"
    response = client.post("/two-factor/", {"code": code_for(device, steps_ahead)})
    assert response["Location"] == next_url
    return client.get(next_url)


def test_settings_give_a_30_minute_idle_limit_renewed_at_most_once_a_minute(settings):
    assert settings.SAFEGUARD_SESSION_IDLE_SECONDS == 30 * 60
    assert settings.SAFEGUARD_SESSION_RENEW_SECONDS == 60
    # Never sooner than 30 minutes after the last request, renewed or not.
    assert settings.SESSION_COOKIE_AGE == 31 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.SAFEGUARD_SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60


def test_a_request_a_minute_after_the_last_renewal_renews_the_session(world, client):
    client.force_login(world.sw_amy)
    session = client.session
    session[sessions.RENEWED_AT] -= 61
    session.save()
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))
    client.get("/")
    expiry = Session.objects.get().expire_date
    assert expiry > timezone.now() + timedelta(minutes=30)
    # Within the minute, a request writes nothing: the expiry stays where it was.
    Session.objects.update(expire_date=expiry - timedelta(seconds=10))
    client.get("/")
    assert Session.objects.get().expire_date == expiry - timedelta(seconds=10)


def test_signing_in_counts_as_the_first_renewal(world, client):
    client.force_login(world.sw_amy)
    assert isinstance(client.session[sessions.RENEWED_AT], int)


def test_after_the_idle_timeout_the_autosaved_draft_comes_back_on_the_form(world, client):
    client.force_login(world.sw_amy)
    # The page's script saved the typing as a draft a moment after the worker stopped.
    saved = client.post("/drafts/save/", {"_draft_key": FORM, "given_names": "Ada", "family_name": "Brackenfold"})
    assert saved.json()["saved"] is True
    # 30 minutes pass without a request: the session has expired.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    # Pressing save now cannot tell who is posting: nothing is stored, they must sign in.
    response = client.post(FORM, {"given_names": "Ada", "family_name": "Brackenfold"})
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    assert not Person.objects.filter(family_name="Brackenfold").exists()
    # Signing in again leads back to the form, with the draft put back.
    content = sign_in_again(client, world.sw_amy, FORM).content.decode()
    assert 'value="Ada"' in content
    assert 'value="Brackenfold"' in content
    assert "Restored your draft" in content


def test_after_12_hours_the_user_signs_in_again_and_what_they_posted_is_kept(world, client):
    client.force_login(world.sw_amy)
    session = client.session
    session[SIGNED_IN_AT] = (timezone.now() - timedelta(hours=12, seconds=1)).isoformat()
    session.save()
    response = client.post(FORM, {"given_names": "Bea", "family_name": "Thornbury"})
    assert response["Location"] == "/sign-in/?next=%2Fpeople%2Fnew%2F"
    assert not Person.objects.filter(family_name="Thornbury").exists()
    draft = Draft.objects.get(user=world.sw_amy, key=FORM)
    assert draft.data == {"given_names": ["Bea"], "family_name": ["Thornbury"]}
    assert Session.objects.count() == 0
    content = sign_in_again(client, world.sw_amy, FORM).content.decode()
    assert 'value="Thornbury"' in content


def test_a_page_asked_for_after_12_hours_is_shown_after_signing_in(world, client):
    client.force_login(world.sw_amy)
    session = client.session
    session[SIGNED_IN_AT] = (timezone.now() - timedelta(hours=13)).isoformat()
    session.save()
    assert client.get("/people/?name=smith")["Location"] == "/sign-in/?next=%2Fpeople%2F%3Fname%3Dsmith"
    # Under 12 hours, nothing happens.
    client.force_login(world.sw_amy)
    session = client.session
    session[SIGNED_IN_AT] = (timezone.now() - timedelta(hours=11, minutes=59)).isoformat()
    session.save()
    assert client.get("/").status_code == 200


def test_disabling_an_account_ends_all_its_sessions(world):
    laptop, phone, other = VerifiedClient(), VerifiedClient(), VerifiedClient()
    laptop.force_login(world.sw_amy)
    phone.force_login(world.sw_amy)
    other.force_login(world.sw_ben)
    assert SignedInSession.objects.filter(user=world.sw_amy).count() == 2
    world.sw_amy.is_active = False
    world.sw_amy.save()
    assert SignedInSession.objects.filter(user=world.sw_amy).count() == 0
    assert Session.objects.count() == 1
    assert laptop.get("/")["Location"].startswith("/sign-in/")
    assert phone.get("/")["Location"].startswith("/sign-in/")
    assert other.get("/").status_code == 200


def test_changing_the_password_ends_all_sessions(world, client):
    client.force_login(world.sw_amy)
    world.sw_amy.set_password("a brand new long passphrase")
    world.sw_amy.save()
    assert Session.objects.count() == 0
    assert client.get("/")["Location"].startswith("/sign-in/")


def test_saving_a_user_without_such_a_change_keeps_their_sessions(world, client):
    client.force_login(world.sw_amy)
    world.sw_amy.job_title = "Senior social worker"
    world.sw_amy.save()
    assert client.get("/").status_code == 200


def test_an_administrator_ends_a_users_sessions_from_the_command_line(world, client, capsys):
    client.force_login(world.sw_amy)
    call_command("end_sessions", "amy")
    assert capsys.readouterr().out.strip() == "Ended 1 session of amy."
    assert client.get("/")["Location"].startswith("/sign-in/")
    with pytest.raises(CommandError, match="No user called 'nobody'"):
        call_command("end_sessions", "nobody")


def test_signing_out_forgets_the_session(world, client):
    client.force_login(world.sw_amy)
    assert SignedInSession.objects.count() == 1
    client.post("/sign-out/")
    assert SignedInSession.objects.count() == 0
    assert Session.objects.filter(expire_date__gt=timezone.now()).exclude(
        session_key=client.cookies["sessionid"].value
    ).count() == 0


def test_an_administrator_resets_a_lost_second_factor(world, client, capsys):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(world.sw_amy)
    call_command("reset_two_factor", "amy")
    assert "their next sign-in sets up a new authenticator" in capsys.readouterr().out
    assert not TOTPDevice.objects.filter(user=world.sw_amy).exists()
    assert client.get("/")["Location"].startswith("/sign-in/")
    response = client.post("/sign-in/", {"username": "amy", "password": PASSWORD})
    assert response["Location"] == "/two-factor/set-up/"
    with pytest.raises(CommandError, match="No user called"):
        call_command("reset_two_factor", "nobody")
