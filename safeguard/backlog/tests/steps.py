"""Records the backlog pages need, made with the real services on the test world: open cases
of Sam and Sally (Team A, waiting unallocated) and Tom (Team B, held by Ben), and an exercise
over them opened by Carol (team manager) with Amy as the one reviewer."""

from datetime import date

from safeguard.backlog import services
from safeguard.backlog.models import Exercise, ExerciseCase
from safeguard.backlog.selectors import Filters
from safeguard.casework.models import Case
from safeguard.casework.services import case_allocate
from safeguard.testing.journey import open_case

REFERRED = date(2025, 1, 6)


def open_cases(world) -> dict:
    """The three open cases (opened once; the same ones when asked again), by first name."""
    opened = Case.objects.filter(closure_date__isnull=True).select_related("child")
    if opened.exists():
        return {case.child.given_names: case for case in opened}
    cases = {}
    for child in (world.child_sam, world.child_sally, world.child_tom):
        cases[child.given_names] = open_case(world, child, received=REFERRED)
    case_allocate(
        by=world.tm_carol, case=cases["Tom"], worker=world.sw_ben, team=world.team_b,
        start_date=REFERRED, reason="Test allocation",
    )  # fmt: skip
    return cases


def exercise(world, *, reviewers=None, filters=None, spread=True) -> Exercise:
    open_cases(world)
    return services.exercise_open(
        by=world.tm_carol,
        filters=filters or Filters(),
        reviewers=reviewers or [world.sw_amy],
        spread=spread,
    )


def exercise_of_sam(world) -> Exercise:
    """The exercise over every open case, Amy reviewing them all (made once)."""
    found = Exercise.objects.first()
    return found or exercise(world)


def item_of(world, child) -> ExerciseCase:
    return ExerciseCase.objects.get(exercise=exercise_of_sam(world), case__child=child)
