"""Keeping the outstanding items table (``DueEntry``) equal to what the engine works out
(decision 0028).

- **In the step's transaction.** Every save or delete of a record a rule reads, and every
  change event a service writes, works out again the items of the child it concerns
  (``refresh_children``), so that a list read after the step shows it. Model signals are
  the hook because this app sits above every app whose records it reads (architecture.md,
  "How a lower app learns about a higher one"); the change event covers saves made by a
  conditional ``UPDATE`` (``save_versioned``), which send no ``post_save``.
- **In bulk.** ``deferred()`` holds the refreshes back and does them together at its end, for
  the demo generator and the census import, which write thousands of records at once.
- **Every night and on demand.** ``rebuild`` works out every item again, for what depends only
  on the passing of days; ``check`` works everything out and compares, changing nothing.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from django.db import transaction
from django.db.models import Prefetch, Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from safeguard.accounts.models import LocalAuthority
from safeguard.assessments.models import Assessment
from safeguard.audit.models import ChangeEvent
from safeguard.casework.models import (
    Allocation,
    Case,
    CINPlan,
    CINPlanReview,
    DirectWork,
    UnallocatedReview,
    Visit,
)
from safeguard.earlyhelp.models import EarlyHelpAssessment
from safeguard.people.models import Person
from safeguard.protection.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    CoreGroupMeeting,
    PlanAction,
    Section47Enquiry,
    StrategyDiscussion,
)
from safeguard.referrals.models import Contact, Referral
from safeguard.timescales.engine import (
    DueItem,
    case_timescales,
    contact_timescales,
    contacts_setting_steps,
    outstanding,
    with_contact_data,
    with_timescale_data,
)
from safeguard.timescales.models import DueEntry, SeenClock
from safeguard.timescales.selectors import latest_sighting, with_sightings, with_stage

FRONT_DOOR = "front_door"  # the stage of a contact's next step: no case exists yet
BATCH_SIZE = 500

# What identifies one clock, and what a row says about it.
IDENTITY = ("rule_id", "subject_id", "start_date")
FIELDS = (
    *IDENTITY,
    "authority_id",
    "child_id",
    "case_id",
    "contact_id",
    "due_date",
    "worker_id",
    "team_id",
    "priority_rank",
    "stage",
    "next_step",
)


def open_cases(on: date) -> Q:
    """Cases with something still to do on ``on``: open, and not a referral marked no further
    action (which counts as closed on its referral date, kpis.md §1)."""
    return Case.open_on(on) & Q(referral_nfa=False)


def _entry(item: DueItem, **fields) -> DueEntry:
    return DueEntry(
        rule_id=item.rule.id,
        subject_id=item.subject_id,
        start_date=item.start_date,
        due_date=item.due_date,
        child_id=item.child_id,
        case_id=item.case_id,
        contact_id=item.contact_id,
        next_step=item.rule.next_step,
        **fields,
    )


def _case_entries(cases, on: date) -> Iterator[DueEntry]:
    for case in cases:
        for item in outstanding(case_timescales(case, on=on)):
            yield _entry(
                item,
                authority_id=case.authority_id,
                # A clock held by someone other than the case's worker (a conference's chair
                # holds its minutes) is on that person's list (``Rule.held_by``).
                worker_id=item.holder_id or case.holder_id,
                # An unallocated case's items wait with its responsible team (issue 14).
                team_id=case.holder_team_id or case.team_id,
                priority_rank=case.priority_rank,
                stage=case.stage,
            )


def _contact_entries(contacts, on: date) -> Iterator[DueEntry]:
    for contact in contacts:
        items = outstanding(contact_timescales(contact, on=on))
        if not items:
            continue
        decider = contact.decided_by
        teams = list(decider.teams.all()) if decider is not None else []
        for item in items:
            yield _entry(
                item,
                authority_id=contact.authority_id,
                worker_id=contact.decided_by_id,
                team_id=min((t.pk for t in teams), default=None),
                priority_rank=contact.priority_rank,
                stage=FRONT_DOOR,
            )


def entries_for(child_ids: Iterable[UUID], *, on: date) -> list[DueEntry]:
    """Every outstanding item of these children on ``on``, as unsaved rows, in a fixed number
    of queries whatever the number of children."""
    ids = list(child_ids)
    if not ids:
        return []
    cases = with_stage(
        with_timescale_data(Case.objects.filter(open_cases(on), child_id__in=ids)), on=on
    )
    contacts = with_contact_data(
        contacts_setting_steps().filter(child_id__in=ids).select_related("decided_by")
    ).prefetch_related(Prefetch("decided_by__teams"))
    return [*_case_entries(cases, on), *_contact_entries(contacts, on)]


# What a child's clock of days since seen says (``SeenClock``, decision 0049).
CLOCK_FIELDS = (
    "case_id",
    "authority_id",
    "child_id",
    "referral_date",
    "seen_since",
    "last_seen",
    "last_seen_by_id",
    "stage",
    "holder_id",
    "holder_team_id",
)


def clocks_for(child_ids: Iterable[UUID], *, on: date) -> list[SeenClock]:
    """The clock of days since seen of every open case of these children on ``on``, as unsaved
    rows, in one query whatever the number of children."""
    ids = list(child_ids)
    if not ids:
        return []
    cases = with_stage(with_sightings(Case.objects.filter(open_cases(on), child_id__in=ids)), on=on)
    clocks = []
    for case in cases:
        seen, by = latest_sighting(case)
        clocks.append(
            SeenClock(
                case_id=case.pk,
                authority_id=case.authority_id,
                child_id=case.child_id,
                referral_date=case.referral_date,
                seen_since=max(seen, case.referral_date) if seen else case.referral_date,
                last_seen=seen,
                last_seen_by_id=by,
                stage=case.stage,
                holder_id=case.holder_id,
                holder_team_id=case.holder_team_id,
            )
        )
    return clocks


# --- Keeping the table -------------------------------------------------------------------
#
# A save marks its child as pending; the pending children are worked out again (``flush``) when
# a service writes its change event (the last write of a step, so once per step, in its
# transaction), before any list reads the table (so a list read inside a transaction that saved
# records directly sees them), and, as a backstop for writes made outside a service, when the
# transaction commits. Inside ``deferred()`` only its end flushes.


class _Pending(threading.local):
    def __init__(self):
        self.ids: set = set()
        # The children whose clock of days since seen may have moved too: only a record the
        # clock reads (``CLOCK_SOURCES``) marks them, so that a change to a child's identity
        # (the commonest save) does not work the clock out again.
        self.clock_ids: set = set()
        self.deferred = False


_pending = _Pending()


def _replace(ids: set, clock_ids: set, on: date) -> None:
    with transaction.atomic():
        entries = entries_for(ids, on=on)
        DueEntry.objects.filter(child_id__in=ids).delete()
        DueEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)
        if clock_ids:
            clocks = clocks_for(clock_ids, on=on)
            SeenClock.objects.filter(child_id__in=clock_ids).delete()
            SeenClock.objects.bulk_create(clocks, batch_size=BATCH_SIZE)


def refresh_children(
    child_ids: Iterable[UUID], *, on: date | None = None, clock_ids: Iterable[UUID] | None = None
) -> None:
    """Work out again the outstanding items of these children now, replacing their rows, and
    the clocks of days since seen of ``clock_ids`` (default: the same children)."""
    ids = sorted({pid for pid in child_ids if pid is not None}, key=str)
    clocks = set(ids) if clock_ids is None else {pid for pid in clock_ids if pid is not None}
    on = on or timezone.localdate()
    for start in range(0, len(ids), BATCH_SIZE):
        batch = set(ids[start : start + BATCH_SIZE])
        _replace(batch, batch & clocks, on)


def mark(child_ids: Iterable[UUID], *, clocks: bool = True) -> None:
    """Note that these children's items must be worked out again before anyone reads them,
    and their clocks of days since seen unless ``clocks`` is False (nothing the clock reads
    changed)."""
    child_ids = [pid for pid in child_ids if pid is not None]
    _pending.ids.update(child_ids)
    if clocks:
        _pending.clock_ids.update(child_ids)
    if not _pending.ids or _pending.deferred:
        return
    waiting = getattr(transaction.get_connection(), "run_on_commit", [])
    if not any(isinstance(entry[1], _Backstop) for entry in waiting):
        transaction.on_commit(_Backstop(), robust=True)


class _Backstop:
    """The on-commit flush: one per transaction (``mark`` looks for it)."""

    def __call__(self) -> None:
        flush()


def flush() -> None:
    """Work out the items of every pending child (``mark``), unless inside ``deferred()``."""
    if _pending.deferred or not _pending.ids:
        return
    ids, _pending.ids = _pending.ids, set()
    clock_ids, _pending.clock_ids = _pending.clock_ids, set()
    refresh_children(ids, clock_ids=clock_ids)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Hold back every refresh until the block ends, then work out each child touched once, in
    batches (a bulk write: the demo generator, the census import)."""
    if _pending.deferred:  # already deferred by an outer block
        yield
        return
    _pending.deferred = True
    try:
        yield
    finally:
        _pending.deferred = False
    flush()


