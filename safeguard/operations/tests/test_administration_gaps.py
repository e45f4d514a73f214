"""Issue 18's administration gaps (decision 0077): retiring a whole threshold level with a
reason, and renaming agencies and teams (and changing an agency's kind while it has no
staff). Each change writes a change event shown in the administration history; bad input
changes nothing; only the authority's own system administrators may."""

import tomllib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguard.accounts.models import Agency, AgencyKind, Team, User
from safeguard.audit.models import ChangeEvent
from safeguard.core.errors import ApplicationError
from safeguard.operations.tests.test_administration_settings import OTHERS, decided
from safeguard.referrals import selectors as referrals_selectors
from safeguard.referrals.models import ThresholdIndicator, ThresholdLevel
from safeguard.referrals.services import (
    DEFAULT_THRESHOLDS,
    threshold_level_retire,
    thresholds_load,
)
from safeguard.testing.queries import queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def levels(world):
    with DEFAULT_THRESHOLDS.open("rb") as handle:
        data = tomllib.load(handle)
    loaded = thresholds_load(by=None, authority=world.authority, data=data)
    return {level.number: level for level in loaded}


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(queries([q["sql"] for q in captured.captured_queries]))


def events() -> int:
    return ChangeEvent.objects.count()


# --- Retiring a whole level ----------------------------------------------------------------


def test_an_administrator_retires_a_level_and_an_earlier_decision_keeps_it(world, levels, client):
    level = levels[2]
    indicator = level.indicators.first()
    earlier = decided(world, level, indicator)
    client.force_login(world.admin_al)
    page = client.get("/administration/thresholds/2/").content.decode()
    assert 'href="/administration/thresholds/2/retire/"' in page

    answer = client.post(
        "/administration/thresholds/2/retire/", {"reason": "Early help now comes through level 1"}
    )
    assert answer.status_code == 302 and answer.url == "/administration/thresholds/2/"
    level.refresh_from_db()
    assert level.disabled_on is not None
    assert level.disabled_reason == "Early help now comes through level 1"
    assert not level.indicators.filter(disabled_on__isnull=True).exists()
    # The front door no longer offers it; the decided contact keeps its level and words.
    assert 2 not in {lv.number for lv in referrals_selectors.threshold_levels(world.authority)}
    earlier.refresh_from_db()
    assert earlier.level_id == level.pk and list(earlier.indicators.all()) == [indicator]
    event = ChangeEvent.objects.get(
        target_type="referrals.thresholdlevel", target_id=str(level.pk), verb="ended"
    )
    assert event.user == world.admin_al
    assert event.before["disabled_reason"] == ""
    assert event.after["disabled_reason"] == "Early help now comes through level 1"
    page = client.get("/administration/thresholds/2/").content.decode()
    assert "Level 2 is retired" in page and "Early help now comes through level 1" in page
    history = client.get("/administration/history/").content.decode()
    assert "Early help now comes through level 1" in history
    # Retired: nothing left to retire.
    assert client.get("/administration/thresholds/2/retire/").status_code == 404


def test_a_retired_level_loaded_again_loses_its_reason(world, levels, client):
    client.force_login(world.admin_al)
    client.post("/administration/thresholds/1/retire/", {"reason": "Merged into level 2"})
    with DEFAULT_THRESHOLDS.open("rb") as handle:
        thresholds_load(by=None, authority=world.authority, data=tomllib.load(handle))
    level = ThresholdLevel.objects.get(pk=levels[1].pk)
    assert level.disabled_on is None and level.disabled_reason == ""


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "Enter why the level is retired"), ("x" * 301, "300 characters or fewer")],
)
def test_a_retirement_without_a_good_reason_is_refused_and_changes_nothing(
    world, levels, client, reason, message
):
    client.force_login(world.admin_al)
    before = events()
    answer = client.post("/administration/thresholds/1/retire/", {"reason": reason})
    page = answer.content.decode()
    assert answer.status_code == 200 and "govuk-error-summary" in page and message in page
    assert ThresholdLevel.objects.get(pk=levels[1].pk).disabled_on is None
    assert events() == before


