"""First sign-in without a shared secret: an invitation link (single use, expiring) to set a
password, then the usual second-factor set-up; and ``safeguard set-password`` from standard
input. The password rules apply to both."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts import services
from safeguard.accounts.models import Invitation
from safeguard.audit.accounts import account_history

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long unusual passphrase"


def code_for(device) -> str:
    """The code the authenticator app shows now."""
    return (
        f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    )


def _new_account(world, username="newbie", email="newbie@example.org"):
    return services.account_create(
        by=world.admin_al, username=username, agency=world.csc, role="social_worker",
        first_name="Nia", last_name="Newbie", email=email, teams=[world.team_a],
    )  # fmt: skip


def _invite(capsys, username="newbie", *args) -> str:
    call_command("invite", username, *args)
    out = capsys.readouterr().out
    return re.search(r"(http://\S+/invitation/\S+/)", out).group(1)


def _path(link: str) -> str:
    return link.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_an_invited_user_sets_a_password_then_enrols_a_second_factor(
    world, client, capsys, mailoutbox
):
    user = _new_account(world)
    link = _invite(capsys, "newbie", "--by", "al")
    # Emailed through the configured backend, with the same link.
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["newbie@example.org"]
    assert link in mailoutbox[0].body
    path = _path(link)
    page = client.get(path)
    assert page.status_code == 200 and "Set your password" in page.content.decode()
    # The password rules apply: a short password is refused and nothing is used up.
    refused = client.post(path, {"password": "short", "password_again": "short"})
    assert refused.status_code == 200 and "at least 12 characters" in refused.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()
    response = client.post(path, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response["Location"] == "/two-factor/set-up/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # Signed in with the password only: every page leads to the second-factor set-up.
    assert client.get("/")["Location"] == "/two-factor/set-up/"
    client.get("/two-factor/set-up/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/two-factor/set-up/", {"code": code_for(device)})
    assert response["Location"] == "/two-factor/backup-codes/"
    assert client.get("/").status_code == 200
    # The account's history says who invited them and that they set their password.
    events = list(account_history(user))
    assert [e.after.get("invitation") for e in events if "invitation" in e.after] == ["issued"]
    assert events[1].user == world.admin_al
    assert any(e.after == {"password": "changed"} and e.user == user for e in events)


def test_a_used_invitation_is_refused_with_a_clear_page(world, client, capsys):
    _new_account(world)
    path = _path(_invite(capsys))
    client.post(path, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    client.logout()
    page = client.get(path)
    assert page.status_code == 410
    assert "already been used" in page.content.decode()
    again = client.post(
        path, {"password": "another long passphrase", "password_again": "another long passphrase"}
    )
    assert again.status_code == 410
    assert services.account_named("newbie").check_password(NEW_PASSWORD)


def test_an_expired_invitation_is_refused_with_a_clear_page(world, client, capsys):
    user = _new_account(world)
    path = _path(_invite(capsys))
    Invitation.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(seconds=1))
    page = client.get(path)
    assert page.status_code == 410 and "has expired" in page.content.decode()
    posted = client.post(path, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert posted.status_code == 410
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_an_unknown_link_is_refused(world, client):
    page = client.get("/invitation/not-a-real-token/")
    assert page.status_code == 404 and "not valid" in page.content.decode()


def test_an_invitation_lasts_72_hours_and_a_new_one_ends_the_old(world, client, capsys):
    user = _new_account(world)
    first = _path(_invite(capsys))
    invitation = Invitation.objects.get(user=user)
    assert invitation.expires_at - invitation.created_at == timedelta(hours=72)
    assert invitation.token_digest not in first  # only a digest of the token is kept
    second = _path(_invite(capsys))
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_a_disabled_account_cannot_be_invited(world, capsys):
    with pytest.raises(CommandError, match="is disabled"):
        call_command("invite", world.disabled_dee.username)
    assert not Invitation.objects.exists()


def test_an_account_without_an_email_gets_the_link_printed(world, capsys, mailoutbox):
    _new_account(world, username="noemail", email="")
    call_command("invite", "noemail")
    assert "No email address: give it to them." in capsys.readouterr().out
    assert not mailoutbox


def test_set_password_reads_standard_input_and_applies_the_rules(world):
    user = _new_account(world)
    with pytest.raises(CommandError, match="at least 12 characters"):
        call_command("set_password", "newbie", stdin=io.StringIO("short\n"))
    user.refresh_from_db()
    assert not user.has_usable_password()
    out = io.StringIO()
    call_command(
        "set_password", "newbie", "--by", "al", stdin=io.StringIO(NEW_PASSWORD + "\n"), stdout=out
    )
    assert out.getvalue().strip() == "Password set for newbie."
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    event = account_history(user).last()
    assert event.after == {"password": "changed"} and event.user == world.admin_al
