"""Ofsted's ILACS Annex A, lists 1 to 7, for the six months before an as-of date.

Each list is declared once: its columns (header text as Ofsted's template words it, in the
template's order, standards.md §4) and a query for the records it holds. The derivation of
every column, and why, is in docs/decisions/0011-annex-a.md; the short version:

- The period runs from the day exactly six calendar months before the as-of date to the
  as-of date itself, both included (31 August: 28 February to 31 August).
- Events (contacts, referrals, section 47 enquiries) are listed when they fall in the period;
  things that last (early help assessments, assessments, child-in-need episodes, plans) when
  they were open on any day of it.
- Everything is as at the as-of date, like the CIN census as at 31 March: a date after it has
  not happened yet, so the same file comes out whenever a past date is exported.
- Categories are written as the template's drop-down values ("a) Male", "a) WBRI",
  "q) 6: Police", "N1 - Abuse or neglect"), as encoded by liiatools' Annex A schema.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils import timezone

from safeguard.accounts.models import LocalAuthority
from safeguard.assessments.models import Assessment, AssessmentOutcome
from safeguard.casework.codes import VisitKind
from safeguard.casework.models import Allocation, Case, CINPlan, Visit
from safeguard.core.errors import ApplicationError
from safeguard.core.workdays import add_months
from safeguard.earlyhelp.models import EarlyHelpAssessment
from safeguard.people.models import Person
from safeguard.protection.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    ConferenceDecision,
    ConferenceKind,
    Section47Enquiry,
    Section47Outcome,
)
from safeguard.referrals.models import Contact

PERIOD_MONTHS = 6
# "Number of ... in the last 12 months" looks back this far from each row's own event.
LOOK_BACK_MONTHS = 12
CHUNK_SIZE = 500

TEXT, DATE, NUMBER = "text", "date", "number"

# --- The template's drop-down values -------------------------------------------------------

YES, NO, UNKNOWN = "a) Yes", "b) No", "c) Unknown"

GENDER = {"M": "a) Male", "F": "b) Female", "U": "c) Not stated/recorded"}
# An unborn child: the template's "c) Not stated/recorded (or unborn)" category.
GENDER_UNBORN = GENDER["U"]

# The template's order: the 20 CIN census codes, lettered a) to t).
_ETHNICITY_ORDER = (
    *("WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND"),
    *("APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"),
)
ETHNICITY = {code: f"{chr(ord('a') + i)}) {code}" for i, code in enumerate(_ETHNICITY_ORDER)}

SOURCE = {
    "1A": "a) 1A: Individual",
    "1B": "b) 1B: Individual",
    "1C": "c) 1C: Individual",
    "1D": "d) 1D: Individual",
    "2A": "e) 2A: Schools",
    "2B": "f) 2B: Education services",
    "3A": "g) 3A: Health services",
    "3B": "h) 3B: Health services",
    "3C": "i) 3C: Health services",
    "3D": "j) 3D: Health services",
    "3E": "k) 3E: Health services",
    "3F": "l) 3F: Health services",
    "4": "m) 4: Housing",
    "5A": "n) 5A: LA services",
    "5B": "o) 5B: LA services",
    "5C": "p) 5C: LA services",
    # 5D came after the lettering was set; the template slots it in as "p1".
    "5D": "p1) 5D: LA services",
    "6": "q) 6: Police",
    "7": "r) 7: Other legal agency",
    "8": "s) 8: Other",
    "9": "t) 9: Anonymous",
    "10": "u) 10: Unknown",
}

PRIMARY_NEED = {
    "N1": "N1 - Abuse or neglect",
    "N2": "N2 - Child\u2019s disability",
    "N3": "N3 - Parental disability or illness",
    "N4": "N4 - Family in acute stress",
    "N5": "N5 - Family dysfunction",
    "N6": "N6 - Socially unacceptable behaviour",
    "N7": "N7 - Low income",
    "N8": "N8 - Absent parenting",
    "N9": "N9 - Cases other than children in need",
    "N0": "N0 - Not stated",
}

CLOSURE_REASON = {
    "RC1": "RC1 - Adopted",
    "RC2": "RC2 - Died",
    "RC3": "RC3 - Child arrangements order",
    "RC4": "RC4 - Special guardianship order",
    "RC5": "RC5 - Transferred to services of another local authority",
    "RC6": "RC6 - Transferred to adult social care services",
    "RC7": "RC7 - Services ceased for any other reason, including child no longer in need",
    "RC8": "RC8 - Case closed after assessment, no further action",
    "RC9": "RC9 - Case closed after assessment, referred to early help",
}

CATEGORY_OF_ABUSE = {
    "NEG": "a) Neglect",
    "PHY": "b) Physical abuse",
    "SAB": "c) Sexual abuse",
    "EMO": "d) Emotional abuse",
    "MUL": "e) Multiple/not recommended",
}

STATUS_LOOKED_AFTER = "a) Looked after child"  # not recorded in Safeguard: never written
STATUS_CP_PLAN = "b) Child Protection plan"
STATUS_CIN_PLAN = "c) Child in need plan"
STATUS_OPEN_ASSESSMENT = "d) Open assessment"
STATUS_CLOSED = "e) Closed episode"

# An authorised assessment whose outcome keeps the child with children's social care.
_NEEDS_SUPPORT = {
    AssessmentOutcome.CIN_PLAN: YES,
    AssessmentOutcome.STRATEGY_DISCUSSION: YES,
    AssessmentOutcome.CORE_ASSESSMENT: YES,
    AssessmentOutcome.NO_FURTHER_ACTION: NO,
    AssessmentOutcome.EARLY_HELP: NO,
}


def _yes_no(flag: bool) -> str:
    return YES if flag else NO


# --- The period ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnnexAPeriod:
    """The six months Annex A covers, ending on (and including) the as-of date."""

    as_of: date

    @classmethod
    def parse(cls, text: str, *, today: date | None = None) -> AnnexAPeriod:
        """``"2026-09-30"`` -> the period to 30 September 2026; a clear ``ApplicationError``
        for anything else, or for a date after today."""
        today = today or timezone.localdate()
        try:
            as_of = date.fromisoformat((text or "").strip())
        except ValueError:
            raise ApplicationError(
                f"Give the as-of date as YYYY-MM-DD, like 2026-09-30, not {text!r}."
            ) from None
        if as_of > today:
            raise ApplicationError(
                f"The as-of date {as_of:%d %B %Y} is after today: Annex A lists what has "
                "already happened."
            )
        if as_of.year < 2000:
            raise ApplicationError(f"The as-of date {as_of.isoformat()} is out of range.")
        return cls(as_of)

    @property
    def start(self) -> date:
        """The day exactly six calendar months before the as-of date (clamped to the end of a
        shorter month)."""
        return add_months(self.as_of, -PERIOD_MONTHS)

    def __contains__(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.as_of

    def as_at(self, day: date | None) -> date | None:
        """A date after the as-of date has not happened yet for this export."""
        return day if day is not None and day <= self.as_of else None

    def __str__(self) -> str:
        return f"{self.start:%d %B %Y} to {self.as_of:%d %B %Y}"


def _open_in(period: AnnexAPeriod, start: str, end: str) -> Q:
    """Records that started by the as-of date and had not ended before the period began."""
    return Q(**{f"{start}__lte": period.as_of}) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": period.start})
    )


# --- Columns and lists -----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    kind: str = TEXT


CHILD_COLUMNS = (
    Column("Child Unique ID", "child_id"),
    Column("Gender", "gender"),
    Column("Ethnicity", "ethnicity"),
    Column("Date of Birth", "date_of_birth", DATE),
    Column("Age", "age", NUMBER),
)
DISABILITY = Column("Does the Child have a Disability", "disability")
ALLOCATED = (Column("Allocated Team", "team"), Column("Allocated Worker", "worker"))


@dataclass(frozen=True)
class AnnexAList:
    """One sheet: its number, title, columns and rows (values in column order)."""

    number: int
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def records(self) -> list[dict[str, Any]]:
        """Each row as {header: value}."""
        return [dict(zip(self.headers, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class AnnexA:
    period: AnnexAPeriod
    authority_name: str
    la_code: str
    lists: tuple[AnnexAList, ...]


Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class _Spec:
    number: int
    title: str
    columns: tuple[Column, ...]
    records: Callable[[_Context], QuerySet]
    row: Callable[[_Context, Any], dict[str, Any]]
    # Rows are sorted by this column, then by child.
    sort_key: str


# --- What every list reads -------------------------------------------------------------------


class _Context:
    """The authority, the period, and look-ups shared by the rows (each one query, made the
    first time a list needs it)."""

    def __init__(self, *, authority: LocalAuthority, period: AnnexAPeriod):
        self.authority = authority
        self.period = period
        self.as_of = period.as_of
        self.look_back_from = add_months(period.start, -LOOK_BACK_MONTHS)

    def cases(self) -> QuerySet:
        return Case.objects.filter(authority=self.authority)

    @cached_property
    def referral_dates(self) -> dict[Any, list[tuple[date, Any]]]:
        found = defaultdict(list)
        rows = self.cases().filter(
            referral_date__gte=self.look_back_from, referral_date__lte=self.as_of
        )
        for child_id, day, pk in rows.values_list("child_id", "referral_date", "pk"):
            found[child_id].append((day, pk))
        return found

    @cached_property
    def section47_dates(self) -> dict[Any, list[tuple[date, Any]]]:
        found = defaultdict(list)
        rows = Section47Enquiry.objects.filter(
            case__authority=self.authority,
            start_date__gte=self.look_back_from,
            start_date__lte=self.as_of,
        )
        for child_id, day, pk in rows.values_list("case__child_id", "start_date", "pk"):
            found[child_id].append((day, pk))
        return found

    @cached_property
    def icpc_dates(self) -> dict[Any, list[date]]:
        found = defaultdict(list)
        rows = ChildProtectionConference.objects.filter(
            case__authority=self.authority,
            kind=ConferenceKind.INITIAL,
            conference_date__gte=self.look_back_from,
            conference_date__lte=self.as_of,
        )
        for child_id, day in rows.values_list("case__child_id", "conference_date"):
            found[child_id].append(day)
        return found

    @cached_property
    def plan_starts(self) -> dict[Any, list[date]]:
        found = defaultdict(list)
        rows = ChildProtectionPlan.objects.filter(
            case__authority=self.authority, start_date__lte=self.as_of
        )
        for child_id, day in rows.values_list("case__child_id", "start_date"):
            found[child_id].append(day)
        return found

    @cached_property
    def last_seen(self) -> dict[Any, date]:
        """Per case: the last day the child was seen, on a visit or in an assessment."""
        seen: dict[Any, date] = {}
        visits = (
            Visit.objects.filter(
                case__authority=self.authority, child_seen=True, visit_date__lte=self.as_of
            )
            .values("case_id")
            .annotate(last=Max("visit_date"))
        )
        assessments = (
            Assessment.objects.filter(
                case__authority=self.authority, child_seen_date__lte=self.as_of
            )
            .values("case_id")
            .annotate(last=Max("child_seen_date"))
        )
        for row in [*visits, *assessments]:
            if row["case_id"] not in seen or row["last"] > seen[row["case_id"]]:
                seen[row["case_id"]] = row["last"]
        return seen

    def _open_on_as_of(self, model, start: str, end: str, **more) -> set:
        """Cases with a record of ``model`` open on the as-of date (an end on the day
        itself counts as ended, as ``Case.is_open_on`` does)."""
        rows = model.objects.filter(
            Q(**{f"{start}__lte": self.as_of})
            & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": self.as_of})),
            case__authority=self.authority,
            **more,
        )
        return set(rows.values_list("case_id", flat=True))

    @cached_property
    def cases_on_cp_plan(self) -> set:
        return self._open_on_as_of(ChildProtectionPlan, "start_date", "end_date")

    @cached_property
    def cases_on_cin_plan(self) -> set:
        return self._open_on_as_of(CINPlan, "start_date", "end_date")

    @cached_property
    def cases_assessing(self) -> set:
        return self._open_on_as_of(
            Assessment, "start_date", "completed_date"
        ) | self._open_on_as_of(Section47Enquiry, "start_date", "end_date")

    # -- Columns that every list, or several, share.

    def child(self, person: Person) -> dict[str, Any]:
        born = self.period.as_at(person.date_of_birth)
        unborn = born is None and (
            person.expected_date_of_birth is not None or person.date_of_birth is not None
        )
        return {
            "child_id": person.la_child_id or str(person.pk),
            "gender": GENDER_UNBORN if unborn else GENDER.get(person.sex, GENDER["U"]),
            "ethnicity": ETHNICITY.get(person.ethnicity, person.ethnicity),
            "date_of_birth": born,
            "age": person.age_on(self.as_of) if born else None,
        }

    @staticmethod
    def disability(person: Person) -> dict[str, str]:
        codes = set(person.disabilities or ())
        if not codes:
            value = UNKNOWN
        elif codes == {"NONE"}:
            value = NO
        else:
            value = YES
        return {"disability": value}

    def allocation(self, case: Case) -> dict[str, str]:
        """Who holds the case on the as-of date; for a case closed by then, who held it when
        it closed. An open case with no allocation on the day is left blank (unallocated)."""
        closure = self.period.as_at(case.closure_date)
        on = closure or self.as_of
        held = [a for a in case.allocations.all() if a.start_date <= on]
        if closure is None:
            held = [a for a in held if a.end_date is None or a.end_date >= on]
        if not held:
            return {"team": "", "worker": ""}
        latest = max(held, key=lambda a: (a.start_date, a.created_at))
        return {"team": latest.team.name, "worker": latest.worker.get_full_name()}

    @staticmethod
    def earlier_within(
        day: date, events: Iterable[tuple[date, Any]], *, exclude: Any = None
    ) -> int:
        """How many ``events`` fell in the 12 months before ``day`` (not on it, nor itself)."""
        since = add_months(day, -LOOK_BACK_MONTHS)
        return sum(1 for d, pk in events if since <= d < day and pk != exclude)


def _allocations(through: str = "") -> Prefetch:
    return Prefetch(
        f"{through}allocations", queryset=Allocation.objects.select_related("team", "worker")
    )


# --- List 1: contacts -----------------------------------------------------------------------


def _contacts(ctx: _Context) -> QuerySet:
    return (
        Contact.objects.filter(
            authority=ctx.authority,
            contact_date__gte=ctx.period.start,
            contact_date__lte=ctx.as_of,
        )
        .select_related("child")
        .order_by("contact_date", "pk")
    )


def _contact_row(ctx: _Context, contact: Contact) -> dict[str, Any]:
    return ctx.child(contact.child) | {
        "contact_date": contact.contact_date,
        "contact_source": SOURCE.get(contact.source, contact.source),
    }


# --- List 2: early help assessments ---------------------------------------------------------


def _early_help(ctx: _Context) -> QuerySet:
    return (
        EarlyHelpAssessment.objects.filter(
            _open_in(ctx.period, "start_date", "completed_date"), authority=ctx.authority
        )
        .select_related("child", "organisation")
        .order_by("start_date", "pk")
    )


def _early_help_row(ctx: _Context, eha: EarlyHelpAssessment) -> dict[str, Any]:
    return ctx.child(eha.child) | {
        "start_date": eha.start_date,
        "completed_date": ctx.period.as_at(eha.completed_date),
        "organisation": eha.organisation_name,
    }


# --- List 3: referrals ----------------------------------------------------------------------


def _referrals(ctx: _Context) -> QuerySet:
    return (
        ctx.cases()
        .filter(referral_date__gte=ctx.period.start, referral_date__lte=ctx.as_of)
        .select_related("child")
        .prefetch_related(_allocations())
        .order_by("referral_date", "pk")
    )


def _referral_row(ctx: _Context, case: Case) -> dict[str, Any]:
    earlier = ctx.earlier_within(
        case.referral_date, ctx.referral_dates[case.child_id], exclude=case.pk
    )
    return (
        ctx.child(case.child)
        | {
            "referral_date": case.referral_date,
            "referral_source": SOURCE.get(case.referral_source, case.referral_source),
            "referral_nfa": _yes_no(case.referral_nfa),
            "referrals_12_months": earlier,
        }
        | ctx.allocation(case)
    )


# --- List 4: assessments --------------------------------------------------------------------


def _assessments(ctx: _Context) -> QuerySet:
    return (
        Assessment.objects.filter(
            _open_in(ctx.period, "start_date", "completed_date"), case__authority=ctx.authority
        )
        .select_related("case__child")
        .prefetch_related(_allocations("case__"))
        .order_by("start_date", "pk")
    )


def _assessment_row(ctx: _Context, assessment: Assessment) -> dict[str, Any]:
    authorised = ctx.period.as_at(assessment.completed_date)
    person = assessment.case.child
    return (
        ctx.child(person)
        | ctx.disability(person)
        | {
            "start_date": assessment.start_date,
            "child_seen": _yes_no(ctx.period.as_at(assessment.child_seen_date) is not None),
            "authorised": authorised,
            "requires_support": _NEEDS_SUPPORT.get(assessment.outcome, "") if authorised else "",
        }
        | ctx.allocation(assessment.case)
    )


# --- List 5: section 47 enquiries and initial conferences ------------------------------------


def _section47s(ctx: _Context) -> QuerySet:
    icpc_in_period = Q(
        conferences__kind=ConferenceKind.INITIAL,
        conferences__conference_date__gte=ctx.period.start,
        conferences__conference_date__lte=ctx.as_of,
    )
    in_period = Q(start_date__gte=ctx.period.start, start_date__lte=ctx.as_of)
    ids = (
        Section47Enquiry.objects.filter(case__authority=ctx.authority)
        .filter(in_period | icpc_in_period)
        .values("pk")
    )
    return (
        Section47Enquiry.objects.filter(pk__in=ids)
        .select_related("case__child")
        .prefetch_related(
            _allocations("case__"),
            Prefetch(
                "conferences",
                queryset=ChildProtectionConference.objects.filter(
                    kind=ConferenceKind.INITIAL, conference_date__lte=ctx.as_of
                ).order_by("conference_date", "created_at"),
                to_attr="initial_conferences",
            ),
        )
        .order_by("start_date", "pk")
    )


def _section47_row(ctx: _Context, enquiry: Section47Enquiry) -> dict[str, Any]:
    icpc = enquiry.initial_conferences[0] if enquiry.initial_conferences else None
    ended = ctx.period.as_at(enquiry.end_date)
    if icpc is not None or (ended and enquiry.outcome == Section47Outcome.SUBSTANTIATED_ICPC):
        unnecessary = NO
    elif ended:
        unnecessary = YES
    else:
        unnecessary = ""  # still open on the as-of date: not decided yet
    person = enquiry.case.child
    start = enquiry.start_date
    since = add_months(start, -LOOK_BACK_MONTHS)
    return (
        ctx.child(person)
        | ctx.disability(person)
        | {
            "start_date": start,
            "icpc_unnecessary": unnecessary,
            "icpc_date": icpc.conference_date if icpc else None,
            "icpc_plan": _yes_no(icpc.decision == ConferenceDecision.PLAN) if icpc else "",
            "section47s_12_months": ctx.earlier_within(
                start, ctx.section47_dates[person.pk], exclude=enquiry.pk
            ),
            "icpcs_12_months": sum(1 for d in ctx.icpc_dates[person.pk] if since <= d < start),
        }
        | ctx.allocation(enquiry.case)
    )


# --- List 6: children in need ---------------------------------------------------------------


def _children_in_need(ctx: _Context) -> QuerySet:
    return (
        ctx.cases()
        .filter(_open_in(ctx.period, "referral_date", "closure_date"))
        .select_related("child")
        .prefetch_related(_allocations())
        .order_by("referral_date", "pk")
    )


def _case_status(ctx: _Context, case: Case, closed: date | None) -> str:
    if closed is not None:
        return STATUS_CLOSED
    if case.pk in ctx.cases_on_cp_plan:
        return STATUS_CP_PLAN
    if case.pk in ctx.cases_on_cin_plan:
        return STATUS_CIN_PLAN
    if case.pk in ctx.cases_assessing:
        return STATUS_OPEN_ASSESSMENT
    return ""  # open, awaiting a decision: none of the template's statuses fits


def _child_in_need_row(ctx: _Context, case: Case) -> dict[str, Any]:
    closed = ctx.period.as_at(case.closure_date)
    return (
        ctx.child(case.child)
        | ctx.disability(case.child)
        | {
            "cin_start": case.referral_date,
            "primary_need": PRIMARY_NEED.get(case.primary_need, case.primary_need),
            "last_seen": ctx.last_seen.get(case.pk),
            "closure_date": closed,
            "closure_reason": CLOSURE_REASON.get(case.closure_reason, case.closure_reason)
            if closed
            else "",
            "case_status": _case_status(ctx, case, closed),
        }
        | ctx.allocation(case)
    )


# --- List 7: child protection ---------------------------------------------------------------


def _protection_plans(ctx: _Context) -> QuerySet:
    return (
        ChildProtectionPlan.objects.filter(
            _open_in(ctx.period, "start_date", "end_date"), case__authority=ctx.authority
        )
        .select_related("case__child")
        .prefetch_related(
            _allocations("case__"),
            Prefetch(
                "case__visits",
                queryset=Visit.objects.filter(
                    kind=VisitKind.CHILD_PROTECTION, visit_date__lte=ctx.as_of
                ).order_by("-visit_date", "-created_at"),
                to_attr="statutory_visits",
            ),
            Prefetch(
                "conferences",
                queryset=ChildProtectionConference.objects.filter(
                    kind=ConferenceKind.REVIEW, conference_date__lte=ctx.as_of
                ).order_by("-conference_date", "-created_at"),
                to_attr="review_conferences",
            ),
        )
        .order_by("start_date", "pk")
    )


def _protection_row(ctx: _Context, plan: ChildProtectionPlan) -> dict[str, Any]:
    ended = ctx.period.as_at(plan.end_date)
    until = ended or ctx.as_of
    visit = next(
        (v for v in plan.case.statutory_visits if plan.start_date <= v.visit_date <= until), None
    )
    review = next((c for c in plan.review_conferences if c.conference_date <= until), None)
    person = plan.case.child
    here_before = sum(1 for s in ctx.plan_starts[person.pk] if s < plan.start_date)
    return (
        ctx.child(person)
        | ctx.disability(person)
        | {
            "plan_start": plan.start_date,
            "initial_category": CATEGORY_OF_ABUSE.get(plan.initial_category, ""),
            "latest_category": CATEGORY_OF_ABUSE.get(plan.latest_category, ""),
            "last_visit": visit.visit_date if visit else None,
            "seen_alone": _yes_no(visit.child_seen_alone) if visit else "",
            "latest_review": review.conference_date if review else None,
            "plan_end": ended,
            # Emergency protection orders and police protection are not recorded in
            # Safeguard: left blank rather than guessed.
            "epo": "",
            "previous_plans": here_before + plan.previous_plans_elsewhere,
        }
        | ctx.allocation(plan.case)
    )


# --- The lists, in the template's column order ----------------------------------------------

LISTS: tuple[_Spec, ...] = (
    _Spec(
        1,
        "Contacts",
        (
            *CHILD_COLUMNS,
            Column("Date of Contact", "contact_date", DATE),
            Column("Contact Source", "contact_source"),
        ),
        _contacts,
        _contact_row,
        "contact_date",
    ),
    _Spec(
        2,
        "Early help assessments",
        (
            *CHILD_COLUMNS,
            Column("Assessment start date", "start_date", DATE),
            Column("Assessment completion date", "completed_date", DATE),
            Column("Organisation completing assessment", "organisation"),
        ),
        _early_help,
        _early_help_row,
        "start_date",
    ),
    _Spec(
        3,
        "Referrals",
        (
            *CHILD_COLUMNS,
            Column("Date of Referral", "referral_date", DATE),
            Column("Referral Source", "referral_source"),
            Column("Referral NFA?", "referral_nfa"),
            Column("Number of Referrals in Last 12 Months", "referrals_12_months", NUMBER),
            *ALLOCATED,
        ),
        _referrals,
        _referral_row,
        "referral_date",
    ),
    _Spec(
        4,
        "Assessments",
        (
            *CHILD_COLUMNS,
            DISABILITY,
            Column("Continuous Assessment Start Date", "start_date", DATE),
            Column("Child Seen During Continuous Assessment", "child_seen"),
            Column("Continuous Assessment Date of Authorisation", "authorised", DATE),
            Column(
                "Was the child assessed as requiring LA children's social care support?",
                "requires_support",
            ),
            *ALLOCATED,
        ),
        _assessments,
        _assessment_row,
        "start_date",
    ),
    _Spec(
        5,
        "Section 47 enquiries and ICPCs",
        (
            *CHILD_COLUMNS,
            DISABILITY,
            Column(
                "Strategy discussion initiating Section 47 Enquiry Start Date", "start_date", DATE
            ),
            Column(
                "Was an Initial Child Protection Conference deemed unnecessary?",
                "icpc_unnecessary",
            ),
            Column("Date of Initial Child Protection Conference", "icpc_date", DATE),
            Column(
                "Did the Initial Child Protection Conference Result in a Child Protection Plan",
                "icpc_plan",
            ),
            Column(
                "Number of Section 47 Enquiries in the last 12 months",
                "section47s_12_months",
                NUMBER,
            ),
            Column("Number of ICPCs in the last 12 months", "icpcs_12_months", NUMBER),
            *ALLOCATED,
        ),
        _section47s,
        _section47_row,
        "start_date",
    ),
    _Spec(
        6,
        "Children in need",
        (
            *CHILD_COLUMNS,
            DISABILITY,
            Column("CIN Start Date", "cin_start", DATE),
            Column("Primary Need Code", "primary_need"),
            Column("Date Child Was Last Seen", "last_seen", DATE),
            Column("CIN Closure Date", "closure_date", DATE),
            Column("Reason for Closure", "closure_reason"),
            Column("Case Status", "case_status"),
            *ALLOCATED,
        ),
        _children_in_need,
        _child_in_need_row,
        "cin_start",
    ),
    _Spec(
        7,
        "Child protection",
        (
            *CHILD_COLUMNS,
            DISABILITY,
            Column("Child Protection Plan Start Date", "plan_start", DATE),
            Column("Initial Category of Abuse", "initial_category"),
            Column("Latest Category of Abuse", "latest_category"),
            Column("Date of the Last Statutory Visit", "last_visit", DATE),
            Column("Was the Child Seen Alone?", "seen_alone"),
            Column("Date of latest review conference", "latest_review", DATE),
            Column("Child Protection Plan End Date", "plan_end", DATE),
            Column(
                "Subject to Emergency Protection Order or Protected Under Police Powers in "
                "Last Six Months (Y/N)",
                "epo",
            ),
            Column("Number of Previous Child Protection Plans", "previous_plans", NUMBER),
            *ALLOCATED,
        ),
        _protection_plans,
        _protection_row,
        "plan_start",
    ),
)


def build_annex_a(
    *, authority: LocalAuthority, period: AnnexAPeriod, progress: Progress | None = None
) -> AnnexA:
    """Lists 1 to 7 for ``authority`` over ``period``; ``progress(done, total)`` is called
    as records are read."""
    ctx = _Context(authority=authority, period=period)
    querysets = [spec.records(ctx) for spec in LISTS]
    total = sum(qs.count() for qs in querysets)
    done = 0
    if progress:
        progress(0, total)
    lists = []
    for spec, queryset in zip(LISTS, querysets, strict=True):
        rows = []
        for record in queryset.iterator(chunk_size=CHUNK_SIZE):
            rows.append(spec.row(ctx, record))
            done += 1
            if progress:
                progress(done, total)
        rows.sort(key=lambda r, k=spec.sort_key: (r[k], r["child_id"]))
        lists.append(
            AnnexAList(
                number=spec.number,
                title=spec.title,
                columns=spec.columns,
                rows=tuple(tuple(r[c.key] for c in spec.columns) for r in rows),
            )
        )
    return AnnexA(
        period=period,
        authority_name=authority.name,
        la_code=authority.dfe_la_code,
        lists=tuple(lists),
    )