def test_the_last_level_and_the_last_referral_level_cannot_be_retired(world, levels, client):
    client.force_login(world.admin_al)
    # Levels 3 and 4 both suggest a referral: one may go, the other is then the last.
    assert (
        client.post("/administration/thresholds/4/retire/", {"reason": "Merged"}).status_code == 302
    )
    before = events()
    answer = client.post("/administration/thresholds/3/retire/", {"reason": "Merged"})
    page = answer.content.decode()
    assert answer.status_code == 200 and "govuk-error-summary" in page
    assert "the only level that suggests" in page and "Referral to children" in page
    assert ThresholdLevel.objects.get(pk=levels[3].pk).disabled_on is None
    assert events() == before
    # The last level of all.
    only = ThresholdLevel.objects.create(
        authority=world.other_authority, number=1, name="Only", implied_outcome="advice"
    )
    ThresholdIndicator.objects.create(level=only, text="Any need")
    other_admin = User.objects.create_user(
        username="admin_olga", password="x", agency=world.other_sw.agency, role=world.admin_al.role
    )
    with pytest.raises(ApplicationError, match="is the only level"):
        threshold_level_retire(by=other_admin, level=only, reason="Gone")
    only.refresh_from_db()
    assert only.disabled_on is None


def test_retiring_a_level_is_refused_to_everyone_else(world, levels, client):
    before = events()
    for name in OTHERS:
        client.force_login(getattr(world, name))
        answer = client.post("/administration/thresholds/1/retire/", {"reason": "No"})
        assert answer.status_code == 403
    assert ThresholdLevel.objects.get(pk=levels[1].pk).disabled_on is None
    assert events() == before


def test_the_retire_page_makes_a_fixed_number_of_queries(world, levels, client):
    client.force_login(world.admin_al)
    few = count(client, "/administration/thresholds/3/retire/")
    for n in range(3):
        client.post(
            "/administration/thresholds/3/change/",
            {"name": f"Child in need, version {n}", "implied_outcome": "referral"},
        )
        client.post("/administration/thresholds/3/indicators/new/", {"text": f"Worry {n}"})
    assert ThresholdLevel.objects.filter(number=3).count() == 4
    assert count(client, "/administration/thresholds/3/retire/") == few


# --- Renaming agencies and teams -----------------------------------------------------------


def test_an_administrator_renames_an_agency_and_the_history_shows_before_and_after(world, client):
    client.force_login(world.admin_al)
    page = client.get("/administration/teams/").content.decode()
    assert f'href="/administration/agencies/{world.police.pk}/"' in page
    answer = client.post(
        f"/administration/agencies/{world.police.pk}/",
        {"name": "Testshire Constabulary", "kind": AgencyKind.POLICE},
    )
    assert answer.status_code == 302
    world.police.refresh_from_db()
    assert world.police.name == "Testshire Constabulary"
    event = ChangeEvent.objects.get(target_type="accounts.agency", target_id=str(world.police.pk))
    assert event.user == world.admin_al and event.verb == "updated"
    assert event.before == {"name": "Testshire Police", "kind": "police"}
    assert event.after == {"name": "Testshire Constabulary", "kind": "police"}
    history = client.get("/administration/history/").content.decode()
    assert "Name: Testshire Police → Testshire Constabulary" in history