def _children_with_work(authority: LocalAuthority | None, on: date) -> list[UUID]:
    cases = Case.objects.filter(open_cases(on))
    contacts = contacts_setting_steps()
    if authority is not None:
        cases = cases.filter(authority=authority)
        contacts = contacts.filter(authority=authority)
    ids = set(cases.values_list("child_id", flat=True))
    ids.update(contacts.values_list("child_id", flat=True))
    return sorted(ids, key=str)


def _batches(ids: list[UUID]) -> Iterator[list[UUID]]:
    for start in range(0, len(ids), BATCH_SIZE):
        yield ids[start : start + BATCH_SIZE]


@transaction.atomic
def rebuild(*, authority: LocalAuthority | None = None, on: date | None = None) -> int:
    """Work out every outstanding item of ``authority`` (default: every authority) again and
    replace the table's rows with them; returns how many there are."""
    on = on or timezone.localdate()
    for table in (DueEntry, SeenClock):
        stale = table.objects.all()
        if authority is not None:
            stale = stale.filter(authority=authority)
        stale.delete()
    made = 0
    for batch in _batches(_children_with_work(authority, on)):
        entries = entries_for(batch, on=on)
        DueEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)
        SeenClock.objects.bulk_create(clocks_for(batch, on=on), batch_size=BATCH_SIZE)
        made += len(entries)
    return made


