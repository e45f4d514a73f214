"""Reads of the early help queue (issue 19 item 5): the three clocks of early help that nobody
else watches, each a page of rows in one query.

- **Decided for early help, no assessment started**: the due table's rows of the
  ``contact_early_help`` and ``assessment_early_help`` rules (``timescales.rules``), so the
  queue and the lists of what is due always agree on what is outstanding and when it is due.
- **Assessments not completed within the local standard**: an early help assessment still
  open more than ``LocalAuthority.early_help_assessment_wd`` working days after it started.
- **Teams around the family whose review is overdue**: an open team whose last review (or
  its start) was more than ``LocalAuthority.taf_review_weeks`` weeks ago.

The selectors return rows about children but log nothing: the page shows them through
``people.selectors.show_rows``. Partners (``partner_agency``) see only the assessments their
agency completes and the teams around the family following them or led by their staff.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, Max, Q, QuerySet, Window
from django.db.models.functions import Coalesce

from safeguard.accounts.models import Agency, LocalAuthority
from safeguard.core.workdays import working_days_between
from safeguard.earlyhelp.models import EarlyHelpAssessment, TeamAroundFamily
from safeguard.timescales.models import DueEntry
from safeguard.timescales.selectors import Paged, due_rows, last_overdue_day

QUEUE_PAGE_SIZE = 25
# The due table's rules for "decided for early help, no assessment started".
START_RULES = ("contact_early_help", "assessment_early_help")


@dataclass(frozen=True)
class QueuePage(Paged):
    """One page of one section of the queue."""

    rows: list
    total: int
    number: int
    size: int


def _page(rows: QuerySet, *, number: int, size: int, make=lambda x: x) -> QueuePage:
    """Page ``number`` of ``rows``, counted in the same query (a window count); a page past
    the last gives the last, in two more queries."""
    number = max(1, number)
    counted = rows.annotate(_total=Window(Count("pk")))
    found = list(counted[(number - 1) * size : number * size])
    if not found and number > 1:
        total = rows.count()
        number = max(1, -(-total // size))
        found = list(counted[(number - 1) * size : number * size])
    total = found[0]._total if found else 0
    return QueuePage(rows=make(found), total=total, number=number, size=size)


def not_started(
    authority: LocalAuthority, *, on: date, number: int = 1, size: int = QUEUE_PAGE_SIZE
) -> QueuePage:
    """Decisions for early help (at the front door, or an assessment stepping down) with no
    early help assessment started: priority first, then the earliest due."""
    from safeguard.timescales import projection  # the projection reads the selectors

    projection.flush()
    entries = DueEntry.objects.filter(authority=authority, rule_id__in=START_RULES).order_by(
        "priority_rank", "due_date", "start_date", "subject_id"
    )
    page = _page(entries, number=number, size=size)
    ids = [e.pk for e in page.rows]
    if not ids:
        return page
    ordered = DueEntry.objects.filter(pk__in=ids).order_by(
        "priority_rank", "due_date", "start_date", "subject_id"
    )
    rows = due_rows(ordered, authority=authority, on=on)
    return QueuePage(rows=rows, total=page.total, number=page.number, size=page.size)


@dataclass(frozen=True)
class LateAssessment:
    assessment: EarlyHelpAssessment
    due_date: date
    on: date

    @property
    def child(self):
        return self.assessment.child

    @property
    def working_days(self) -> int:
        """Working days since the assessment started."""
        return working_days_between(self.assessment.start_date, self.on)


def assessments_late(
    authority: LocalAuthority,
    *,
    on: date,
    partner_agency: Agency | None = None,
    number: int = 1,
    size: int = QUEUE_PAGE_SIZE,
) -> QueuePage:
    """Early help assessments open on ``on`` more than the local standard's working days after
    they started (one past the standard is late; on the standard's last day it is not), the
    oldest first."""
    from safeguard.core.workdays import add_working_days

    standard = authority.early_help_assessment_wd
    cutoff = last_overdue_day(on, standard)
    found = EarlyHelpAssessment.objects.filter(
        authority=authority, completed_date__isnull=True, start_date__lte=cutoff
    )
    if partner_agency is not None:
        found = found.filter(organisation=partner_agency)
    found = found.select_related("child", "organisation").order_by("start_date", "pk")

    def make(rows):
        return [
            LateAssessment(a, due_date=add_working_days(a.start_date, standard), on=on)
            for a in rows
        ]

    return _page(found, number=number, size=size, make=make)


@dataclass(frozen=True)
class OverdueReview:
    taf: TeamAroundFamily
    on: date

    @property
    def child(self):
        return self.taf.child

    @property
    def due_date(self) -> date:
        return self.taf.next_review_due

    @property
    def days_overdue(self) -> int:
        return (self.on - self.due_date).days


def reviews_overdue(
    authority: LocalAuthority,
    *,
    on: date,
    partner_agency: Agency | None = None,
    number: int = 1,
    size: int = QUEUE_PAGE_SIZE,
) -> QueuePage:
    """Teams around the family open on ``on`` whose next review (``taf_review_weeks`` after
    the last review, or the start) fell before ``on``: due on a day, overdue the day after.
    The longest overdue first."""
    cutoff = on - timedelta(weeks=authority.taf_review_weeks)
    found = (
        TeamAroundFamily.objects.filter(authority=authority, end_date__isnull=True)
        .annotate(
            reviewed_last=Max("reviews__review_date"),
            authority_review_weeks=F("authority__taf_review_weeks"),
        )
        .annotate(_since=Coalesce("reviewed_last", "start_date"))
        .filter(_since__lt=cutoff)
    )
    if partner_agency is not None:
        found = found.filter(
            Q(assessment__organisation=partner_agency) | Q(lead_user__agency=partner_agency)
        )
    found = found.select_related("child").order_by("_since", "pk")
    return _page(
        found, number=number, size=size, make=lambda rows: [OverdueReview(t, on) for t in rows]
    )
