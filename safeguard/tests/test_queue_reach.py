"""The managers' queue of what waits for their authorisation reads, in each source's own query,
only the items that may reach the manager (``casework.selectors.Reach``). The filter must never
leave out an item the manager should see: every manager's queue is the same as the queue worked
out from every waiting item of the authority, whatever the team's line, and when whoever started
or submitted an assessment is a manager on it (the item goes up the line, or to every manager)."""

from datetime import date

import pytest

from safeguard.accounts.models import Team
from safeguard.assessments.models import Assessment
from safeguard.assessments.services import assessment_start
from safeguard.assessments.tests.steps import REFERRED, STARTED, submit
from safeguard.casework import selectors
from safeguard.casework.models import Case
from safeguard.people.models import Person
from safeguard.testing.journey import open_case

pytestmark = pytest.mark.django_db


def _everything_waiting_for(user) -> list:
    """``waiting_for`` as it was before the filter: every item of the authority, decided here."""
    authority_id = user.agency.authority_id
    teams = selectors.authority_teams(authority_id)
    items = selectors._requests_waiting(authority_id)
    for source in selectors._QUEUE_SOURCES:
        items.extend(source(authority_id))
    mine = [
        item
        for item in items
        if user.pk not in item.excluded
        and selectors.authoriser_id(item.team_id, teams, item.excluded) in (user.pk, None)
    ]
    return sorted(mine, key=lambda i: i.since)


def _submitted(world, child, *, team, started_by=None, submitted_by=None):
    case = open_case(world, child, received=REFERRED)
    Case.objects.filter(pk=case.pk).update(team=team)
    case.refresh_from_db()
    assessment = assessment_start(by=world.sw_amy, case=case, kind="single", start_date=STARTED)
    submit(world, assessment)
    Assessment.objects.filter(pk=assessment.pk).update(
        **({"created_by": started_by} if started_by else {}),
        **({"submitted_by": submitted_by} if submitted_by else {}),
    )
    return assessment


def test_every_managers_queue_is_what_every_waiting_item_gives(world):
    carol, dan = world.tm_carol, world.sm_dan
    service = Team.objects.create(agency=world.csc, name="Children's Services", manager=dan)
    Team.objects.filter(pk=world.team_a.pk).update(manager=carol, parent=service)
    # Team B has no line at all: its items go to every manager.
    _submitted(world, world.child_sam, team=world.team_a)  # Carol's
    _submitted(world, world.child_tom, team=world.team_a, started_by=carol)  # Carol's own: Dan's
    _submitted(world, world.child_sally, team=world.team_b)
    # Team C's line is Carol alone, and she started this one: nobody on the line may, so it goes
    # to every manager (Dan sees it though he is not on Team C's line).
    team_c = Team.objects.create(agency=world.csc, name="Child Protection Team C", manager=carol)
    child = Person.objects.create(
        authority=world.authority, given_names="Cara", family_name="Cole",
        date_of_birth=date(2014, 5, 6), la_child_id="T000009",
    )  # fmt: skip
    _submitted(world, child, team=team_c, started_by=carol)
    queues = {}
    for user in (carol, dan):
        expected = _everything_waiting_for(user)
        got = selectors.waiting_for(user)
        assert [(i.case_id, i.url) for i in got] == [(i.case_id, i.url) for i in expected]
        queues[user.username] = {i.url for i in got}
    # The queues are not empty or all the same: the test would catch a filter that drops items.
    assert len(queues[carol.username]) == 2 and len(queues[dan.username]) == 3
    assert queues[carol.username] != queues[dan.username]
