"""Ofsted's ILACS Annex A, lists 1 to 7, for the six months before an as-of date.

Each list is declared once: its title and columns (the headings of Ofsted's workbook "Annex A -
Child level data, Lists 1 - 11", Guidance "Update: August 2019", word for word and in its order)
and a query for the records it holds. The derivation of
every column, and why, is in docs/decisions/0011-annex-a.md; the short version:

- The period runs from the day exactly six calendar months before the as-of date to the
  as-of date itself, both included (31 August: 28 February to 31 August).
- Events (contacts, referrals, section 47 enquiries) are listed when they fall in the period;
  things that last (early help assessments, assessments, child-in-need episodes, plans) when
  they were open on any day of it.
- Everything is as at the as-of date, like the CIN census as at 31 March: a date after it has
  not happened yet, so the same file comes out whenever a past date is exported.
- Categories are written as the template's codes (its Codes_used sheet: "a) Male",
  "a) WBRI", "s) NOBT", "q) 6: Police", "N1 - Abuse or neglect"); codes the DfE added to the
  CIN census since 2019 (source 5D, closure reason RC9) are written in the same style.
- Lists 6 and 7 have one row per child: the most recent episode, or plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from safeguard.accounts.models import LocalAuthority
from safeguard.assessments.models import Assessment, AssessmentOutcome
from safeguard.casework.codes import AFTER_ASSESSMENT_REASONS, VisitKind
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
    EmergencyProtection,
    Section47Enquiry,
    Section47Outcome,
    StrategyDiscussion,
)
from safeguard.referrals.models import Contact
from safeguard.timescales.selectors import SIGHTINGS

PERIOD_MONTHS = 6
# "Number of ... in the last 12 months" looks back this far from the child's latest event.
LOOK_BACK_MONTHS = 12
CHUNK_SIZE = 500

TEXT, DATE, NUMBER = "text", "date", "number"

# --- The template's drop-down values -------------------------------------------------------

YES, NO, UNKNOWN = "a) Yes", "b) No", "c) Unknown"

GENDER = {"M": "a) Male", "F": "b) Female", "U": "c) Not stated/recorded"}
# An unborn child: the template's "c) Not stated/recorded (or unborn)" category.
GENDER_UNBORN = GENDER["U"]

# The template's codes, lettered as it letters them: a) to s), with REFU and NOBT both "s)".
_ETHNICITY_ORDER = (
    *("WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND"),
    *("APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU"),
)
ETHNICITY = {code: f"{chr(ord('a') + i)}) {code}" for i, code in enumerate(_ETHNICITY_ORDER)}
ETHNICITY["NOBT"] = "s) NOBT"

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
    # 5D (LA services: early help) came into the CIN census after the template (August 2019)
    # was lettered; it is slotted in after 5C without re-lettering the template's codes.
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
    # Added to the CIN census after the template (August 2019), in the template's style.
    "RC9": "RC9 - Case closed after assessment, referred to early help",
}

CATEGORY_OF_ABUSE = {
    "NEG": "a) Neglect",
    "PHY": "b) Physical abuse",
    "SAB": "c) Sexual abuse",
    "EMO": "d) Emotional abuse",
    "MUL": "e) Multiple/not recommended",
}

# The template: "If a child is unborn, enter their age as '-1'."
UNBORN_AGE = -1

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
    Column("Age of Child (Years)", "age", NUMBER),
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
    def sheet_name(self) -> str:
        """As the template names its sheets: "List_1"."""
        return f"List_{self.number}"

    @property
    def heading(self) -> str:
        """The template's title above the headings: "List 1: Contacts"."""
        return f"List {self.number}: {self.title}"

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
    # One row per child (the template asks it of lists 6 and 7): the last record the query
    # gives for the child, which is ordered oldest first.
    one_per_child: bool = False


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
        # No lower bound: an enquiry listed for its conference in the period may have started
        # long before it, and its child's count looks back 12 months from there.
        found = defaultdict(list)
        rows = Section47Enquiry.objects.filter(
            case__authority=self.authority, start_date__lte=self.as_of
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
            conference_date__lte=self.as_of,
        )
        for child_id, day in rows.values_list("case__child_id", "conference_date"):
            found[child_id].append(day)
        return found

    @cached_property
    def plans(self) -> dict[Any, list[tuple[date, date | None]]]:
        """Per child: (start, end as at the as-of date) of each plan made by this authority."""
        found = defaultdict(list)
        rows = ChildProtectionPlan.objects.filter(
            case__authority=self.authority, start_date__lte=self.as_of
        )
        for child_id, start, end in rows.values_list("case__child_id", "start_date", "end_date"):
            found[child_id].append((start, self.period.as_at(end)))
        return found

    def on_plan(self, child_id, day: date) -> bool:
        return any(s <= day and (e is None or e > day) for s, e in self.plans[child_id])

    @cached_property
    def emergency_protection(self) -> dict[Any, str]:
        """Per child: "a) Yes" if a strategy discussion in the period found the child in police
        protection or under an emergency protection order; "b) No" if every one recorded
        neither (or there was none); blank if one in the period did not record it."""
        found: dict[Any, str] = defaultdict(lambda: NO)
        rows = StrategyDiscussion.objects.filter(
            case__authority=self.authority,
            discussion_date__gte=self.period.start,
            discussion_date__lte=self.as_of,
        )
        for child_id, value in rows.values_list("case__child_id", "emergency_protection"):
            if value and value != EmergencyProtection.NEITHER:
                found[child_id] = YES
            elif not value and found[child_id] != YES:
                found[child_id] = ""
        return found

    @cached_property
    def last_seen(self) -> dict[Any, date]:
        """Per case: the last day the child was seen by the as-of date, by what the days since
        seen count as a sighting (``timescales.selectors.SIGHTINGS``: a visit at which the
        child was seen, an assessment's date seen, a session of direct work with the child)."""
        seen: dict[Any, date] = {}
        for sighting in SIGHTINGS:
            rows = (
                sighting.model.objects.filter(
                    sighting.seen,
                    case__authority=self.authority,
                    **{f"{sighting.day}__lte": self.as_of},
                )
                .values("case_id")
                .annotate(last=Max(sighting.day))
            )
            for row in rows:
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

    # -- Columns that every list, or several, share.

    def child(self, person: Person) -> dict[str, Any]:
        born = self.period.as_at(person.date_of_birth)
        unborn = born is None and (
            person.expected_date_of_birth is not None or person.date_of_birth is not None
        )
        if unborn:
            # The template: the expected date of birth if there is one, and age -1.
            birth, age = person.expected_date_of_birth, UNBORN_AGE
        else:
            birth, age = born, person.age_on(self.as_of) if born else None
        return {
            "person": person.pk,  # not a column: groups a child's rows
            "child_id": person.la_child_id or str(person.pk),
            "gender": GENDER_UNBORN if unborn else GENDER.get(person.sex, GENDER["U"]),
            "ethnicity": ETHNICITY.get(person.ethnicity, person.ethnicity),
            "date_of_birth": birth,
            "age": age,
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

    @staticmethod
    def _named(allocation: Allocation | None) -> dict[str, str]:
        if allocation is None:
            return {"team": "", "worker": ""}
        return {"team": allocation.team.name, "worker": allocation.worker.get_full_name()}

    def first_allocation(self, case: Case) -> dict[str, str]:
        """The team and worker the referral was allocated to: the case's first allocation
        (made by the as-of date); blank if it had none."""
        made = [a for a in case.allocations.all() if a.start_date <= self.as_of]
        return self._named(min(made, key=lambda a: (a.start_date, a.created_at), default=None))

    def allocation_on(self, case: Case, day: date) -> dict[str, str]:
        """Who held the case on ``day``: the team and worker of an assessment or enquiry
        completed that day (or still in progress on the as-of date)."""
        held = [
            a
            for a in case.allocations.all()
            if a.start_date <= day and (a.end_date is None or a.end_date >= day)
        ]
        return self._named(max(held, key=lambda a: (a.start_date, a.created_at), default=None))

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

    def before_latest(self, events: Iterable[tuple[date, Any]], counted: Iterable[date]) -> int:
        """How many ``counted`` dates fell in the 12 months before the child's latest event
        (by the as-of date), not on its day. The template asks for the number before the
        LATEST referral or enquiry, the same on every row of one child."""
        days = [d for d, _ in events if d <= self.as_of]
        if not days:
            return 0
        latest = max(days)
        since = add_months(latest, -LOOK_BACK_MONTHS)
        return sum(1 for d in counted if since <= d < latest)


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
    referrals = ctx.referral_dates[case.child_id]
    earlier = ctx.before_latest(referrals, (d for d, _ in referrals))
    return (
        ctx.child(case.child)
        | {
            "referral_date": case.referral_date,
            "referral_source": SOURCE.get(case.referral_source, case.referral_source),
            "referral_nfa": _yes_no(case.referral_nfa),
            "referrals_12_months": earlier,
        }
        | ctx.first_allocation(case)
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
        | ctx.allocation_on(assessment.case, authorised or ctx.as_of)
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
    person = enquiry.case.child
    start = enquiry.start_date
    if icpc is not None or (ended and enquiry.outcome == Section47Outcome.SUBSTANTIATED_ICPC):
        unnecessary = NO
    elif ended and ctx.on_plan(person.pk, start):
        # The template: a child already on a plan, who would not go to an initial
        # conference, is still "No".
        unnecessary = NO
    elif ended:
        unnecessary = YES
    else:
        unnecessary = ""  # still open on the as-of date: not decided yet
    enquiries = ctx.section47_dates[person.pk]
    return (
        ctx.child(person)
        | ctx.disability(person)
        | {
            "start_date": start,
            "icpc_unnecessary": unnecessary,
            "icpc_date": icpc.conference_date if icpc else None,
            "icpc_plan": _yes_no(icpc.decision == ConferenceDecision.PLAN) if icpc else "",
            "section47s_12_months": ctx.before_latest(enquiries, (d for d, _ in enquiries)),
            "icpcs_12_months": ctx.before_latest(enquiries, ctx.icpc_dates[person.pk]),
        }
        | ctx.allocation_on(enquiry.case, ended or ctx.as_of)
    )


# --- List 6: children in need ---------------------------------------------------------------


def _past_referral(ctx: _Context) -> Q:
    """The episode went beyond its referral by the as-of date: an assessment, a strategy
    discussion, an enquiry or a plan."""
    on = ctx.as_of
    case = OuterRef("pk")
    return (
        Exists(Assessment.objects.filter(case=case, start_date__lte=on))
        | Exists(StrategyDiscussion.objects.filter(case=case, discussion_date__lte=on))
        | Exists(Section47Enquiry.objects.filter(case=case, start_date__lte=on))
        | Exists(CINPlan.objects.filter(case=case, start_date__lte=on))
        | Exists(ChildProtectionPlan.objects.filter(case=case, start_date__lte=on))
    )


def _children_in_need(ctx: _Context) -> QuerySet:
    """Episodes open on any day of the period, except those of a child who was only the
    subject of a referral (the template's Guidance): a referral decided "no further action",
    one not yet decided, and (its FAQ) an episode closed after assessment with no service,
    RC8 or the DfE's later RC9. Each child's most recent one is kept (``one_per_child``)."""
    closed_without_service = Q(
        closure_date__lte=ctx.as_of, closure_reason__in=AFTER_ASSESSMENT_REASONS
    )
    return (
        ctx.cases()
        .filter(_open_in(ctx.period, "referral_date", "closure_date"))
        .filter(_past_referral(ctx))
        .exclude(referral_nfa=True)
        .exclude(closed_without_service)
        .select_related("child")
        .prefetch_related(_allocations())
        .order_by("referral_date", "created_at", "pk")
    )


def _case_status(ctx: _Context, case: Case, closed: date | None) -> str:
    if closed is not None:
        return STATUS_CLOSED
    if case.pk in ctx.cases_on_cp_plan:
        return STATUS_CP_PLAN
    if case.pk in ctx.cases_on_cin_plan:
        return STATUS_CIN_PLAN
    # An assessment or enquiry in progress; or one finished whose decision has not yet been
    # carried out (the child is still being assessed for a service). Never blank.
    return STATUS_OPEN_ASSESSMENT


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
        .order_by("start_date", "created_at", "pk")
    )


def _protection_row(ctx: _Context, plan: ChildProtectionPlan) -> dict[str, Any]:
    ended = ctx.period.as_at(plan.end_date)
    until = ended or ctx.as_of
    visit = next(
        (v for v in plan.case.statutory_visits if plan.start_date <= v.visit_date <= until), None
    )
    review = next((c for c in plan.review_conferences if c.conference_date <= until), None)
    person = plan.case.child
    # The template: plans made by this authority only; plans recorded as held in other
    # authorities (``previous_plans_elsewhere``) "should not be counted".
    here_before = sum(1 for s, _ in ctx.plans[person.pk] if s < plan.start_date)
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
            "epo": ctx.emergency_protection[person.pk],
            "previous_plans": here_before,
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
        "Early Help",
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
        "Referral",
        (
            *CHILD_COLUMNS,
            Column("Date of referral", "referral_date", DATE),
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
                "Was the child assessed as requiring LA children\u2019s social care support",
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
        "Section 47 enquiries and Initial Child Protection Conferences",
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
        "Children in Need",
        (
            *CHILD_COLUMNS,
            DISABILITY,
            Column("CIN Start Date", "cin_start", DATE),
            Column("Primary Need Code", "primary_need"),
            Column("Date Child Was Last Seen", "last_seen", DATE),
            Column("CIN Closure Date", "closure_date", DATE),
            Column("Reason for Closure", "closure_reason"),
            Column("Case status", "case_status"),
            *ALLOCATED,
        ),
        _children_in_need,
        _child_in_need_row,
        "cin_start",
        one_per_child=True,
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
        one_per_child=True,
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
        if spec.one_per_child:
            rows = list({r["person"]: r for r in rows}.values())
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
