"""The administration pages (decision 0037): an authority's teams and their management line,
changed through ``accounts.services.team_update`` with its change event, and the history of
the authority's administration. Refused to everyone but its own system administrators."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguard.accounts import services as accounts
from safeguard.accounts.models import Agency, AgencyKind, Team
from safeguard.audit.accounts import ACCOUNT, TEAM
from safeguard.audit.models import ChangeEvent
from safeguard.operations import checks

pytestmark = pytest.mark.django_db


def _team_events(team) -> int:
    return ChangeEvent.objects.filter(target_type=TEAM, target_id=str(team.pk)).count()


def test_an_administrator_names_a_teams_manager_and_service_and_the_history_shows_it(world, client):
    client.force_login(world.admin_al)
    page = client.get("/administration/teams/").content.decode()
    assert world.team_a.name in page and f"/administration/teams/{world.team_a.pk}/" in page

    answer = client.post(
        f"/administration/teams/{world.team_a.pk}/",
        {"name": world.team_a.name, "manager": world.tm_carol.pk, "parent": world.team_b.pk},
    )
    assert answer.status_code == 302 and answer.url == "/administration/teams/"
    world.team_a.refresh_from_db()
    assert (world.team_a.manager, world.team_a.parent) == (world.tm_carol, world.team_b)
    event = ChangeEvent.objects.filter(target_type=TEAM, target_id=str(world.team_a.pk)).get()
    assert event.user == world.admin_al
    assert event.after["manager"] == world.tm_carol.pk

    history = client.get("/administration/history/").content.decode()
    assert f"Team: {world.team_a.name}" in history
    assert "Manager, Parent" in history  # as the form calls them
    assert str(world.admin_al) in history


def test_bad_choices_are_refused_with_a_message_and_change_nothing(world, client):
    client.force_login(world.admin_al)
    accounts.team_update(world.team_b, by=world.admin_al, parent=world.team_a)
    events = _team_events(world.team_a)
    for data, message in (
        ({"manager": world.sw_amy.pk}, "Select a valid choice"),  # not a manager
        ({"parent": world.team_b.pk}, "cannot sit inside"),  # a loop
        ({"parent": world.team_a.pk}, "Select a valid choice"),  # itself
        ({"manager": "nonsense"}, "Select a valid choice"),
    ):
        answer = client.post(
            f"/administration/teams/{world.team_a.pk}/", {"name": world.team_a.name, **data}
        )
        assert answer.status_code == 200
        assert message in answer.content.decode()
        world.team_a.refresh_from_db()
        assert world.team_a.manager is None and world.team_a.parent is None
    assert _team_events(world.team_a) == events


def test_everyone_else_is_refused_and_nothing_changes(world, client):
    for user in (world.sw_amy, world.tm_carol, world.sm_dan, world.other_sw, world.police_pat):
        client.force_login(user)
        answer = client.post(
            f"/administration/teams/{world.team_a.pk}/", {"manager": world.tm_carol.pk}
        )
        assert answer.status_code == 403
    client.logout()
    assert client.post(f"/administration/teams/{world.team_a.pk}/").status_code == 302
    world.team_a.refresh_from_db()
    assert world.team_a.manager is None and _team_events(world.team_a) == 0


def test_another_authoritys_teams_are_not_found_nor_listed_nor_in_its_history(world, client):
    agency = Agency.objects.create(
        authority=world.other_authority, name="Elsewhere CSC", kind=AgencyKind.CHILDRENS_SOCIAL_CARE
    )
    theirs = accounts.team_create(by=None, agency=agency, name="Their team")
    client.force_login(world.admin_al)
    assert client.get(f"/administration/teams/{theirs.pk}/").status_code == 404
    assert client.post(f"/administration/teams/{theirs.pk}/", {}).status_code == 404
    assert "Their team" not in client.get("/administration/teams/").content.decode()
    assert "Their team" not in client.get("/administration/history/").content.decode()


def test_the_pages_make_a_fixed_number_of_queries(world, client):
    client.force_login(world.admin_al)
    # One change of each kind (account, agency, team) to start from.
    accounts.agency_create(
        by=world.admin_al, authority=world.authority, name="Northby Youth Service", kind="voluntary"
    )
    accounts.team_update(world.team_b, by=world.admin_al, manager=world.tm_carol)
    accounts.end_sessions(world.sw_ben, by=world.admin_al, reason="test")

    def count(url) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = {url: count(url) for url in ("/administration/teams/", "/administration/history/")}
    for n in range(10):
        team = accounts.team_create(by=world.admin_al, agency=world.csc, name=f"Locality {n}")
        accounts.team_update(team, by=world.admin_al, manager=world.tm_carol, parent=world.team_a)
        accounts.end_sessions(world.sw_amy, by=world.admin_al, reason="test")
    many = {url: count(url) for url in few}
    assert many == few


def test_check_setup_reads_the_named_manager(world):
    def unmanaged() -> list[str]:
        return [p.what for p in checks.setup_problems() if "has no team manager" in p.what]

    assert any(world.team_a.name in what for what in unmanaged())
    accounts.team_update(world.team_a, by=world.admin_al, manager=world.tm_carol)
    assert not any(world.team_a.name in what for what in unmanaged())
    accounts.disable_account(world.tm_carol, by=world.admin_al)
    assert any(world.team_a.name in what for what in unmanaged())
    assert Team.objects.get(pk=world.team_a.pk).manager_id == world.tm_carol.pk


# --- Staff accounts -------------------------------------------------------------------------


def _account_events(user) -> list[dict]:
    return [
        event.after
        for event in ChangeEvent.objects.filter(target_type=ACCOUNT, target_id=str(user.pk))
    ]


def test_an_administrator_disables_enables_resets_and_signs_out_an_account(world, client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeguard.accounts.tests.clients import totp_device

    totp_device(world.sw_amy)
    client.force_login(world.admin_al)
    url = f"/administration/staff/{world.sw_amy.pk}/"
    assert str(world.sw_amy) in client.get("/administration/staff/").content.decode()

    answer = client.post(url, {"action": "reset_second_factor"})
    assert answer.status_code == 302 and answer.url == url
    assert not TOTPDevice.objects.filter(user=world.sw_amy).exists()
    assert {"second_factor": []} in _account_events(world.sw_amy)

    client.post(url, {"action": "end_sessions"})
    assert any(e.get("sessions_ended_because") for e in _account_events(world.sw_amy))

    client.post(url, {"action": "disable"})
    world.sw_amy.refresh_from_db()
    assert not world.sw_amy.is_active
    assert "Enable the account" in client.get(url).content.decode()
    client.post(url, {"action": "enable"})
    world.sw_amy.refresh_from_db()
    assert world.sw_amy.is_active
    events = ChangeEvent.objects.filter(target_type=ACCOUNT, target_id=str(world.sw_amy.pk))
    assert {event.user for event in events} == {world.admin_al}

    history = client.get("/administration/history/").content.decode()
    assert f"Account: {world.sw_amy}" in history and "Active" in history
    assert "is_active" not in history


def test_ending_sessions_and_disabling_sign_the_account_out_of_a_real_session(world, client):
    """Issue 18 item 4: "end sessions" and "disable" end the account's signed-in sessions, not
    only record that they did: the worker's next request goes to the sign-in page."""
    from safeguard.accounts.tests.clients import VerifiedClient

    url = f"/administration/staff/{world.sw_amy.pk}/"
    client.force_login(world.admin_al)
    for action in ("end_sessions", "disable"):
        amy = VerifiedClient()
        amy.force_login(world.sw_amy)
        assert amy.get("/administration/staff/").status_code == 403  # signed in, refused
        answer = client.post(url, {"action": action})
        assert answer.status_code == 302
        signed_out = amy.get("/administration/staff/")
        assert signed_out.status_code == 302 and signed_out.url.startswith("/sign-in/")
        if action == "end_sessions":
            assert "signed out of 1 session" in client.get(url).content.decode()


