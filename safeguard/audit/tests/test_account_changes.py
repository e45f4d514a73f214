"""Changes to staff accounts are change events like every other write (decision 0024).

``accounts.services`` sends ``account_changed``; ``audit.accounts`` records it in the same
transaction. These tests live in audit, which may import accounts (not the other way round).
"""

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts import services
from safeguard.accounts.models import Role, User
from safeguard.accounts.signals import account_changed
from safeguard.accounts.tests.clients import totp_device
from safeguard.accounts.twofactor import new_backup_codes
from safeguard.audit import accounts as audit_accounts
from safeguard.audit.accounts import account_history, record_account_change
from safeguard.audit.models import ChangeEvent
from safeguard.testing.world import PASSWORD

pytestmark = pytest.mark.django_db


def _events(user):
    return list(account_history(user))


def _one_event(user) -> ChangeEvent:
    events = _events(user)
    assert len(events) == 1, [(e.before, e.after) for e in events]
    return events[0]


def _about_the_account(event, user, by):
    assert (event.target_type, event.target_id) == ("accounts.user", str(user.pk))
    assert event.person_id is None
    assert event.user == by
    assert event.verb == "updated"


def test_changing_the_role_writes_one_event_with_before_after_and_who(world):
    amy, al = world.sw_amy, world.admin_al
    services.update_account(amy, by=al, role=Role.TEAM_MANAGER)
    event = _one_event(amy)
    _about_the_account(event, amy, al)
    assert event.role == Role.SYSTEM_ADMINISTRATOR
    assert (event.before["role"], event.after["role"]) == (Role.SOCIAL_WORKER, Role.TEAM_MANAGER)
    assert event.changed_fields == ["role"]
    amy.refresh_from_db()
    assert amy.role == Role.TEAM_MANAGER


def test_changing_agency_and_teams_writes_one_event(world):
    amy = world.sw_amy
    services.update_account(amy, by=world.admin_al, teams=[world.team_b])
    event = _one_event(amy)
    assert (event.before["teams"], event.after["teams"]) == ([world.team_a.pk], [world.team_b.pk])
    services.update_account(amy, by=world.admin_al, agency=world.police, teams=[world.police_team])
    moved = _events(amy)[1]
    assert moved.changed_fields == ["agency", "teams"]
    assert (moved.before["agency"], moved.after["agency"]) == (world.csc.pk, world.police.pk)


def test_a_team_of_another_agency_is_refused_and_nothing_is_written(world):
    from safeguard.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        services.update_account(world.sw_amy, by=world.admin_al, teams=[world.police_team])
    assert list(world.sw_amy.teams.all()) == [world.team_a]
    assert _events(world.sw_amy) == []


def test_a_change_that_changes_nothing_writes_nothing(world):
    services.update_account(world.sw_amy, by=world.admin_al, role=Role.SOCIAL_WORKER)
    assert _events(world.sw_amy) == []


def test_disabling_an_account_is_recorded_with_the_sessions_it_ended(world, client):
    client.force_login(world.sw_amy)
    services.disable_account(world.sw_amy, by=world.admin_al)
    events = _events(world.sw_amy)
    assert [e.changed_fields for e in events] == [
        ["sessions_ended_because", "signed_in_sessions"],
        ["is_active"],
    ]
    ended, disabled = events
    assert (ended.before["signed_in_sessions"], ended.after["signed_in_sessions"]) == (1, 0)
    assert ended.after["sessions_ended_because"] == "account disabled"
    assert (disabled.before["is_active"], disabled.after["is_active"]) == (True, False)
    assert {e.user for e in events} == {world.admin_al}
    assert client.get("/")["Location"].startswith("/sign-in/")


def test_a_new_password_is_recorded_without_the_password(world, client):
    client.force_login(world.sw_amy)
    old_hash = User.objects.get(pk=world.sw_amy.pk).password
    services.set_password(world.sw_amy, by=world.admin_al, password="another-long-passphrase")
    events = _events(world.sw_amy)
    changed = next(e for e in events if "password" in e.after)
    _about_the_account(changed, world.sw_amy, world.admin_al)
    assert changed.after == {"password": "changed"}
    new_hash = User.objects.get(pk=world.sw_amy.pk).password
    for event in events:
        text = str(event.before) + str(event.after)
        assert old_hash not in text and new_hash not in text and "another-long" not in text
    assert any(e.after.get("sessions_ended_because") == "password changed" for e in events)


def test_resetting_the_second_factor_is_recorded_by_the_administrator_named(world, client, capsys):
    amy = world.sw_amy
    totp_device(amy)
    new_backup_codes(amy)
    client.force_login(amy)
    call_command("reset_two_factor", "amy", "--by", "al")
    assert "their next sign-in sets up a new authenticator" in capsys.readouterr().out
    reset, ended = _events(amy)
    _about_the_account(reset, amy, world.admin_al)
    assert reset.before == {"second_factor": ["Authenticator app", "Backup codes"]}
    assert reset.after == {"second_factor": []}
    assert ended.after["sessions_ended_because"] == "second factor reset by an administrator"
    assert not TOTPDevice.objects.filter(user=amy).exists()


def test_a_command_without_by_acts_as_the_command_line_account(world, client):
    client.force_login(world.sw_amy)
    call_command("end_sessions", "amy")
    event = _one_event(world.sw_amy)
    assert event.user.username == services.COMMAND_LINE_USERNAME
    assert not event.user.is_active and not event.user.has_usable_password()
    assert (event.before["signed_in_sessions"], event.after["signed_in_sessions"]) == (1, 0)


