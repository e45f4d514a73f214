"""What is due: outstanding timescales for a worker, a team or the whole service.

These selectors return children (``Person``) but do NOT log access events: the page that
shows the rows must pass them through ``people.selectors.show_rows``, which checks the policy
and writes the access log (docs/decisions/0001).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from safeguard.accounts.models import LocalAuthority, Team, User
from safeguard.casework.codes import PRIORITY_RANK
from safeguard.casework.models import Allocation, Case, priority_rank_expression
from safeguard.core.workdays import add_working_days, is_working_day
from safeguard.people.models import Person
from safeguard.timescales.engine import (
    DUE,
    OVERDUE,
    DueItem,
    case_timescales,
    outstanding,
    with_timescale_data,
)

UNALLOCATED = "Unallocated"
WEEK_WORKING_DAYS = 5


@dataclass(frozen=True)
class DueRow:
    """An outstanding item with the child, case and current allocation it belongs to."""

    item: DueItem
    child: Person
    case: Case
    worker: User | None
    team: Team | None
    on: date

    @property
    def owner(self) -> str:
        return str(self.worker) if self.worker is not None else UNALLOCATED


def _child_key(row: DueRow) -> tuple[str, str]:
    return (row.child.family_name.casefold(), row.child.given_names.casefold())


def _due_date_key(r: DueRow) -> tuple:
    return (r.item.due_date, _child_key(r), r.item.rule.label, str(r.case.pk))


# Every order ends with the case and rule ids so that equal rows always come out the same way.
# The default puts the case's priority first (red, amber, not rated, green), then due date:
# priority orders every queue (issue 13, item 2); the others are there to look things up.
SORTS: dict[str, Callable[[DueRow], tuple]] = {
    "priority": lambda r: (PRIORITY_RANK[r.case.priority], *_due_date_key(r)),
    "due_date": _due_date_key,
    "-working_days_overdue": lambda r: (
        -r.item.working_days_overdue,
        r.item.due_date,
        _child_key(r),
        str(r.case.pk),
        r.item.rule.id,
    ),
    "child": lambda r: (_child_key(r), str(r.case.pk), r.item.due_date, r.item.rule.id),
    "rule": lambda r: (r.item.rule.label, r.item.due_date, _child_key(r), str(r.case.pk)),
}
DEFAULT_SORT = "priority"


def sort_rows(rows: Iterable[DueRow], sort: str = DEFAULT_SORT) -> list[DueRow]:
    """Order rows by one of ``SORTS``: priority then due date (default), due date, most
    overdue, child or rule."""
    try:
        key = SORTS[sort]
    except KeyError:
        raise ValueError(f"Unknown sort {sort!r}; choose from {sorted(SORTS)}") from None
    return sorted(rows, key=key)


def _case_open_on(on: date) -> Q:
    # Open on a day (kpis.md §1); a referral marked no further action counts as closed.
    return Case.open_on(on) & Q(referral_nfa=False)


def _allocation_open_on(on: date) -> Q:
    return Allocation.open_on(on)


def _rows(cases: QuerySet[Case], *, on: date, sort: str) -> list[DueRow]:
    allocations = Prefetch(
        "allocations",
        queryset=Allocation.objects.filter(_allocation_open_on(on)).select_related(
            "worker", "team"
        ),
        to_attr="open_allocations",
    )
    loaded = with_timescale_data(
        cases.filter(_case_open_on(on)).select_related("child").prefetch_related(allocations)
    )
    rows = []
    for case in loaded:
        allocation = case.open_allocations[0] if case.open_allocations else None
        for item in outstanding(case_timescales(case, on=on)):
            rows.append(
                DueRow(
                    item=item,
                    child=case.child,
                    case=case,
                    worker=allocation.worker if allocation else None,
                    team=allocation.team if allocation else None,
                    on=on,
                )
            )
    return sort_rows(rows, sort)


def _allocated(on: date, **who) -> QuerySet[Case]:
    held = Allocation.objects.filter(_allocation_open_on(on), **who).values("case_id")
    return Case.objects.filter(pk__in=held)


def due_for_worker(user: User, *, on: date, sort: str = DEFAULT_SORT) -> list[DueRow]:
    """Outstanding items on the open cases allocated to ``user`` on ``on``.

    Does not log access to the children: the caller must (module docstring).
    """
    return _rows(_allocated(on, worker=user), on=on, sort=sort)


def due_for_team(team: Team, *, on: date, sort: str = DEFAULT_SORT) -> list[DueRow]:
    """Outstanding items on the open cases allocated to ``team`` on ``on``.

    Does not log access to the children: the caller must (module docstring).
    """
    return _rows(_allocated(on, team=team), on=on, sort=sort)


def due_for_service(
    authority: LocalAuthority, *, on: date, sort: str = DEFAULT_SORT
) -> list[DueRow]:
    """Outstanding items on every open case of ``authority``, unallocated cases included
    (their ``owner`` is "Unallocated").

    Does not log access to the children: the caller must (module docstring).
    """
    return _rows(Case.objects.filter(authority=authority), on=on, sort=sort)


def team_by_id(team_id: int) -> Team:
    """The team whose list is asked for, with its agency (for the policy); 404 if none."""
    team = Team.objects.select_related("agency").filter(pk=team_id).first()
    if team is None:
        raise Http404("No such team")
    return team


def _week_end(on: date) -> date:
    """The last of the next 5 working days, counting ``on`` itself when it is a working day."""
    if is_working_day(on):
        return add_working_days(on, WEEK_WORKING_DAYS - 1)
    return add_working_days(on, WEEK_WORKING_DAYS)


def due_counts(rows: Iterable[DueRow]) -> dict[str, int]:
    """Count rows as overdue, due within the next 5 working days (today included) or later."""
    counts = {"overdue": 0, "due_this_week": 0, "due_later": 0}
    for row in rows:
        if row.item.status == OVERDUE:
            counts["overdue"] += 1
        elif row.item.status == DUE:
            soon = row.item.due_date <= _week_end(row.on)
            counts["due_this_week" if soon else "due_later"] += 1
    return counts


def unallocated_cases(authority: LocalAuthority, *, on: date) -> list[Case]:
    """Open cases with no allocated worker on ``on``, by priority (red first), then longest
    waiting first: the backlog the 2009 inspection found nobody could see."""
    held = Allocation.objects.filter(_allocation_open_on(on)).values("case_id")
    return list(
        Case.objects.filter(_case_open_on(on), authority=authority)
        .exclude(pk__in=held)
        .select_related("child")
        .annotate(priority_order=priority_rank_expression())
        .order_by("priority_order", "referral_date", "pk")
    )
