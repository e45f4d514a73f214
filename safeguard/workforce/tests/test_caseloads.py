"""Caseloads: weights by stage and capacity (newly qualified workers carry less), the team
caseload board's numbers on a hand-built team, who may see a board, the allocation form's
view of each candidate's load, and the due items that move with a reallocated case."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts import services as accounts
from safeguard.accounts.models import Role, Team, User
from safeguard.assessments.models import Assessment
from safeguard.audit.models import ChangeEvent
from safeguard.casework import services as casework
from safeguard.casework.models import Visit
from safeguard.core.errors import ApplicationError
from safeguard.people.models import Person
from safeguard.people.tests.sealing import seal
from safeguard.protection.models import ChildProtectionPlan, Section47Enquiry, StrategyDiscussion
from safeguard.timescales import selectors as timescales
from safeguard.timescales.engine import OVERDUE
from safeguard.workforce import permissions, selectors
from safeguard.workforce.permissions import Action
from safeguard.workforce.services import caseload_settings_update

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
REFERRED = TODAY - timedelta(days=120)


def child(world, name: str) -> Person:
    return Person.objects.create(
        authority=world.authority, given_names=name, family_name="Board",
        date_of_birth=date(2015, 3, 1),
    )  # fmt: skip


def held(world, worker, name: str, *, team=None, stage: str = "cin"):
    """An open case of a new child, held by ``worker`` since the referral, at ``stage``."""
    case = casework.case_open(
        by=world.tm_carol, child=child(world, name), referral_date=REFERRED, referral_source="6"
    )
    casework.case_allocate(
        by=world.tm_carol,
        case=case,
        worker=worker,
        team=team or world.team_a,
        start_date=REFERRED,
        reason="Test",
    )
    by = world.sw_amy
    if stage == "cp_plan":
        ChildProtectionPlan.objects.create(
            case=case,
            start_date=REFERRED + timedelta(days=30),
            initial_category="NEG",
            latest_category="NEG",
            created_by=by,
        )
    elif stage == "section47":
        talk = StrategyDiscussion.objects.create(
            case=case,
            discussion_date=REFERRED + timedelta(days=1),
            decision="s47",
            chaired_by=world.tm_carol,
            created_by=by,
            attendees=[{"agency": "Police"}],
        )
        Section47Enquiry.objects.create(
            case=case,
            strategy_discussion=talk,
            start_date=REFERRED + timedelta(days=1),
            created_by=by,
        )
    elif stage == "assessment":
        Assessment.objects.create(
            case=case, kind="single", start_date=REFERRED + timedelta(days=2), created_by=by
        )
    return case


def test_every_stage_has_a_weight_the_authority_sets(world):
    assert set(selectors.WEIGHT_FIELDS) == {s.code for s in timescales.STAGES}
    assert selectors.weights(world.authority) == {
        "unallocated": 6,
        "cp_plan": 8,
        "section47": 10,
        "assessment": 6,
        "cin": 4,
    }
    world.authority.caseload_weight_cp_plan = 9
    assert selectors.weights(world.authority)["cp_plan"] == 9


def test_a_newly_qualified_worker_has_reduced_capacity_in_their_first_year(world):
    authority, amy = world.authority, world.sw_amy
    on = date(2026, 6, 1)
    assert selectors.capacity(amy, authority, on) == 100  # no date: experienced
    amy.qualified_on = date(2025, 6, 2)
    assert selectors.is_newly_qualified(amy, on)
    assert selectors.capacity(amy, authority, on) == 80
    assert selectors.capacity(amy, authority, date(2026, 6, 2)) == 100  # a year on
    authority.newly_qualified_capacity_percent = 60
    authority.full_time_capacity = 25
    assert selectors.capacity(amy, authority, on) == 15
    amy.qualified_on = date(2024, 2, 29)
    assert selectors.is_newly_qualified(amy, date(2025, 2, 27))
    assert not selectors.is_newly_qualified(amy, date(2025, 2, 28))


@pytest.fixture
def team(world):
    """Team A: Amy (newly qualified) holds a child in need, a child protection plan and an
    assessment case; Carol a section 47 enquiry; Ben, in Team B, a case of his own."""
    authority = world.authority
    authority.full_time_capacity = 20
    authority.save()
    accounts.update_account(
        world.sw_amy, by=world.admin_al, qualified_on=TODAY - timedelta(days=200)
    )
    cases = {
        "cin": held(world, world.sw_amy, "Cara"),
        "cp": held(world, world.sw_amy, "Ciaran", stage="cp_plan"),
        "assessment": held(world, world.sw_amy, "Aisha", stage="assessment"),
        "s47": held(world, world.tm_carol, "Sanjay", stage="section47"),
        "ben": held(world, world.sw_ben, "Bella", team=world.team_b),
    }
    # Aisha was seen last week: within her standard. The others never since the referral.
    Visit.objects.create(
        case=cases["assessment"],
        kind="other",
        visit_date=TODAY - timedelta(days=1),
        worker=world.sw_amy,
        child_seen=True,
    )
    return cases


def test_the_board_counts_each_workers_cases_load_capacity_and_what_is_late(world, team):
    board = selectors.team_board(world.team_a, on=TODAY)
    loads = {load.worker: load for load in board.loads}
    assert set(loads) == {world.sw_amy, world.tm_carol}  # Ben is Team B's; Dee is disabled
    amy, carol = loads[world.sw_amy], loads[world.tm_carol]
    assert (amy.case_count, amy.weighted, amy.capacity, amy.newly_qualified) == (
        3,
        4 + 8 + 6,
        16,
        True,
    )
    assert (carol.case_count, carol.weighted, carol.capacity, carol.newly_qualified) == (
        1,
        10,
        20,
        False,
    )
    assert amy.over_capacity and not carol.over_capacity
    assert board.over_capacity == [amy]
    assert {c.child.given_names: (c.stage.code, c.weight) for c in amy.cases} == {
        "Cara": ("cin", 4),
        "Ciaran": ("cp_plan", 8),
        "Aisha": ("assessment", 6),
    }
    assert (amy.unseen, carol.unseen) == (2, 1)
    # Overdue items: what the worker's own due list says is overdue on these cases.
    for worker, load in ((world.sw_amy, amy), (world.tm_carol, carol)):
        expected = sum(
            1 for r in timescales.due_for_worker(worker, on=TODAY) if r.item.status == OVERDUE
        )
        assert load.overdue == expected
    assert amy.overdue > 0
    assert (board.weighted, board.capacity) == (28, 36)


def test_the_board_page_shows_the_numbers_and_links_each_child_to_their_case(world, client, team):
    client.force_login(world.tm_carol)
    response = client.get(reverse("workforce:board", args=[world.team_a.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("casework:case-detail", args=[team["cp"].pk]) in page
    assert "Ciaran Board" in page and "Bella Board" not in page
    row = page.split(f'id="worker-{world.sw_amy.pk}"')[1].split("</tr>")[0]
    assert 'sg-cases">3<' in row and "Over capacity" in row and "Newly qualified" in row
    assert "Over capacity: Amy Adeyemi (18 of 16 points)" in " ".join(page.split())


def test_a_sealed_child_is_counted_on_the_board_but_not_named(world, client, team):
    seal(world, team["cin"].child, world.sw_amy)
    client.force_login(world.sm_dan)  # not named on the seal
    page = client.get(reverse("workforce:board", args=[world.team_a.pk])).content.decode()
    assert "Cara Board" not in page and "Ciaran Board" in page
    assert "1 case on restricted records is counted but not named" in page
    row = page.split(f'id="worker-{world.sw_amy.pk}"')[1].split("</tr>")[0]
    assert 'sg-cases">3<' in row


def board_queries(client, team_id) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("workforce:board", args=[team_id])).status_code == 200
    return len(queries)


STAGES = ("cin", "cp_plan", "assessment", "section47")


def test_the_board_makes_a_fixed_number_of_queries_whatever_the_number_of_cases(world, client):
    """One case of each stage for each worker, then three times as many: the same count."""
    client.force_login(world.sm_dan)
    for worker in (world.sw_amy, world.tm_carol):
        for stage in STAGES:
            held(world, worker, f"{worker.first_name}{stage}", stage=stage)
    few = board_queries(client, world.team_a.pk)
    for i in range(8):
        held(world, (world.sw_amy, world.tm_carol)[i % 2], f"More{i}", stage=STAGES[i % 4])
    assert board_queries(client, world.team_a.pk) == few


def test_who_may_see_a_board(world):
    service = Team.objects.create(agency=world.csc, name="Safeguarding Service")
    head = User.objects.create(username="hana2", agency=world.csc, role=Role.TEAM_MANAGER)
    tm_b = User.objects.create(username="bob", agency=world.csc, role=Role.TEAM_MANAGER)
    tm_b.teams.add(world.team_b)
    team_a, team_b = world.team_a, world.team_b
    assert permissions.can(world.sw_amy, Action.SEE_BOARD, team_a)
    assert not permissions.can(world.sw_amy, Action.SEE_BOARD, team_b)  # another team
    assert permissions.can(tm_b, Action.SEE_BOARD, team_b)
    assert not permissions.can(tm_b, Action.SEE_BOARD, team_a)
    assert permissions.can(world.analyst_eve, Action.SEE_BOARD, team_b)  # the whole service
    assert not permissions.can(world.police_pat, Action.SEE_BOARD, team_a)
    assert not permissions.can(world.other_sw, Action.SEE_BOARD, team_a)
    # A manager named over a service sees the boards of the teams inside it.
    assert not permissions.can(head, Action.SEE_BOARD, team_a)
    accounts.team_update(service, by=world.sm_dan, manager=head)
    accounts.team_update(team_a, by=world.sm_dan, parent=service)
    assert permissions.can(head, Action.SEE_BOARD, team_a)
    assert not permissions.can(head, Action.SEE_BOARD, team_b)
    accounts.team_update(team_b, by=world.sm_dan, manager=head)
    assert list(selectors.home_boards(head)) == [team_a, team_b, service]


def test_the_allocation_form_shows_each_candidates_load_and_capacity(world, client, team):
    case = casework.case_open(
        by=world.tm_carol, child=child(world, "New"), referral_date=TODAY, referral_source="6"
    )
    client.force_login(world.tm_carol)
    page = client.get(reverse("casework:allocate", args=[case.pk])).content.decode()
    assert (
        "Amy Adeyemi (Social worker): 3 open cases, weighted load 18 of 16 points (112%), newly qualified, over capacity"
        in page
    )
    assert "Carol Chen (Team manager): 1 open case, weighted load 10 of 20 points (50%)" in page


def test_due_items_move_with_a_reallocated_case(world):
    case = held(world, world.sw_amy, "Moving", stage="assessment")
    assert case.pk in {r.case.pk for r in timescales.due_for_worker(world.sw_amy, on=TODAY)}
    assert case.pk not in {r.case.pk for r in timescales.due_for_worker(world.sw_ben, on=TODAY)}
    casework.case_allocate(
        by=world.tm_carol,
        case=case,
        worker=world.sw_ben,
        team=world.team_b,
        start_date=TODAY,
        reason="Amy is over capacity",
    )
    moved = [r for r in timescales.due_for_worker(world.sw_ben, on=TODAY) if r.case.pk == case.pk]
    assert moved and all(r.worker == world.sw_ben and r.team == world.team_b for r in moved)
    assert case.pk not in {r.case.pk for r in timescales.due_for_worker(world.sw_amy, on=TODAY)}
    assert case.pk in {r.case.pk for r in timescales.due_for_team(world.team_b, on=TODAY)}
    assert case.pk not in {r.case.pk for r in timescales.due_for_team(world.team_a, on=TODAY)}


def test_the_home_page_links_to_the_boards_which_list_ones_own_teams_first(world, client):
    client.force_login(world.sw_amy)
    assert reverse("workforce:boards") in client.get(reverse("work:home")).content.decode()
    page = client.get(reverse("workforce:boards")).content.decode()
    assert reverse("workforce:board", args=[world.team_a.pk]) in page.split('id="my-boards"')[1]
    assert reverse("workforce:board", args=[world.team_b.pk]) not in page
    client.force_login(world.sm_dan)
    page = client.get(reverse("workforce:boards")).content.decode()
    assert reverse("workforce:board", args=[world.team_b.pk]) in page.split('id="other-boards"')[1]
    client.force_login(world.police_pat)
    assert reverse("workforce:boards") not in client.get(reverse("work:home")).content.decode()


def test_caseload_settings_change_through_the_service_with_their_event(world):
    with pytest.raises(ApplicationError, match="from 10 to 100"):
        caseload_settings_update(
            by=world.sm_dan, authority=world.authority, newly_qualified_capacity_percent=0
        )
    with pytest.raises(ApplicationError, match="Unknown settings"):
        caseload_settings_update(by=world.sm_dan, authority=world.authority, caseload_cap=20)
    authority = caseload_settings_update(
        by=world.sm_dan,
        authority=world.authority,
        caseload_weight_cin=5,
        newly_qualified_capacity_percent=60,
    )
    assert selectors.weights(authority)["cin"] == 5
    event = ChangeEvent.objects.filter(target_type="accounts.localauthority").last()
    assert event.user == world.sm_dan
    assert (event.before["caseload_weight_cin"], event.after["caseload_weight_cin"]) == (4, 5)
