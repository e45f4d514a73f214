"""Cover (issue 14 item 4, decision 0044): while a case holder is away, the items due on
their cases reach their team's manager and the team's duty worker, who can act on them; not
before the absence starts nor after it ends; every due list marks the absent worker."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts import services as accounts
from safeguard.accounts.models import Role
from safeguard.casework import permissions as casework_permissions
from safeguard.casework import services as casework
from safeguard.casework.permissions import Action as CaseAction
from safeguard.people.models import Person
from safeguard.testing.world import _user
from safeguard.timescales import selectors
from safeguard.timescales.tests.factories import make_assessment

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
REFERRED = TODAY - timedelta(days=60)


def held_case(world, worker, name: str, team=None):
    child = Person.objects.create(
        authority=world.authority, given_names=name, family_name="Cover",
        date_of_birth=date(2016, 5, 1),
    )  # fmt: skip
    case = casework.case_open(
        by=world.tm_carol, child=child, referral_date=REFERRED, referral_source="6"
    )
    # An assessment under way: its timescale is due (worked out again at the allocation).
    make_assessment(case, "single", start=REFERRED + timedelta(days=1))
    casework.case_allocate(
        by=world.tm_carol, case=case, worker=worker, team=team or world.team_a,
        start_date=REFERRED, reason="Test",
    )  # fmt: skip
    return case


@pytest.fixture
def cover(world):
    """Team A is managed by Carol; Amy holds a case and is off sick from yesterday; Eve, a
    colleague in Team A, is on duty today; Ben (Team B) holds a case and is not away."""
    accounts.team_update(world.team_a, by=world.admin_al, manager=world.tm_carol)
    world.team_a.refresh_from_db()
    eve = _user("eve.cover", world.csc, Role.SOCIAL_WORKER, [world.team_a], "Eve", "Evans")
    amys = held_case(world, world.sw_amy, "Ava")
    bens = held_case(world, world.sw_ben, "Bob", team=world.team_b)
    absence = casework.absence_record(
        by=world.tm_carol, team=world.team_a, worker=world.sw_amy, kind="sickness",
        start_date=TODAY - timedelta(days=1), last_day=TODAY + timedelta(days=6),
    )  # fmt: skip
    casework.duty_set(
        by=world.tm_carol, team=world.team_a, worker=eve, start_date=TODAY, last_day=TODAY
    )
    return {"eve": eve, "amys": amys, "bens": bens, "absence": absence}


def covered(user, on=TODAY):
    entries = selectors.due_entries(
        user.agency.authority, on=on, where=selectors.DueFilter(cover_for=user)
    )
    return {e.case_id for e in entries}


def test_an_absent_workers_items_reach_the_manager_and_the_duty_worker(world, cover):
    amys = cover["amys"]
    assert selectors.due_for_worker(world.sw_amy, on=TODAY), "the case has items due"
    assert covered(world.tm_carol) == {amys.pk}
    assert covered(cover["eve"]) == {amys.pk}
    # Nobody else: not Amy herself, not another team's worker, not a manager of nothing.
    assert covered(world.sw_amy) == set()
    assert covered(world.sw_ben) == set()
    assert covered(world.sm_dan) == set()


def test_cover_starts_with_the_absence_and_ends_with_it(world, cover):
    before, last, after = TODAY - timedelta(days=2), TODAY + timedelta(days=6), TODAY + timedelta(days=7)
    assert covered(world.tm_carol, on=before) == set()
    assert covered(world.tm_carol, on=last) == {cover["amys"].pk}
    assert covered(world.tm_carol, on=after) == set()
    # The duty worker covers only the days she is on duty.
    assert covered(cover["eve"], on=TODAY + timedelta(days=1)) == set()
    # Amy back early: her manager records the last day, and the cover ends.
    casework.absence_end(
        by=world.tm_carol, team=world.team_a, absence=cover["absence"],
        last_day=TODAY - timedelta(days=1),
    )  # fmt: skip
    assert covered(world.tm_carol) == set()
    assert covered(cover["eve"]) == set()


def test_those_covering_may_open_and_record_on_the_case(world, cover):
    case = cover["amys"]
    for user in (world.tm_carol, cover["eve"]):
        assert casework_permissions.can(user, CaseAction.VIEW, case)
        assert casework_permissions.can(user, CaseAction.RECORD, case)


def test_the_due_page_shows_the_cover_section_with_its_links(world, client, cover):
    client.force_login(cover["eve"])
    response = client.get(reverse("timescales:mine"))
    html = response.content.decode()
    section = html.split('id="cover"', 1)[1].split("</table>", 1)[0]
    assert "Ava Cover" in section
    assert reverse("casework:case-detail", args=[cover["amys"].pk]) in section
    assert "Worker away until" in section
    assert "Bob Cover" not in html
    # Amy herself sees her own list, and no cover.
    client.force_login(world.sw_amy)
    html = client.get(reverse("timescales:mine")).content.decode()
    assert "Nobody whose work you cover is away today." in html


def test_every_due_list_marks_the_absent_worker(world, client, cover):
    last_day = (TODAY + timedelta(days=6)).strftime("%-d %b %Y")
    client.force_login(world.sm_dan)
    for url in (
        reverse("timescales:team", args=[world.team_a.pk]),
        reverse("timescales:service"),
        reverse("workforce:board", args=[world.team_a.pk]),
    ):
        html = client.get(url).content.decode()
        assert f"Worker away until {last_day}" in html, url
    # Ben is not away: his team's list has no mark.
    html = client.get(reverse("timescales:team", args=[world.team_b.pk])).content.decode()
    assert "Worker away" not in html
    rows = selectors.due_for_team(world.team_a, on=TODAY)
    assert rows and all(r.worker_away for r in rows if r.worker == world.sw_amy)
    assert rows[0].away_until == TODAY + timedelta(days=6)


def test_an_absence_with_no_known_end_is_marked_without_a_date(world, client):
    held_case(world, world.sw_amy, "Ava")
    casework.absence_record(
        by=world.sw_amy, team=world.team_a, worker=world.sw_amy, kind="annual_leave",
        start_date=TODAY,
    )  # fmt: skip
    client.force_login(world.sm_dan)
    html = client.get(reverse("timescales:team", args=[world.team_a.pk])).content.decode()
    assert "Worker away</strong>" in html


def mine_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("timescales:mine")).status_code == 200
    return len(queries)


def test_the_cover_section_makes_a_fixed_number_of_queries(world, client, cover):
    client.force_login(world.tm_carol)
    few = mine_queries(client)
    for i in range(6):
        held_case(world, world.sw_amy, f"More{i}")
    assert len(covered(world.tm_carol)) == 7
    assert mine_queries(client) == few
