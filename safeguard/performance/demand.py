"""Demand: contacts and referrals by week and by source, and what the contacts became.

Every count is one aggregate query in the database (grouped by week or by source, or one
row of conditional counts for the funnel); only the ids of the children behind a figure
are read, for the drill-down list (which goes through ``people.selectors.access_people``).

- A *contact* is a ``referrals.Contact``, in a period by its ``contact_date``; its source is
  ``Contact.source`` as recorded (census referral source codes).
- A *referral* is a child-in-need episode (``casework.Case``), in a period by its
  ``referral_date`` and with its source ``Case.referral_source``: the dashboard's referrals.
- Weeks are ISO weeks, Monday to Sunday; a week partly outside the period counts only its
  days inside it.
- The funnel follows the contacts received in the period along the foreign keys
  (``Referral.contact``, ``Referral.case``, then the case's assessments, section 47
  enquiries, initial conferences held for those enquiries and child protection plans), and
  counts a step only when it happened by the period end. See docs/decisions/0014-demand.md.

A team's or worker's figures follow the dashboard's rule (indicators.py): a referral belongs
to whoever held its case on the referral date (or first after it); a contact belongs to
whoever its referral belongs to, so a contact that did not become a referral belongs to the
authority only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncWeek

from safeguard.assessments.models import Assessment, AssessmentOutcome
from safeguard.casework.codes import ReferralSource
from safeguard.casework.models import Case
from safeguard.performance.indicators import Indicator, Period, Scope
from safeguard.performance.selectors import Evidence, belonging_to, evidence_of, round_half_up
from safeguard.protection.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    ConferenceKind,
    Section47Enquiry,
)
from safeguard.referrals.models import Contact

WEEK = timedelta(days=7)
DEFAULT_WEEKS = 13
MAX_WEEKS = 106  # about two years: more bars than that are no longer readable


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def default_period(today: date) -> Period:
    """The last 13 complete weeks (Monday to Sunday) before the week holding ``today``."""
    end = monday(today) - timedelta(days=1)
    return Period(end - DEFAULT_WEEKS * WEEK + timedelta(days=1), end)


def weeks_in(period: Period) -> list[date]:
    """The Mondays of the weeks the period touches, in order."""
    first = monday(period.start)
    return [first + i * WEEK for i in range((period.end - first).days // 7 + 1)]


def week_label(week: date) -> str:
    year, number, _ = week.isocalendar()
    return f"{year}-W{number:02d}"


# -- The two series ------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    id: str
    title: str
    date_field: str
    source_field: str
    attribution: Indicator  # how a record is attributed to a team or worker

    def records(self, period: Period, scope: Scope) -> QuerySet:
        model = Contact if self.id == "contacts" else Case
        qs = model.objects.filter(
            **{f"{self.date_field}__gte": period.start, f"{self.date_field}__lte": period.end}
        )
        if scope.authority_id is not None:
            qs = qs.filter(authority_id=scope.authority_id)
        if scope.team_id is not None or scope.worker_id is not None:
            qs = belonging_to(self.attribution, qs, period, scope)
        return qs


def _attribution(case_path: str, as_of: str) -> Indicator:
    return Indicator(
        id="demand",
        title="",
        kind="count",
        section=0,
        definition="",
        denominator=lambda p: Case.objects.none(),
        case_path=case_path,
        as_of=as_of,
    )


CONTACTS = Series(
    "contacts",
    "Contacts",
    "contact_date",
    "source",
    _attribution("referral__case", "referral__received_date"),
)
REFERRALS = Series(
    "referrals",
    "Referrals",
    "referral_date",
    "referral_source",
    _attribution("", "referral_date"),
)
SERIES = {s.id: s for s in (CONTACTS, REFERRALS)}


# -- By week -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekRow:
    week: date  # its Monday
    start: date  # the first day counted (the period start in a first, partial week)
    end: date
    contacts: int
    referrals: int

    @property
    def label(self) -> str:
        return week_label(self.week)


def _as_date(value) -> date:
    if isinstance(value, str):  # SQLite hands back text for a truncated date
        return date.fromisoformat(value[:10])
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _by_week(series: Series, period: Period, scope: Scope) -> dict[date, int]:
    rows = (
        series.records(period, scope)
        .annotate(_week=TruncWeek(series.date_field))
        .values("_week")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("_week", "n")
    )
    return {_as_date(week): n for week, n in rows}


def by_week(period: Period, scope: Scope) -> list[WeekRow]:
    """Contacts and referrals in each week the period touches; a week with none shows 0."""
    contacts = _by_week(CONTACTS, period, scope)
    referrals = _by_week(REFERRALS, period, scope)
    return [
        WeekRow(
            week,
            max(week, period.start),
            min(week + WEEK - timedelta(days=1), period.end),
            contacts.get(week, 0),
            referrals.get(week, 0),
        )
        for week in weeks_in(period)
    ]


# -- By source -----------------------------------------------------------------------------

SOURCE_LABELS = dict(ReferralSource.choices)
SOURCE_ORDER = {code: i for i, code in enumerate(ReferralSource.values)}


@dataclass(frozen=True)
class SourceRow:
    code: str
    contacts: int
    referrals: int
    contacts_total: int
    referrals_total: int

    @property
    def label(self) -> str:
        if self.code in SOURCE_LABELS:
            return SOURCE_LABELS[self.code]
        return "Not recorded" if not self.code else "Not a census source code"

    @property
    def contacts_share(self) -> float | None:
        return share(self.contacts, self.contacts_total)

    @property
    def referrals_share(self) -> float | None:
        return share(self.referrals, self.referrals_total)


def share(part: int, whole: int) -> float | None:
    return round_half_up(part, whole) if whole else None


def _by_source(series: Series, period: Period, scope: Scope) -> dict[str, int]:
    rows = (
        series.records(period, scope)
        .values(series.source_field)
        .annotate(n=Count("pk"))
        .order_by()
        .values_list(series.source_field, "n")
    )
    return dict(rows)


def by_source(period: Period, scope: Scope) -> list[SourceRow]:
    """Contacts (by the source recorded on the contact) and referrals (by the census source
    of the referral) from each source that has any, in the census code order."""
    contacts = _by_source(CONTACTS, period, scope)
    referrals = _by_source(REFERRALS, period, scope)
    c_total, r_total = sum(contacts.values()), sum(referrals.values())
    codes = sorted(set(contacts) | set(referrals), key=lambda c: (SOURCE_ORDER.get(c, 99), c))
    return [
        SourceRow(code, contacts.get(code, 0), referrals.get(code, 0), c_total, r_total)
        for code in codes
    ]


# -- The funnel ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    definition: str
    parent: str | None  # the step this one is a part of (its rate is of that step)


STEPS = [
    Step("contacts", "Contacts received", "Contacts whose contact date is in the period.", None),
    Step(
        "referral",
        "Became a referral",
        "Of those contacts, the ones a referral was opened from (the referral records the "
        "contact it came from) with the referral received by the period end.",
        "contacts",
    ),
    Step(
        "assessment",
        "Assessment started",
        "Of those referrals, the ones whose case has an assessment started by the period end.",
        "referral",
    ),
    Step(
        "cin_plan",
        "Assessed as in need: child in need plan",
        "Of those, the ones whose case has an assessment authorised by the period end with "
        "the outcome 'child in need plan'.",
        "assessment",
    ),
    Step(
        "s47",
        "Section 47 enquiry",
        "Of the referrals, the ones whose case has a section 47 enquiry started by the period "
        "end (with or without an assessment first).",
        "referral",
    ),
    Step(
        "icpc",
        "Initial child protection conference",
        "Of those, the ones with an initial conference held by the period end for a section "
        "47 enquiry of the case.",
        "s47",
    ),
    Step(
        "cp_plan",
        "Child protection plan",
        "Of those, the ones whose case has a child protection plan starting by the period end.",
        "icpc",
    ),
]
STEPS_BY_ID = {s.id: s for s in STEPS}


def _step_conditions(end: date) -> dict[str, Q]:
    """For each step, the condition on a contact (cumulative: a step implies its parent)."""
    case = OuterRef("referral__case")
    referral = Q(referral__isnull=False, referral__received_date__lte=end)
    assessment = referral & Q(Exists(Assessment.objects.filter(case=case, start_date__lte=end)))
    cin_plan = assessment & Q(
        Exists(
            Assessment.objects.filter(
                case=case, completed_date__lte=end, outcome=AssessmentOutcome.CIN_PLAN
            )
        )
    )
    s47 = referral & Q(Exists(Section47Enquiry.objects.filter(case=case, start_date__lte=end)))
    icpc = s47 & Q(
        Exists(
            ChildProtectionConference.objects.filter(
                section47__case=case, kind=ConferenceKind.INITIAL, conference_date__lte=end
            )
        )
    )
    cp_plan = icpc & Q(Exists(ChildProtectionPlan.objects.filter(case=case, start_date__lte=end)))
    return {
        "contacts": Q(),
        "referral": referral,
        "assessment": assessment,
        "cin_plan": cin_plan,
        "s47": s47,
        "icpc": icpc,
        "cp_plan": cp_plan,
    }


@dataclass(frozen=True)
class FunnelRow:
    step: Step
    count: int
    parent_count: int | None
    contacts: int

    @property
    def rate(self) -> float | None:
        """Of the step before it."""
        return None if self.parent_count is None else share(self.count, self.parent_count)

    @property
    def of_contacts(self) -> float | None:
        return share(self.count, self.contacts)


def funnel(period: Period, scope: Scope) -> list[FunnelRow]:
    """Every step for the contacts received in the period, as one row of conditional counts."""
    conditions = _step_conditions(period.end)
    counts = CONTACTS.records(period, scope).aggregate(
        **{f"n_{step.id}": Count("pk", filter=conditions[step.id]) for step in STEPS}
    )
    counts = {key[2:]: n for key, n in counts.items()}
    total = counts["contacts"]
    return [
        FunnelRow(step, counts[step.id], counts[step.parent] if step.parent else None, total)
        for step in STEPS
    ]


# -- The children behind a figure ----------------------------------------------------------


def children_behind(
    period: Period, scope: Scope, *, table: str, series: str = "", key: str = ""
) -> list[UUID]:
    """Ids of the children behind one figure: ``table`` "weeks" (``series``, ``key`` the
    week's Monday), "sources" (``series``, ``key`` the source code) or "funnel" (``key`` the
    step). Raises ``KeyError`` or ``ValueError`` for a figure that does not exist."""
    qs = records_behind(period, scope, table=table, series=series, key=key)
    return sorted(set(qs.values_list("child", flat=True)))


def evidence_behind(
    period: Period, scope: Scope, children: list, *, table: str, series: str = "", key: str = ""
) -> Evidence:
    """The dates and codes of the contacts or referrals that put each of ``children`` behind
    the figure ``children_behind`` names, in one query."""
    qs = records_behind(period, scope, table=table, series=series, key=key)
    return evidence_of(qs, "child", children)


def records_behind(
    period: Period, scope: Scope, *, table: str, series: str = "", key: str = ""
) -> QuerySet:
    """The records (contacts, or cases for referrals) behind one figure, each with its
    ``child``."""
    if table == "funnel":
        condition = _step_conditions(period.end)[key]
        qs = CONTACTS.records(period, scope).filter(condition)
    else:
        chosen = SERIES[series]
        if table == "weeks":
            week = date.fromisoformat(key)
            if week not in weeks_in(period):
                raise ValueError("not a week of the period")
            qs = chosen.records(period, scope).filter(
                **{
                    f"{chosen.date_field}__gte": week,
                    f"{chosen.date_field}__lt": week + WEEK,
                }
            )
        elif table == "sources":
            qs = chosen.records(period, scope).filter(**{chosen.source_field: key})
        else:
            raise KeyError(table)
    return qs
