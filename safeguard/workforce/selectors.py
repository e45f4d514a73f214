"""Caseloads: what each worker carries, weighed by the stage of each case, against what they
can carry; and the team caseload board.

A case's stage is the timescales app's (``timescales.selectors.with_stage``: unallocated,
child protection plan, section 47 enquiry, assessment, child in need, worked out in SQL);
each stage weighs so many points, an authority setting (``WEIGHT_FIELDS``). A worker can
carry the authority's full-time capacity, reduced in their first year after qualifying
(``capacity``). There is no national cap or weighting in England: every number is local
(domain.md §6).

These selectors return children but do not log access: the page passes the rows through
``people.selectors.show_rows`` (decision 0001).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from safeguard.accounts.models import LocalAuthority, Team, User
from safeguard.accounts.roles import RECORDING_ROLES
from safeguard.casework.models import Allocation, Case
from safeguard.people.models import Person
from safeguard.timescales import selectors as timescales
from safeguard.workforce.permissions import managed_by, visible_to

# The authority's setting holding each stage's weight, in points.
WEIGHT_FIELDS = {
    "unallocated": "caseload_weight_unallocated",
    "cp_plan": "caseload_weight_cp_plan",
    "section47": "caseload_weight_section47",
    "assessment": "caseload_weight_assessment",
    "cin": "caseload_weight_cin",
}


def weights(authority: LocalAuthority) -> dict[str, int]:
    """Each stage's weight in points (``timescales.selectors.STAGES`` codes)."""
    return {s.code: getattr(authority, WEIGHT_FIELDS[s.code]) for s in timescales.STAGES}