@dataclass
class Difference:
    """What ``check`` found: rows the table lacks, rows it should not have, and rows whose
    details differ (each as the fields of ``FIELDS``); and the same of the clocks of days since
    seen (``clocks``, each as the fields of ``CLOCK_FIELDS``)."""

    missing: list[dict] = field(default_factory=list)
    extra: list[dict] = field(default_factory=list)
    changed: list[tuple[dict, dict]] = field(default_factory=list)
    checked: int = 0
    clocks: Difference | None = None

    def __bool__(self) -> bool:
        return bool(self.missing or self.extra or self.changed or self.clocks)


def _row(entry: DueEntry) -> dict:
    return {name: getattr(entry, name) for name in FIELDS}


def _key(row: dict) -> tuple:
    return tuple(str(row[name]) for name in IDENTITY)


def check(*, authority: LocalAuthority | None = None, on: date | None = None) -> Difference:
    """Work out every outstanding item from the records and compare with the table, changing
    nothing."""
    on = on or timezone.localdate()
    stored_rows = DueEntry.objects.all()
    if authority is not None:
        stored_rows = stored_rows.filter(authority=authority)
    stored = {_key(row): row for row in stored_rows.values(*FIELDS).iterator()}
    found = Difference()
    for batch in _batches(_children_with_work(authority, on)):
        for entry in entries_for(batch, on=on):
            row = _row(entry)
            found.checked += 1
            was = stored.pop(_key(row), None)
            if was is None:
                found.missing.append(row)
            elif was != row:
                found.changed.append((was, row))
    found.extra = list(stored.values())
    found.clocks = _check_clocks(authority, on)
    return found