def test_only_an_active_system_administrator_may_be_named_by_a_command(world):
    for who in ("amy", "dee", "nobody"):
        with pytest.raises(CommandError, match="is not an active system administrator"):
            call_command("end_sessions", "amy", "--by", who)
    assert _events(world.sw_amy) == []


def test_a_lockout_and_its_lifting_are_recorded(world, client, capsys):
    for _ in range(5):
        client.post("/sign-in/", {"username": "amy", "password": "wrong"}, REMOTE_ADDR="10.1.1.1")
    locked = _one_event(world.sw_amy)
    assert locked.user is None  # the system locked it, after wrong passwords
    assert locked.after == {"locked_out": True, "address": "10.1.1.1"}
    # A user name that does not exist leaves no trace.
    for _ in range(5):
        client.post("/sign-in/", {"username": "nobody", "password": "wrong"}, REMOTE_ADDR="10.1.1.1")
    assert ChangeEvent.objects.filter(target_type="accounts.user").count() == 1

    call_command("unlock", "amy", "--by", "al")
    assert "Lifted the lockout of amy" in capsys.readouterr().out
    unlocked = _events(world.sw_amy)[1]
    _about_the_account(unlocked, world.sw_amy, world.admin_al)
    assert (unlocked.before["locked_out"], unlocked.after["locked_out"]) == (True, False)
    response = client.post("/sign-in/", {"username": "amy", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 302
    call_command("unlock", "amy")
    assert "was not locked out: nothing changed" in capsys.readouterr().out
    assert len(_events(world.sw_amy)) == 2


def test_the_history_tells_who_could_sign_in_and_who_decided(world):
    dee, al = world.disabled_dee, world.admin_al
    services.enable_account(dee, by=al)
    services.update_account(dee, by=world.sm_dan, role=Role.TEAM_MANAGER)
    services.disable_account(dee, by=al)
    history = [(e.user, e.before["is_active"], e.after["is_active"]) for e in account_history(dee)]
    assert history == [(al, False, True), (world.sm_dan, True, True), (al, True, False)]
    # Other accounts' changes are not in it.
    services.disable_account(world.sw_ben, by=al)
    assert len(account_history(dee)) == 3


def test_a_change_whose_event_cannot_be_written_is_rolled_back(world, client, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the change history is unavailable")

    monkeypatch.setattr(audit_accounts.ChangeEvent.objects, "create", fail)
    amy = world.sw_amy
    totp_device(amy)
    client.force_login(amy)
    with pytest.raises(RuntimeError):
        services.disable_account(amy, by=world.admin_al)
    with pytest.raises(RuntimeError):
        services.update_account(amy, by=world.admin_al, role=Role.TEAM_MANAGER, teams=[world.team_b])
    with pytest.raises(RuntimeError):
        services.set_password(amy, by=world.admin_al, password="another-long-passphrase")
    with pytest.raises(RuntimeError):
        services.reset_second_factor(amy, by=world.admin_al)
    with pytest.raises(RuntimeError):
        services.end_sessions(amy, by=world.admin_al, reason="test")
    stored = User.objects.get(pk=amy.pk)
    assert (stored.is_active, stored.role) == (True, Role.SOCIAL_WORKER)
    assert list(stored.teams.all()) == [world.team_a]
    assert stored.check_password(PASSWORD)
    assert TOTPDevice.objects.filter(user=amy).exists()
    assert Session.objects.count() == 1
    assert client.get("/").status_code == 200


def test_without_an_audit_receiver_no_account_is_changed(world):
    account_changed.disconnect(dispatch_uid="audit-account-changed")
    try:
        with pytest.raises(services.AuditUnavailable):
            services.disable_account(world.sw_amy, by=world.admin_al)
        with pytest.raises(services.AuditUnavailable):
            services.reset_second_factor(world.sw_amy, by=world.admin_al)
    finally:
        account_changed.connect(record_account_change, dispatch_uid="audit-account-changed")
    assert User.objects.get(pk=world.sw_amy.pk).is_active
    assert not StaticDevice.objects.filter(user=world.sw_amy).exists()  # none to begin with


def test_changepassword_is_audited_and_ends_the_sessions(world, client, monkeypatch, capsys):
    answers = iter(["short", "short", "another-long-passphrase", "another-long-passphrase"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    client.force_login(world.sw_amy)
    call_command("changepassword", "amy", "--by", "al")
    assert "Password changed successfully for user" in capsys.readouterr().out
    assert User.objects.get(pk=world.sw_amy.pk).check_password("another-long-passphrase")
    events = _events(world.sw_amy)
    changed = next(e for e in events if "password" in e.after)
    _about_the_account(changed, world.sw_amy, world.admin_al)
    assert any(e.after.get("sessions_ended_because") == "password changed" for e in events)
    assert client.get("/")["Location"].startswith("/sign-in/")


def test_setting_up_an_authenticator_is_recorded_by_the_user(world, client):
    from safeguard.accounts.tests.test_two_factor import code_for

    client.post("/sign-in/", {"username": "amy", "password": PASSWORD})
    client.get("/two-factor/set-up/")
    device = TOTPDevice.objects.get(user=world.sw_amy, confirmed=False)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    client.post("/two-factor/set-up/", {"code": wrong})
    assert _events(world.sw_amy) == []  # a wrong code changes nothing
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttle_reset()
    response = client.post("/two-factor/set-up/", {"code": code_for(device)})
    assert response["Location"] == "/two-factor/backup-codes/"
    event = _one_event(world.sw_amy)
    _about_the_account(event, world.sw_amy, world.sw_amy)
    assert event.before == {"second_factor": []}
    assert event.after == {"second_factor": ["Authenticator app", "Backup codes"]}
