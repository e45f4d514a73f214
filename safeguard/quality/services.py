"""Checking children and storing what is wrong (``QualityIssue``).

``check_children`` checks some children in one go (their records read with a bounded number
of queries) and replaces their stored issues; ``check_child`` is that for one child, run after
a save to any of the child's records (signals.py); ``check_authority`` runs it over every
child with a case, in batches, for ``safeguard check-quality``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date
from uuid import UUID

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from safeguard.accounts.models import LocalAuthority
from safeguard.casework.models import Case
from safeguard.people.models import Person
from safeguard.quality.models import QualityCheck, QualityIssue
from safeguard.quality.rules import census_year_of, cin_findings, own_findings
from safeguard.returns.builders.cin import cin_children

log = logging.getLogger(__name__)

BATCH_SIZE = 250

CASE_PREFETCH = (
    "allocations",
    "assessments",
    "cin_plans",
    "strategy_discussions",
    "section47s",
    "conferences",
    "cp_plans",
    "visits",
)


def _people(ids: Iterable[UUID]):
    cases = Case.objects.order_by("referral_date", "id").prefetch_related(*CASE_PREFETCH)
    return Person.objects.filter(pk__in=list(ids)).prefetch_related(
        Prefetch("cases", queryset=cases)
    )


def _holder(case, today: date):
    """The allocation of ``case`` open today, or its latest."""
    allocations = sorted(case.allocations.all(), key=lambda a: a.start_date, reverse=True)
    for a in allocations:
        if a.is_open_on(today):
            return a
    return allocations[0] if allocations else None


def _child_holder(person, today: date):
    """Who holds the child: the allocation of their latest open case, else latest case."""
    cases = sorted(
        person.cases.all(), key=lambda c: (c.closure_date is None, c.referral_date), reverse=True
    )
    for case in cases:
        holder = _holder(case, today)
        if holder:
            return holder
    return None


@transaction.atomic
def check_children(person_ids: Iterable[UUID], *, today: date | None = None) -> int:
    """Check each child of ``person_ids`` and replace their stored issues; the number of
    issues found."""
    today = today or timezone.localdate()
    now = timezone.now()
    year = census_year_of(today)
    people = list(_people(person_ids))
    by_authority: dict[int, list] = {}
    for p in people:
        by_authority.setdefault(p.authority_id, []).append(p)
    census = {}
    for authority_id, group in by_authority.items():
        authority = LocalAuthority.objects.get(pk=authority_id)
        census.update(cin_children([p.pk for p in group], authority=authority, year=year))
    existing: dict[tuple, QualityIssue] = {}
    for issue in QualityIssue.objects.filter(person__in=[p.pk for p in people]):
        existing[(issue.person_id, *issue.key)] = issue
    keep, create = [], []
    for person in people:
        cases = {c.pk: c for c in person.cases.all()}
        child_holder = _child_holder(person, today)
        found = own_findings(person, today) + cin_findings(
            person, census.get(person.pk), year, today
        )
        seen = set()
        for f in found:
            key = (person.pk, f.rule, f.record_id, f.detail[:300])
            if key in seen:
                continue
            seen.add(key)
            holder = _holder(cases[f.case_id], today) if f.case_id in cases else child_holder
            values = {
                "authority_id": person.authority_id,
                "case_id": f.case_id,
                "severity": f.severity,
                "message": f.message,
                "record_type": f.record_type,
                "worker_id": holder.worker_id if holder else None,
                "team_id": holder.team_id if holder else None,
                "last_checked": now,
            }
            issue = existing.pop(key, None)
            if issue is None:
                create.append(
                    QualityIssue(
                        person_id=person.pk,
                        rule=f.rule,
                        record_id=f.record_id,
                        detail=f.detail[:300],
                        first_seen=now,
                        **values,
                    )
                )
            else:
                for name, value in values.items():
                    setattr(issue, name, value)
                keep.append(issue)
    # What is left of the stored issues was not found again: it has been fixed.
    QualityIssue.objects.filter(pk__in=[i.pk for i in existing.values()]).delete()
    QualityIssue.objects.bulk_create(create)
    QualityIssue.objects.bulk_update(
        keep,
        [
            "authority_id",
            "case_id",
            "severity",
            "message",
            "record_type",
            "worker_id",
            "team_id",
            "last_checked",
        ],  # fmt: skip
    )
    return len(create) + len(keep)


def check_child(person_id: UUID) -> int:
    return check_children([person_id])


def recheck_quietly(person_id: UUID) -> None:
    """``check_child`` for the save hook: a failure is logged, never raised, so checking can
    never make a save fail."""
    try:
        check_child(person_id)
    except Exception:  # noqa: BLE001 - the save has happened; the bulk check will catch up
        log.exception("Data-quality check of person %s failed", person_id)


def check_every_authority() -> str:
    """The scheduled job ``check-quality``: every child of every authority checked, as
    ``safeguard check-quality`` does."""
    from safeguard.quality.models import Severity

    lines = []
    for authority in LocalAuthority.objects.order_by("dfe_la_code"):
        check_authority(authority)
        errors = QualityIssue.objects.filter(authority=authority, severity=Severity.ERROR)
        lines.append(f"{authority.name}: {errors.count()} errors")
    return "; ".join(lines) or "No authority to check"


def check_authority(
    authority: LocalAuthority,
    *,
    progress: Callable[[int, int], None] | None = None,
    today: date | None = None,
) -> int:
    """Check every child of ``authority`` who has a case; remove the issues of anyone else.
    Once done, record the check (``QualityCheck``): from then on figures can be validated."""
    started = timezone.now()
    ids = list(
        Person.objects.filter(authority=authority, cases__isnull=False)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    total, found = len(ids), 0
    if progress:
        progress(0, total)
    for start in range(0, total, BATCH_SIZE):
        found += check_children(ids[start : start + BATCH_SIZE], today=today)
        if progress:
            progress(min(start + BATCH_SIZE, total), total)
    with transaction.atomic():
        QualityIssue.objects.filter(authority=authority).exclude(person__in=ids).delete()
        QualityCheck.objects.create(
            authority=authority,
            started_at=started,
            finished_at=timezone.now(),
            children=total,
            issues=QualityIssue.objects.filter(authority=authority).count(),
        )
    return found