def _check_clocks(authority: LocalAuthority | None, on: date) -> Difference:
    stored_rows = SeenClock.objects.all()
    if authority is not None:
        stored_rows = stored_rows.filter(authority=authority)
    stored = {row["case_id"]: row for row in stored_rows.values(*CLOCK_FIELDS).iterator()}
    found = Difference()
    for batch in _batches(_children_with_work(authority, on)):
        for clock in clocks_for(batch, on=on):
            row = {name: getattr(clock, name) for name in CLOCK_FIELDS}
            found.checked += 1
            was = stored.pop(row["case_id"], None)
            if was is None:
                found.missing.append(row)
            elif was != row:
                found.changed.append((was, row))
    found.extra = list(stored.values())
    return found


# --- The hooks ----------------------------------------------------------------------------

# Records a rule reads, and how to find the child each concerns.
CHILD_OF = {
    Person: lambda obj: obj.pk,
    Case: lambda obj: obj.child_id,
    Contact: lambda obj: obj.child_id,
    EarlyHelpAssessment: lambda obj: obj.child_id,
}
ON_A_CASE = (
    Allocation, Referral, Assessment, Visit, DirectWork, CINPlan, StrategyDiscussion,
    Section47Enquiry, ChildProtectionConference, ChildProtectionPlan, UnallocatedReview,
)  # fmt: skip
ON_A_PLAN = (CINPlanReview, CoreGroupMeeting, PlanAction)


def _child_of(sender, instance) -> UUID | None:
    if sender in CHILD_OF:
        return CHILD_OF[sender](instance)
    if sender is PlanAction and instance.cin_plan_id is not None:
        case_of_plan = Case.objects.filter(cin_plans=instance.cin_plan_id)
        return case_of_plan.values_list("child_id", flat=True).first()
    if sender in ON_A_PLAN:
        case_of_plan = Case.objects.filter(**{_PLAN_CASE[sender]: instance.plan_id})
        return case_of_plan.values_list("child_id", flat=True).first()
    return Case.objects.filter(pk=instance.case_id).values_list("child_id", flat=True).first()


_PLAN_CASE = {CINPlanReview: "cin_plans", CoreGroupMeeting: "cp_plans", PlanAction: "cp_plans"}


# The records a clock of days since seen reads (``clocks_for``): the case, who holds it, the
# sightings and the steps that set its stage.
CLOCK_SOURCES = (
    Case, Allocation, Assessment, Visit, DirectWork, ChildProtectionPlan, Section47Enquiry,
)  # fmt: skip
CLOCK_LABELS = frozenset(model._meta.label_lower for model in CLOCK_SOURCES)


def _record_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    mark([_child_of(sender, instance)], clocks=sender in CLOCK_SOURCES)


def _change_recorded(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw:
        mark([instance.person_id], clocks=instance.target_type in CLOCK_LABELS)
        flush()


def connect() -> None:
    for model in (*CHILD_OF, *ON_A_CASE, *ON_A_PLAN):
        uid = f"due-entries-{model._meta.label_lower}"
        post_save.connect(_record_saved, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_record_saved, sender=model, dispatch_uid=f"{uid}-delete")
    post_save.connect(_change_recorded, sender=ChangeEvent, dispatch_uid="due-entries-change")