def test_an_agency_changes_kind_only_while_it_has_no_staff(world, client):
    client.force_login(world.admin_al)
    before = events()
    answer = client.post(
        f"/administration/agencies/{world.police.pk}/",
        {"name": world.police.name, "kind": AgencyKind.HEALTH},
    )
    page = answer.content.decode()
    assert answer.status_code == 200 and "govuk-error-summary" in page
    staff = User.objects.filter(agency=world.police).count()
    assert f"Testshire Police has {staff} account" in page
    world.police.refresh_from_db()
    assert world.police.kind == AgencyKind.POLICE and events() == before
    # An agency without staff may change its kind, recorded with both kinds.
    empty = Agency.objects.create(authority=world.authority, name="Youth Club", kind="health")
    answer = client.post(
        f"/administration/agencies/{empty.pk}/", {"name": "Youth Club", "kind": "voluntary"}
    )
    assert answer.status_code == 302
    empty.refresh_from_db()
    assert empty.kind == "voluntary"
    assert "Kind: health → voluntary" in client.get("/administration/history/").content.decode()
    # The inspectorate is not a kind an agency may take.
    answer = client.post(
        f"/administration/agencies/{empty.pk}/", {"name": "Youth Club", "kind": "inspectorate"}
    )
    assert "Select a valid choice" in answer.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "kind": "police"}, "Enter the name of the agency"),
        ({"name": "x" * 201, "kind": "police"}, "200 characters or fewer"),
        ({"name": "testshire children's social care", "kind": "police"}, "already has an agency"),
        ({"name": "Testshire Police", "kind": "police"}, "Nothing was changed"),
        ({"name": "New", "kind": "maybe"}, "Select a valid choice"),
    ],
)  # fmt: skip
def test_bad_agency_input_is_refused_with_a_message_and_changes_nothing(
    world, client, data, message
):
    client.force_login(world.admin_al)
    before = events()
    answer = client.post(f"/administration/agencies/{world.police.pk}/", data)
    page = answer.content.decode()
    assert answer.status_code == 200 and "govuk-error-summary" in page and message in page
    world.police.refresh_from_db()
    assert world.police.name == "Testshire Police" and events() == before


def test_an_administrator_renames_a_team_and_a_name_in_use_is_refused(world, client):
    client.force_login(world.admin_al)
    url = f"/administration/teams/{world.team_a.pk}/"
    answer = client.post(url, {"name": "Assessment Team North", "manager": "", "parent": ""})
    assert answer.status_code == 302
    world.team_a.refresh_from_db()
    assert world.team_a.name == "Assessment Team North"
    history = client.get("/administration/history/").content.decode()
    assert "Name: Child Protection Team A → Assessment Team North" in history
    # Another team of the authority has it, in another agency and another case: refused.
    before = events()
    taken = world.police_team.name.upper()
    answer = client.post(url, {"name": taken, "manager": "", "parent": ""})
    page = answer.content.decode()
    assert answer.status_code == 200 and "govuk-error-summary" in page
    assert "Testshire Police already has a team called" in page
    world.team_a.refresh_from_db()
    assert world.team_a.name == "Assessment Team North" and events() == before
    blank = client.post(url, {"name": " ", "manager": "", "parent": ""})
    assert "Enter the name of the team" in blank.content.decode()
    assert Team.objects.get(pk=world.team_a.pk).name == "Assessment Team North"


def test_renaming_is_refused_to_everyone_else_and_another_authoritys_is_not_found(world, client):
    before = events()
    for name in OTHERS:
        client.force_login(getattr(world, name))
        answer = client.post(
            f"/administration/agencies/{world.police.pk}/", {"name": "X", "kind": "police"}
        )
        assert answer.status_code == 403
        answer = client.post(f"/administration/teams/{world.team_a.pk}/", {"name": "X"})
        assert answer.status_code == 403
    client.force_login(world.admin_al)
    theirs = world.other_sw.agency
    assert client.get(f"/administration/agencies/{theirs.pk}/").status_code == 404
    assert client.get("/administration/agencies/999999/").status_code == 404
    assert events() == before


def test_the_agency_and_teams_pages_make_a_fixed_number_of_queries(world, client):
    client.force_login(world.admin_al)
    urls = ("/administration/teams/", f"/administration/agencies/{world.police.pk}/")
    few = {url: count(client, url) for url in urls}
    for n in range(4):
        agency = Agency.objects.create(
            authority=world.authority, name=f"School {n}", kind="education"
        )
        Team.objects.create(agency=agency, name=f"Pastoral {n}")
        client.post(
            f"/administration/agencies/{agency.pk}/", {"name": f"Academy {n}", "kind": "education"}
        )
    assert {url: count(client, url) for url in urls} == few