def _anniversary(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # qualified on 29 February
        return day.replace(year=day.year + 1, day=28)


def is_newly_qualified(worker: User, on: date) -> bool:
    """In their first year after qualifying on ``on`` (the assessed and supported year in
    employment): from the date they qualified to the day before its anniversary."""
    return worker.qualified_on is not None and on < _anniversary(worker.qualified_on)


def capacity(worker: User, authority: LocalAuthority, on: date) -> int:
    """The points ``worker`` can carry on ``on``: the authority's full-time capacity, or
    its newly-qualified share of it (rounded down) in their first year."""
    full = authority.full_time_capacity
    if is_newly_qualified(worker, on):
        return full * authority.newly_qualified_capacity_percent // 100
    return full


@dataclass
class CaseLoad:
    """One open case a worker holds, with its child, stage and weight."""

    case: Case
    child: Person
    stage: timescales.Stage
    weight: int


@dataclass
class WorkerLoad:
    """What one worker carries on a day, and what is late on their cases."""

    worker: User
    capacity: int
    newly_qualified: bool
    cases: list[CaseLoad] = field(default_factory=list)
    overdue: int = 0
    unseen: int = 0

    @property
    def case_count(self) -> int:
        return len(self.cases)

    @property
    def weighted(self) -> int:
        return sum(c.weight for c in self.cases)

    @property
    def percent(self) -> int:
        return round(100 * self.weighted / self.capacity) if self.capacity else 0

    @property
    def over_capacity(self) -> bool:
        return self.weighted > self.capacity

    def describe(self) -> str:
        """One line for the allocation form."""
        text = (
            f"{self.case_count} open case{'' if self.case_count == 1 else 's'}, weighted "
            f"load {self.weighted} of {self.capacity} points ({self.percent}%)"
        )
        if self.newly_qualified:
            text += ", newly qualified"
        if self.over_capacity:
            text += ", over capacity"
        return text


def _case_open_on(on: date) -> Q:
    # Open on a day, a referral marked no further action counting as closed: the same test
    # as the due lists' (kpis.md §1).
    return Case.open_on(on) & Q(referral_nfa=False)


def team_workers(team: Team) -> QuerySet[User]:
    """The team's active members who can hold cases (social workers and managers), by name."""
    return (
        team.members.filter(is_active=True, role__in=RECORDING_ROLES)
        .select_related("agency")
        .order_by("last_name", "first_name", "pk")
    )


def worker_loads(
    workers: list[User], *, authority: LocalAuthority, on: date
) -> dict[int, WorkerLoad]:
    """Each worker's open cases on ``on``, whichever team they hold them in, with each
    case's stage and weight: one query, whatever the number of workers and cases."""
    by_stage = weights(authority)
    loads = {
        w.pk: WorkerLoad(
            worker=w,
            capacity=capacity(w, authority, on),
            newly_qualified=is_newly_qualified(w, on),
        )
        for w in workers
    }
    if not loads:
        return loads
    held = Allocation.objects.filter(Allocation.open_on(on), worker_id__in=list(loads))
    cases = timescales.with_stage(
        Case.objects.filter(_case_open_on(on), authority=authority, pk__in=held.values("case_id"))
        .select_related("child")
        .order_by("child__family_name", "child__given_names", "pk"),
        on=on,
    )
    for case in cases:
        load = loads.get(case.holder_id)
        if load is None:
            continue
        load.cases.append(
            CaseLoad(
                case=case,
                child=case.child,
                stage=timescales.STAGE_BY_CODE[case.stage],
                weight=by_stage[case.stage],
            )
        )
    return loads


def describe_candidates(*, team: Team, workers: list[User], on: date) -> dict[int, str]:
    """For the allocation form: each candidate's open cases, weighted load and capacity."""
    if not workers:
        return {}
    authority = LocalAuthority.objects.get(agencies__teams=team)
    loads = worker_loads(workers, authority=authority, on=on)
    return {pk: load.describe() for pk, load in loads.items()}


def team_by_id(team_id: int) -> Team:
    """The team whose board is asked for, with its agency, authority and line; 404 if none."""
    team = (
        Team.objects.select_related("agency__authority", "manager", "parent__manager")
        .filter(pk=team_id)
        .first()
    )
    if team is None:
        raise Http404("No such team")
    return team


@dataclass
class Board:
    """A team's caseload board on a day."""

    team: Team
    on: date
    loads: list[WorkerLoad]
    weights: dict[str, int]

    @property
    def weighted(self) -> int:
        return sum(load.weighted for load in self.loads)

    @property
    def capacity(self) -> int:
        return sum(load.capacity for load in self.loads)

    @property
    def over_capacity(self) -> list[WorkerLoad]:
        return [load for load in self.loads if load.over_capacity]


def team_board(team: Team, *, on: date) -> Board:
    """Per worker of ``team`` (``team_workers``): their cases with stage and weight, weighted
    load and capacity, overdue items and children unseen beyond their standard on their
    cases in this team. A fixed number of queries, whatever the number of cases."""
    authority = team.agency.authority
    workers = list(team_workers(team))
    loads = worker_loads(workers, authority=authority, on=on)
    # Overdue items: what is due on the team's cases, counted by the worker holding each.
    overdue = timescales.overdue_by_worker(team, on=on)
    # Children not seen within their stage's standard, among the cases the team holds.
    holder = {c.case.pk: pk for pk, load in loads.items() for c in load.cases}
    unseen: dict[int, int] = defaultdict(int)
    for case in timescales.unseen_cases(authority, on=on, teams=[team]):
        if case.pk in holder:
            unseen[holder[case.pk]] += 1
    for pk, load in loads.items():
        load.overdue, load.unseen = overdue.get(pk, 0), unseen[pk]
    return Board(team=team, on=on, loads=[loads[w.pk] for w in workers], weights=weights(authority))


def home_boards(user) -> QuerySet[Team]:
    """The boards a member of staff's home page links to: the teams they belong to or
    manage, that they may see (``permissions.visible_to``), by name."""
    return visible_to(user).filter(Q(members=user) | managed_by(user)).distinct().order_by("name")
