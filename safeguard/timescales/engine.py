"""Due dates derived from recorded events: never stored, never typed in.

``case_timescales`` applies every rule of the authority's rule set (``timescales.rules``) to
one case as it stood on a day ``on``: events dated after ``on`` have not happened yet. Each
clock becomes a ``DueItem`` whose status is relative to ``on``. Because nothing is stored,
changing an authority's rule set or local standards changes every due date at once.

``timescales_for_cases`` does the same for many cases with a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from django.db.models import QuerySet

from safeguard.casework.models import Case
from safeguard.core.workdays import (
    add_months,
    add_working_days,
    is_working_day,
    working_days_between,
)
from safeguard.referrals.models import Contact, ContactOutcome
from safeguard.timescales.events import CONTACT_SCOPES, EVENTS, SCOPES
from safeguard.timescales.rules import DATED, INCLUSIVE, LAST, MONTHS, Rule, rules_for

__all__ = [
    "DUE",
    "LATE",
    "MET",
    "OVERDUE",
    "DueItem",
    "case_timescales",
    "contact_timescales",
    "contacts_setting_steps",
    "due_date",
    "outstanding",
    "timescales_for_cases",
    "with_contact_data",
    "with_timescale_data",
]

DUE = "due"
OVERDUE = "overdue"
MET = "met"
LATE = "late"
OUTSTANDING = frozenset({DUE, OVERDUE})


@dataclass(frozen=True)
class DueItem:
    """One clock of one rule on one case, as it stood on the day asked about.

    ``status`` is ``due`` (not done, not yet past its due date), ``overdue`` (not done and
    past it), ``met`` (done on or before it) or ``late`` (done after it). The overdue counts
    are 0 unless the item is overdue.
    """

    rule: Rule
    case_id: UUID | None
    child_id: UUID
    start_date: date
    due_date: date
    done_date: date | None
    status: str
    working_days_overdue: int = 0
    days_overdue: int = 0
    # The record the clock runs on (a referral, an assessment, a plan, a contact...): with the
    # rule and the start, what tells one clock from another.
    subject_id: str = ""
    # Set for a clock on a contact at the front door (``Rule.on_contact``), which has no case.
    contact_id: UUID | None = None
    # Who holds the clock when it is not the case's worker (``Rule.held_by``): a conference's
    # chair holds its minutes.
    holder_id: int | None = None

    @property
    def is_outstanding(self) -> bool:
        return self.status in OUTSTANDING


def due_date(rule: Rule, start: date, authority=None) -> date:
    """When ``rule``'s end event is due for a clock started on ``start``.

    Exclusive counting (the default): the day after ``start`` is day 1. Inclusive counting:
    ``start`` is day 1 when it is a working day; a start on a weekend or bank holiday
    cannot be a working day, so counting begins on the next working day as it does for
    exclusive counting. For months, inclusive counting ends the day before the same date
    ``length`` months on.
    """
    length = rule.length_for(authority)
    if rule.unit == MONTHS:
        due = add_months(start, length)
        return due - timedelta(days=1) if rule.counting == INCLUSIVE else due
    if rule.counting == INCLUSIVE and is_working_day(start):
        return add_working_days(start, length - 1)
    return add_working_days(start, length)


def _status(due: date, done: date | None, on: date) -> str:
    if done is not None:
        return MET if done <= due else LATE
    return OVERDUE if due < on else DUE


def _item(rule: Rule, record, subject, start: date, done: date | None, on: date) -> DueItem:
    """The item of one clock of ``rule`` on ``record`` (a case, or a contact for a
    ``Rule.on_contact`` rule), about ``subject``."""
    # A dated clock's subject carries its own due date (a plan's action).
    due = subject.due_date if rule.unit == DATED else due_date(rule, start, record.authority)
    status = _status(due, done, on)
    overdue = status == OVERDUE
    return DueItem(
        rule=rule,
        case_id=None if rule.on_contact else record.pk,
        child_id=record.child_id,
        start_date=start,
        due_date=due,
        done_date=done,
        status=status,
        working_days_overdue=working_days_between(due, on) if overdue else 0,
        days_overdue=(on - due).days if overdue else 0,
        subject_id=str(subject.pk),
        contact_id=record.pk if rule.on_contact else None,
        holder_id=getattr(subject, rule.held_by) if rule.held_by else None,
    )


def _clocks(
    starts: list[date], ends: list[date], *, recurring: bool, from_last: bool = False
) -> Iterator[tuple[date, date | None]]:
    """Pair the start of each clock with the end event that stopped it, if any.

    A one-off clock starts at the earliest start and stops at the earliest end; with
    ``from_last`` it starts at the latest start on or before that end (a start after the
    end cannot have restarted it). A recurring clock starts at the earliest start; each
    later end event stops it and starts the next, and the last clock is left running.
    """
    start = min(starts)
    if not recurring:
        done = min(ends, default=None)
        if from_last:
            start = max((s for s in starts if done is None or s <= done), default=start)
        yield start, done
        return
    for end in sorted(set(ends)):
        if end > start:
            yield start, end
            start = end
    yield start, None


def _dates(event: str, case: Case | None, subject, on: date) -> list[date]:
    return [d for d in EVENTS[event](case, subject) if d is not None and d <= on]


def _case_open_on(case: Case, on: date) -> bool:
    # A referral marked no further action counts as closed on its referral date (kpis.md §1).
    return case.is_open_on(on) and not case.referral_nfa


def _rule_items(rule: Rule, case: Case, on: date) -> Iterator[DueItem]:
    scope = SCOPES[rule.scope]
    case_open = _case_open_on(case, on)
    for subject in scope.subjects(case):
        if scope.began(subject) > on:
            continue
        starts = _dates(rule.start, case, subject, on)
        if not starts:
            continue
        ends = _dates(rule.end, case, subject, on)
        live = case_open and scope.live(case, subject, on)
        clocks = _clocks(starts, ends, recurring=rule.recurring, from_last=rule.start_from == LAST)
        for start, done in clocks:
            # A clock still running is shown only while there is still something to do.
            if done is not None or live:
                yield _item(rule, case, subject, start, done, on)


def case_timescales(case: Case, *, on: date, rule_set: str | None = None) -> list[DueItem]:
    """Every clock of every rule of ``rule_set`` (default: the authority's) on ``case``.

    Items come in due-date order. Completed clocks (met or late) are reported whether the
    case is open or closed; clocks still running are reported only while the case and the
    clock's subject are open on ``on``. Pass a case from ``with_timescale_data`` to read
    nothing more from the database.
    """
    rules = rules_for(rule_set or case.authority.rule_set)
    items = [item for rule in rules if not rule.on_contact for item in _rule_items(rule, case, on)]
    return sorted(items, key=lambda i: (i.due_date, i.start_date, i.rule.id))


def contact_timescales(contact: Contact, *, on: date, rule_set: str | None = None) -> list[DueItem]:
    """The clocks a front-door decision on ``contact`` set (``Rule.on_contact``): the referral
    to record, the early help assessment to start. A contact decided after ``on`` has set
    nothing yet. Pass a contact from ``with_contact_data`` to read nothing more."""
    items = []
    for rule in rules_for(rule_set or contact.authority.rule_set):
        if not rule.on_contact:
            continue
        for subject in CONTACT_SCOPES[rule.scope].subjects(contact):
            starts = _dates(rule.start, None, subject, on)
            if not starts:
                continue
            done = min(_dates(rule.end, None, subject, on), default=None)
            items.append(_item(rule, contact, subject, min(starts), done, on))
    return sorted(items, key=lambda i: (i.due_date, i.start_date, i.rule.id))


def with_contact_data(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    """``contacts`` with every relation the contact rules read, in a fixed number of queries."""
    return contacts.select_related("authority", "child").prefetch_related(
        "child__cases__referral", "child__early_help_assessments"
    )


def contacts_setting_steps() -> QuerySet[Contact]:
    """Contacts whose decision set a next step (``Rule.on_contact``): decided for a referral
    or for early help."""
    return Contact.objects.filter(
        outcome__in=[ContactOutcome.REFERRAL, ContactOutcome.EARLY_HELP],
        decision_date__isnull=False,
    )


def outstanding(items: Iterable[DueItem]) -> list[DueItem]:
    """The items still to be done: due or overdue."""
    return [item for item in items if item.is_outstanding]


def with_timescale_data(cases: QuerySet[Case]) -> QuerySet[Case]:
    """``cases`` with every relation the timescale rules read loaded in a fixed number of
    queries, whatever the number of cases."""
    return cases.select_related("authority", "referral", "child").prefetch_related(
        "child__early_help_assessments",
        "assessments",
        "strategy_discussions",
        "section47s",
        "conferences",
        "cp_plans__core_groups",
        "cp_plans__actions",
        "visits",
        "direct_work",
        "cin_plans__reviews",
        "cin_plans__actions",
        "allocations",
        "unallocated_reviews",
    )


def timescales_for_cases(
    cases: QuerySet[Case], *, on: date, rule_set: str | None = None
) -> dict[UUID, list[DueItem]]:
    """``case_timescales`` for each of ``cases``, keyed by case id, without N+1 queries."""
    return {
        case.pk: case_timescales(case, on=on, rule_set=rule_set)
        for case in with_timescale_data(cases)
    }
