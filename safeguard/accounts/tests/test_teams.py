"""Teams have a named manager and a parent (the service they sit in), changed only through
``accounts.services.team_update``: no team sits inside itself or a team below it, and the
manager is an active team or service manager of the same authority. Each change is audited."""

from datetime import date

import pytest
from django.apps import apps

from safeguard.accounts import services
from safeguard.accounts.models import Role, Team, User
from safeguard.core.errors import ApplicationError

pytestmark = pytest.mark.django_db

# The audit app sits above accounts: its model is read by name, not imported.
ChangeEvent = apps.get_model("audit", "ChangeEvent")


@pytest.fixture
def service(world):
    return Team.objects.create(agency=world.csc, name="Children's Safeguarding Service")


def test_a_team_gets_a_manager_and_a_parent_and_the_change_is_audited(world, service):
    services.team_update(world.team_a, by=world.sm_dan, manager=world.tm_carol, parent=service)
    team = Team.objects.get(pk=world.team_a.pk)
    assert (team.manager, team.parent) == (world.tm_carol, service)
    event = ChangeEvent.objects.get(target_type="accounts.team", target_id=str(team.pk))
    assert event.user == world.sm_dan
    assert event.before["manager"] is None and event.after["manager"] == world.tm_carol.pk
    assert event.after["parent"] == service.pk


def test_an_unchanged_team_writes_no_event(world):
    services.team_update(world.team_a, by=world.sm_dan, manager=None)
    assert not ChangeEvent.objects.filter(target_type="accounts.team").exists()


def test_a_cycle_is_refused_and_nothing_changes(world, service):
    services.team_update(world.team_a, by=world.sm_dan, parent=service)
    with pytest.raises(ApplicationError, match="already sits inside"):
        services.team_update(service, by=world.sm_dan, parent=world.team_a)
    with pytest.raises(ApplicationError, match="cannot sit inside itself"):
        services.team_update(world.team_a, by=world.sm_dan, parent=world.team_a)
    assert Team.objects.get(pk=service.pk).parent is None
    assert Team.objects.get(pk=world.team_a.pk).parent == service


def test_a_longer_cycle_is_refused(world, service):
    services.team_update(world.team_a, by=world.sm_dan, parent=service)
    services.team_update(world.team_b, by=world.sm_dan, parent=world.team_a)
    with pytest.raises(ApplicationError, match="already sits inside"):
        services.team_update(service, by=world.sm_dan, parent=world.team_b)


def test_a_manager_from_another_authority_is_refused(world):
    other_manager = User.objects.create(
        username="omar", agency=world.other_sw.agency, role=Role.TEAM_MANAGER
    )
    with pytest.raises(ApplicationError, match="does not work for Testshire Borough"):
        services.team_update(world.team_a, by=world.sm_dan, manager=other_manager)
    assert Team.objects.get(pk=world.team_a.pk).manager is None


@pytest.mark.parametrize("who", ["sw_amy", "analyst_eve", "admin_al", "police_pat"])
def test_only_an_active_manager_of_the_authority_may_manage_a_team(world, who):
    with pytest.raises(ApplicationError):
        services.team_update(world.team_a, by=world.sm_dan, manager=getattr(world, who))
    assert Team.objects.get(pk=world.team_a.pk).manager is None


def test_a_parent_of_another_authority_is_refused(world):
    elsewhere = Team.objects.create(agency=world.other_sw.agency, name="Elsewhere Service")
    with pytest.raises(ApplicationError, match="another authority"):
        services.team_update(world.team_a, by=world.sm_dan, parent=elsewhere)


def test_the_date_qualified_is_audited_with_the_account(world):
    services.update_account(world.sw_amy, by=world.admin_al, qualified_on=date(2026, 7, 1))
    event = ChangeEvent.objects.filter(target_type="accounts.user", target_id=str(world.sw_amy.pk)).last()
    assert (event.before["qualified_on"], event.after["qualified_on"]) == (None, "2026-07-01")