def test_account_actions_are_refused_to_everyone_else_and_on_ones_own_account(world, client):
    url = f"/administration/staff/{world.sw_ben.pk}/"
    for user in (world.sw_amy, world.tm_carol, world.sm_dan, world.other_sw, world.police_pat):
        client.force_login(user)
        assert client.post(url, {"action": "disable"}).status_code == 403
    client.force_login(world.admin_al)
    own = client.post(f"/administration/staff/{world.admin_al.pk}/", {"action": "disable"})
    assert own.status_code == 200 and "ask another administrator" in own.content.decode()
    bad = client.post(url, {"action": "delete"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()
    assert client.get(f"/administration/staff/{world.other_sw.pk}/").status_code == 404
    world.sw_ben.refresh_from_db()
    world.admin_al.refresh_from_db()
    assert world.sw_ben.is_active and world.admin_al.is_active
    assert _account_events(world.sw_ben) == [] and _account_events(world.admin_al) == []


def test_the_staff_list_makes_a_fixed_number_of_queries(world, client):
    client.force_login(world.admin_al)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/administration/staff/").status_code == 200
        return len(queries)

    few = count()
    for n in range(10):
        accounts.account_create(
            by=world.admin_al,
            username=f"new{n}",
            first_name="New",
            last_name=f"Worker {n}",
            email=f"new{n}@example.org",
            role="social_worker",
            agency=world.csc,
            teams=[world.team_a, world.team_b],
        )
    assert count() == few


def test_an_administrator_changes_a_role_and_teams_and_bad_input_changes_nothing(world, client):
    url = f"/administration/staff/{world.sw_ben.pk}/role/"
    client.force_login(world.admin_al)
    page = client.get(url).content.decode()
    assert world.team_a.name in page and world.police_team.name not in page  # its agency's only

    for data, message in (
        ({"role": "emperor", "teams": [world.team_a.pk]}, "Select a valid choice"),
        ({"role": "team_manager", "teams": [world.police_team.pk]}, "Select a valid choice"),
    ):
        answer = client.post(url, data)
        assert answer.status_code == 200 and message in answer.content.decode()
    world.sw_ben.refresh_from_db()
    assert world.sw_ben.role == "social_worker" and _account_events(world.sw_ben) == []

    answer = client.post(url, {"role": "team_manager", "teams": [world.team_a.pk]})
    assert answer.status_code == 302
    world.sw_ben.refresh_from_db()
    assert world.sw_ben.role == "team_manager"
    assert list(world.sw_ben.teams.all()) == [world.team_a]
    assert _account_events(world.sw_ben)[-1]["role"] == "team_manager"

    # Nobody changes their own role, nor does anyone but an administrator.
    assert client.get(f"/administration/staff/{world.admin_al.pk}/role/").status_code == 403
    client.force_login(world.sm_dan)
    assert client.post(url, {"role": "social_worker"}).status_code == 403
    world.sw_ben.refresh_from_db()
    assert world.sw_ben.role == "team_manager"


def test_an_administrator_emails_an_invitation_and_never_sees_its_link(world, client, mailoutbox):
    client.force_login(world.admin_al)
    url = f"/administration/staff/{world.sw_ben.pk}/"
    world.sw_ben.email = "ben@example.org"
    world.sw_ben.save(update_fields=["email"])
    answer = client.post(url, {"action": "invite"}, follow=True)
    assert "an invitation was emailed to ben@example.org" in answer.content.decode()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["ben@example.org"]
    assert "/invitation/" not in answer.content.decode()
    assert any(e.get("invitation") == "issued" for e in _account_events(world.sw_ben))

    world.sw_ben.email = ""
    world.sw_ben.save(update_fields=["email"])
    events = len(_account_events(world.sw_ben))
    refused = client.post(url, {"action": "invite"})
    assert refused.status_code == 200 and "has no email address" in refused.content.decode()
    assert len(mailoutbox) == 1 and len(_account_events(world.sw_ben)) == events


def test_an_administrator_adds_a_team_and_a_duplicate_or_blank_name_is_refused(world, client):
    client.force_login(world.admin_al)
    answer = client.post(
        "/administration/teams/new/", {"agency": world.csc.pk, "name": "  Disabled Children  "}
    )
    made = Team.objects.get(agency=world.csc, name="Disabled Children")
    assert answer.status_code == 302 and answer.url == f"/administration/teams/{made.pk}/"
    assert ChangeEvent.objects.filter(target_type=TEAM, target_id=str(made.pk)).get().user == (
        world.admin_al
    )
    teams = Team.objects.count()
    for data, message in (
        ({"agency": world.csc.pk, "name": "disabled children"}, "already has a team called"),
        ({"agency": world.csc.pk, "name": ""}, "Enter the name of the team"),
        ({"agency": world.csc.pk, "name": "x" * 201}, "200"),
    ):
        refused = client.post("/administration/teams/new/", data)
        assert refused.status_code == 200 and message in refused.content.decode()
    other = Agency.objects.create(
        authority=world.other_authority, name="Elsewhere", kind=AgencyKind.CHILDRENS_SOCIAL_CARE
    )
    refused = client.post("/administration/teams/new/", {"agency": other.pk, "name": "Theirs"})
    assert "Select a valid choice" in refused.content.decode()
    assert Team.objects.count() == teams
    client.force_login(world.sm_dan)
    assert (
        client.post(
            "/administration/teams/new/", {"agency": world.csc.pk, "name": "Mine"}
        ).status_code
        == 403
    )
    assert Team.objects.count() == teams


def test_an_administrator_adds_an_agency_and_a_duplicate_or_the_inspectorate_is_refused(
    world, client
):
    client.force_login(world.admin_al)
    answer = client.post(
        "/administration/agencies/new/", {"name": "Northby Youth Trust", "kind": "voluntary"}
    )
    assert answer.status_code == 302
    made = Agency.objects.get(authority=world.authority, name="Northby Youth Trust")
    assert (
        ChangeEvent.objects.filter(target_type="accounts.agency", target_id=str(made.pk)).get().user
        == world.admin_al
    )
    agencies = Agency.objects.count()
    for data, message in (
        ({"name": "northby youth trust", "kind": "voluntary"}, "already has an agency called"),
        ({"name": "Ofsted", "kind": "inspectorate"}, "Select a valid choice"),
        ({"name": "", "kind": "police"}, "Enter the name of the agency"),
    ):
        refused = client.post("/administration/agencies/new/", data)
        assert refused.status_code == 200 and message in refused.content.decode()
    client.force_login(world.tm_carol)
    assert (
        client.post("/administration/agencies/new/", {"name": "X", "kind": "police"}).status_code
        == 403
    )
    assert Agency.objects.count() == agencies
