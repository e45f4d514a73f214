"""Every indicator of kpis.md, as declarative definitions computed in the database.

Each ``Indicator`` names its id, title and kind, quotes its definition, and gives two
querysets for a period: the *denominator* (for a count, the records counted) and, for a
rate or a value, the *numerator*. The ``kpis`` command, the dashboard and the drill-down
lists all read these definitions, so a figure and the children behind it cannot disagree.

Dates are compared in SQL. Working days and month arithmetic come from the calendar table
(``performance.calendar``): ``wd(a, b)`` is a difference of working-day indexes and
``add_months`` is a looked-up column, so SQLite and PostgreSQL agree to the day.

A figure can be narrowed to an authority, a team or a worker (``Scope``). A record belongs to
the worker (and team) whose allocation of its case was open on the record's own date (the
referral date, the authorisation date, the conference date, or the period end for what is
open on it); when none was, to the case's first allocation after that date. Staff-based
indicators (caseload, supervision) belong to the allocation itself. Records on a case that
was never allocated belong to the authority only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from django.db.models import Case as DbCase
from django.db.models import (
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Abs, Coalesce, Lead

from safeguard.assessments.models import Assessment, AssessmentKind
from safeguard.casework.models import Allocation, Case, Visit
from safeguard.performance.calendar import index_of, months_from, wd
from safeguard.protection.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    ConferenceKind,
    CoreGroupMeeting,
    Section47Enquiry,
)
from safeguard.referrals.models import Referral
from safeguard.supervision.selectors import supervised_staff

# Local standards without a setting on the authority (kpis.md section 4 defaults).
REFERRAL_DECISION_WD = 1
FIRST_CORE_GROUP_WD = 10


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("The period ends before it starts")


@dataclass(frozen=True)
class Scope:
    """Whose figures: the whole database, one authority, one team or one worker."""

    authority_id: int | None = None
    team_id: int | None = None
    worker_id: int | None = None


@dataclass(frozen=True)
class Indicator:
    id: str
    title: str
    kind: str  # "count", "rate" or "value"
    section: int
    definition: str
    denominator: Callable[[Period], QuerySet]
    numerator: Callable[[Period], QuerySet] | None = None
    numerator_text: str = ""
    denominator_text: str = ""
    # What is counted (distinct) in each queryset.
    count_denominator: str = "pk"
    count_numerator: str = "pk"
    # Path from the queryset's model to its Case ("" for Case itself).
    case_path: str = "case"
    # The record's own date, for attribution to a worker; None means the period end.
    as_of: str | None = None
    # Counted per allocation (worker and team are the allocation's own).
    staff: bool = False
    # Section 3 indicators are present only when their data exist.
    present: Callable[[Period], bool] | None = None
    # Path from the queryset's model to the child, for drill-down lists.
    child_path: str = "case__child"
    # The one date that puts a record in a period ("in period" indicators), so that a trend
    # can be one query grouped by month; None for what is open on the period end.
    period_field: str | None = None
    # The definition in plain English for the reader (``PLAIN_DEFINITIONS``); ``definition``
    # keeps the exact rule, shown beside it.
    plain: str = ""


def open_on(day: date, start: str = "start_date", end: str = "end_date") -> Q:
    """``s <= t`` and (``e`` is empty or ``e > t``)."""
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": day}))


def in_period(name: str, period: Period) -> Q:
    return Q(**{f"{name}__gte": period.start, f"{name}__lte": period.end})


def _wd_filter(qs: QuerySet, start, end, low: int | None, high: int | None) -> QuerySet:
    qs = qs.annotate(_wd=wd(start, end))
    if low is not None and high is not None:
        # low <= wd <= high as one comparison, |2 wd - (low + high)| <= high - low (exact for
        # whole numbers), so that the working-day difference and its two calendar look-ups
        # are computed once per record rather than once for each bound (PostgreSQL expands a
        # BETWEEN into two comparisons, each with its own copy of the expression).
        distance = Abs(ExpressionWrapper(2 * F("_wd") - (low + high), output_field=IntegerField()))
        return qs.annotate(_wd_off=distance).filter(_wd_off__lte=high - low)
    if low is not None:
        qs = qs.filter(_wd__gte=low)
    if high is not None:
        qs = qs.filter(_wd__lte=high)
    return qs


# -- Referrals (CIN episodes) -------------------------------------------------------------


def referrals(p: Period) -> QuerySet:
    return Case.objects.filter(in_period("referral_date", p))


def rereferrals(p: Period) -> QuerySet:
    earlier = Case.objects.filter(
        child=OuterRef("child"),
        referral_date__lt=OuterRef("referral_date"),
        referral_date__gte=OuterRef("_lookback"),
    )
    return (
        referrals(p)
        .annotate(_lookback=months_from("referral_date", "minus_12_months"))
        .filter(Exists(earlier))
    )


def referrals_nfa(p: Period) -> QuerySet:
    return referrals(p).filter(referral_nfa=True)


def cin_open_at_end(p: Period) -> QuerySet:
    # A referral marked NFA counts as closed on its referral date: never open on a later day,
    # nor on that day itself (open means end > t).
    return Case.objects.filter(open_on(p.end, "referral_date", "closure_date"), referral_nfa=False)


# -- Assessments --------------------------------------------------------------------------


def assessments_completed(p: Period) -> QuerySet:
    return Assessment.objects.filter(in_period("completed_date", p))


def assessments_within_45wd(p: Period) -> QuerySet:
    return _wd_filter(assessments_completed(p), "start_date", "completed_date", 0, 45)


def _kind_completed(p: Period, kind: str) -> QuerySet:
    return assessments_completed(p).filter(kind=kind)


def ni59_numerator(p: Period) -> QuerySet:
    # The first initial assessment of an episode is timed from the referral; a re-assessment
    # (an initial assessment started after an earlier one on the same episode) from its own
    # start, as the engine's initial assessment clock (timescales.events) times it.
    earlier = Assessment.objects.filter(
        case=OuterRef("case"), kind=AssessmentKind.INITIAL, start_date__lt=OuterRef("start_date")
    )
    qs = _kind_completed(p, AssessmentKind.INITIAL).annotate(
        _clock_start=DbCase(
            When(Exists(earlier), then=F("start_date")),
            default=F("case__referral_date"),
            output_field=DateField(),
        )
    )
    qs = qs.annotate(_wd=wd("_clock_start", "completed_date"))
    return qs.filter(
        Q(case__authority__rule_set="wt2010", _wd__lte=10)
        | (~Q(case__authority__rule_set="wt2010") & Q(_wd__lte=7))
    )


def ni60_numerator(p: Period) -> QuerySet:
    return _wd_filter(
        _kind_completed(p, AssessmentKind.CORE), "start_date", "completed_date", None, 35
    )


def ni68_numerator(p: Period) -> QuerySet:
    initial = Assessment.objects.filter(case=OuterRef("pk"), kind=AssessmentKind.INITIAL)
    return referrals(p).filter(Exists(initial))


def old_regime_present(p: Period) -> bool:
    return Assessment.objects.filter(
        Q(kind__in=[AssessmentKind.INITIAL, AssessmentKind.CORE]),
        in_period("start_date", p) | in_period("completed_date", p),
    ).exists()


# -- Section 47 enquiries and initial conferences -----------------------------------------


def s47_started(p: Period) -> QuerySet:
    return Section47Enquiry.objects.filter(in_period("start_date", p))


def _with_icpc(qs: QuerySet) -> QuerySet:
    first = (
        ChildProtectionConference.objects.filter(
            section47=OuterRef("pk"), kind=ConferenceKind.INITIAL
        )
        .order_by()
        .values("section47")
        .annotate(first=Min("conference_date"))
        .values("first")
    )
    return qs.annotate(icpc_date=Subquery(first))


def icpcs(p: Period) -> QuerySet:
    return _with_icpc(Section47Enquiry.objects.all()).filter(in_period("icpc_date", p))


def icpc_within_15wd(p: Period) -> QuerySet:
    return _wd_filter(icpcs(p), "start_date", "icpc_date", 0, 15)


# -- Child protection plans ---------------------------------------------------------------


def cpp_started(p: Period) -> QuerySet:
    return ChildProtectionPlan.objects.filter(in_period("start_date", p))


def cpp_repeat(p: Period) -> QuerySet:
    earlier = ChildProtectionPlan.objects.filter(
        case__child=OuterRef("case__child"), start_date__lt=OuterRef("start_date")
    )
    return cpp_started(p).filter(Exists(earlier) | Q(previous_plans_elsewhere__gt=0))


def cpp_ended(p: Period) -> QuerySet:
    return ChildProtectionPlan.objects.filter(in_period("end_date", p))


def cpp_ended_2y_plus(p: Period) -> QuerySet:
    return (
        cpp_ended(p)
        .annotate(_two_years=months_from("start_date", "plus_24_months"))
        .filter(end_date__gte=F("_two_years"))
    )


def cpp_open_at_end(p: Period) -> QuerySet:
    return ChildProtectionPlan.objects.filter(open_on(p.end))


def cpp_reviews_due(p: Period) -> QuerySet:
    return (
        cpp_open_at_end(p)
        .annotate(_three_months=months_from("start_date", "plus_3_months"))
        .filter(_three_months__lte=p.end)
    )


def cpp_reviews_on_time(p: Period) -> QuerySet:
    """The review chain of kpis.md section 2, as three EXISTS tests.

    With reviews ``r`` on or before ``to``: the chain holds when the first is within three
    months of the start, and no review ``r`` has ``add_months(r, 6) < to`` without another
    review in ``(r, add_months(r, 6)]`` (that covers every consecutive pair and the last
    review's next one). With no review, the first is not overdue: ``add_months(s, 3) >= to``.
    """
    reviews = ChildProtectionConference.objects.filter(
        plan=OuterRef("pk"), kind=ConferenceKind.REVIEW, conference_date__lte=p.end
    )
    first_in_time = reviews.filter(conference_date__lte=OuterRef("_three_months"))
    following = ChildProtectionConference.objects.filter(
        plan=OuterRef("plan"),
        kind=ConferenceKind.REVIEW,
        conference_date__gt=OuterRef("conference_date"),
        conference_date__lte=OuterRef("_six_months"),
    )
    gap = (
        ChildProtectionConference.objects.filter(
            plan=OuterRef("pk"), kind=ConferenceKind.REVIEW, conference_date__lte=p.end
        )
        .annotate(_six_months=months_from("conference_date", "plus_6_months"))
        .filter(_six_months__lt=p.end)
        .filter(~Exists(following))
    )
    return cpp_reviews_due(p).filter(
        (~Exists(reviews) & Q(_three_months__gte=p.end)) | (Exists(first_in_time) & ~Exists(gap))
    )


# -- Local indicators ---------------------------------------------------------------------


def referrals_decided(p: Period) -> QuerySet:
    return Referral.objects.filter(in_period("decision_date", p))


def referral_decisions_within_1wd(p: Period) -> QuerySet:
    return _wd_filter(
        referrals_decided(p), "received_date", "decision_date", None, REFERRAL_DECISION_WD
    )


def cp_children_due_visits(p: Period) -> QuerySet:
    """Plans open on ``to`` that have run at least the visit interval in working days."""
    to_index = index_of_day(p.end)
    return (
        cpp_open_at_end(p)
        .annotate(
            _start_index=index_of("start_date"),
            _interval=F("case__authority__cp_visit_interval_wd"),
        )
        .filter(_start_index__lte=to_index - F("_interval"))
    )


def _next_seen_visit(p: Period, after: str):
    """The first visit after the date ``after`` of the outer query where its child was seen,
    on or before ``to``; else ``to`` itself."""
    seen = (
        Visit.objects.filter(
            case__child=OuterRef("case__child"),
            child_seen=True,
            visit_date__gt=OuterRef(after),
            visit_date__lte=p.end,
        )
        .order_by()
        .values("case__child")
        .annotate(first=Min("visit_date"))
        .values("first")
    )
    return Coalesce(Subquery(seen), Value(p.end), output_field=DateField())


def seen_visits_with_gaps(p: Period, to_index: int) -> QuerySet:
    """Each visit on or before ``to`` where the child was seen, with ``_gap``: the working days
    from it to the child's next such visit (any case of the child's), or to ``to`` after the
    last. The next visit is ``LEAD`` over the child's visits in date order, one pass over them;
    a visit on the same day as the next one has a gap of 0, which changes no comparison with
    the interval. Narrowing the visits to those on or after a day (a plan's start) leaves every
    remaining visit's next one as it was: the next visit is never earlier."""
    following = Window(
        Lead(index_of("visit_date"), default=Value(to_index)),
        partition_by=[F("case__child")],
        order_by=[F("visit_date").asc()],
    )
    return Visit.objects.filter(child_seen=True, visit_date__lte=p.end).annotate(
        _gap=ExpressionWrapper(following - index_of("visit_date"), IntegerField())
    )


def cp_visits_on_time(p: Period) -> QuerySet:
    """Every gap between consecutive points (plan start, each visit where the child was seen,
    the period end) is at most the interval: the first seen visit after the start is within
    the interval of it, and no seen visit from the start on is followed by a gap longer than
    the interval of its own case's authority (``seen_visits_with_gaps``)."""
    to_index = index_of_day(p.end)
    broken_after_visit = seen_visits_with_gaps(p, to_index).filter(
        case__child=OuterRef("case__child"),
        visit_date__gte=OuterRef("start_date"),
        _gap__gt=F("case__authority__cp_visit_interval_wd"),
    )
    on_time = (
        cp_children_due_visits(p)
        .annotate(_next=_next_seen_visit(p, "start_date"))
        .annotate(_gap=index_of("_next") - index_of("start_date"))
        .filter(_gap__lte=F("case__authority__cp_visit_interval_wd"))
    )
    return on_time.filter(~Exists(broken_after_visit))


def cases_of(plans: QuerySet) -> QuerySet:
    """The cases of some plans, for counting children: the plan conditions run once, as a
    subquery, rather than once per case in the order of an index on the child. The subquery's
    DISTINCT keeps PostgreSQL from turning it into a join driven by every case, which probed
    the plans once per case (315 ms for CP visits; 156 ms with it)."""
    return Case.objects.filter(pk__in=plans.values("case").distinct())


def core_groups_due(p: Period) -> QuerySet:
    icpc = (
        ChildProtectionConference.objects.filter(plan=OuterRef("pk"), kind=ConferenceKind.INITIAL)
        .order_by()
        .values("plan")
        .annotate(first=Min("conference_date"))
        .values("first")
    )
    first = (
        CoreGroupMeeting.objects.filter(plan=OuterRef("pk"))
        .values("plan")
        .annotate(d=Min("meeting_date"))
        .values("d")
    )
    return cpp_started(p).annotate(
        icpc_date=Coalesce(Subquery(icpc), F("start_date")), first_core_group=Subquery(first)
    )


def core_groups_on_time(p: Period) -> QuerySet:
    return _wd_filter(
        core_groups_due(p).filter(first_core_group__isnull=False),
        "icpc_date",
        "first_core_group",
        0,
        FIRST_CORE_GROUP_WD,
    )


def unallocated_cases(p: Period) -> QuerySet:
    allocated = Allocation.objects.filter(case=OuterRef("pk")).filter(open_on(p.end))
    return cin_open_at_end(p).filter(~Exists(allocated))


def open_allocations(p: Period) -> QuerySet:
    """Allocations open on ``to`` of cases open on ``to``: case-holding staff and their cases."""
    return Allocation.objects.filter(open_on(p.end)).filter(
        open_on(p.end, "case__referral_date", "case__closure_date"), case__referral_nfa=False
    )


def supervised_in_time(p: Period) -> QuerySet:
    """Case-holding staff on ``to`` whose last supervision session, signed by both and dated
    on or before ``to``, is within their own required interval on ``to`` (on or after ``to``
    minus the interval: 7 or 14 calendar days, or a month by ``add_months``), and staff who
    joined less than one interval before ``to`` (kpis.md). Each worker's interval is the
    supervision app's (``supervision.selectors.supervised_staff``: the newly qualified
    schedule, or the worker's own setting on ``to``), in SQL."""
    return open_allocations(p).filter(worker__in=supervised_staff(p.end).values("pk"))


def index_of_day(day: date) -> int:
    from safeguard.performance.calendar import index_on

    return index_on(day)


# -- The definitions ----------------------------------------------------------------------

R12 = "add_months(r, -12) <= p < r"

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "referrals",
        "Referrals",
        "count",
        2,
        "Referrals with referral date in period.",
        referrals,
        case_path="",
        as_of="referral_date",
        period_field="referral_date",
        child_path="child",
        denominator_text="referrals with referral date in period",
    ),
    Indicator(
        "rereferrals_12m",
        "Re-referrals within 12 months",
        "rate",
        2,
        "Referrals in period for which the same child has another referral with date p where "
        f"{R12} (r = this referral's date), over all referrals in period.",
        referrals,
        rereferrals,
        case_path="",
        as_of="referral_date",
        period_field="referral_date",
        child_path="child",
        numerator_text=f"referrals in period with another referral of the child where {R12}",
        denominator_text="referrals in period",
    ),
    Indicator(
        "referrals_nfa",
        "Referrals with no further action",
        "rate",
        2,
        "Referrals in period marked no further action (ReferralNFA = 1), over referrals in period.",
        referrals,
        referrals_nfa,
        case_path="",
        as_of="referral_date",
        period_field="referral_date",
        child_path="child",
        numerator_text="referrals in period marked no further action",
        denominator_text="referrals in period",
    ),
    Indicator(
        "assessments_completed",
        "Assessments completed",
        "count",
        2,
        "Assessments with authorisation date in period.",
        assessments_completed,
        as_of="completed_date",
        period_field="completed_date",
        denominator_text="assessments with authorisation date in period",
    ),
    Indicator(
        "assessments_within_45wd",
        "Assessments completed within 45 working days",
        "rate",
        2,
        "Assessments completed in period with 0 <= wd(start, authorisation) <= 45, over "
        "assessments completed in period.",
        assessments_completed,
        assessments_within_45wd,
        as_of="completed_date",
        period_field="completed_date",
        numerator_text="assessments completed in period with 0 <= wd(start, authorisation) <= 45",
        denominator_text="assessments completed in period",
    ),
    Indicator(
        "s47_started",
        "Section 47 enquiries started",
        "count",
        2,
        "Section 47 enquiries with start date in period.",
        s47_started,
        as_of="start_date",
        period_field="start_date",
        denominator_text="section 47 enquiries with start date in period",
    ),
    Indicator(
        "icpcs",
        "Initial child protection conferences",
        "count",
        2,
        "Section 47 enquiries whose initial child protection conference date is in period (a "
        "conference recorded without an enquiry, such as a transfer-in, is not counted).",
        icpcs,
        as_of="icpc_date",
        period_field="icpc_date",
        denominator_text="section 47 enquiries whose initial conference date is in period",
    ),
    Indicator(
        "icpc_within_15wd",
        "Initial conferences within 15 working days",
        "rate",
        2,
        "Initial conferences in period with 0 <= wd(S47 start, ICPC date) <= 15, over initial "
        "conferences in period (a conference dated before its enquiry stays in the denominator "
        "and never in the numerator).",
        icpcs,
        icpc_within_15wd,
        as_of="icpc_date",
        period_field="icpc_date",
        numerator_text="initial conferences in period with 0 <= wd(S47 start, ICPC) <= 15",
        denominator_text="section 47 enquiries whose initial conference date is in period",
    ),
    Indicator(
        "cpp_started",
        "Child protection plans started",
        "count",
        2,
        "CP plans with start date in period.",
        cpp_started,
        as_of="start_date",
        period_field="start_date",
        denominator_text="CP plans with start date in period",
    ),
    Indicator(
        "cpp_repeat",
        "Repeat child protection plans",
        "rate",
        2,
        "Plans started in period where the child has another CP plan with an earlier start "
        "date, or the plan records NumberOfPreviousCPP > 0, over plans started in period "
        "(counted per plan).",
        cpp_started,
        cpp_repeat,
        as_of="start_date",
        period_field="start_date",
        numerator_text="plans started in period with an earlier plan (here or elsewhere)",
        denominator_text="CP plans started in period",
    ),
    Indicator(
        "cpp_ended",
        "Child protection plans ended",
        "count",
        2,
        "CP plans with end date in period.",
        cpp_ended,
        as_of="end_date",
        period_field="end_date",
        denominator_text="CP plans with end date in period",
    ),
    Indicator(
        "cpp_ended_2y_plus",
        "Plans ended after 2 years or more",
        "rate",
        2,
        "Plans ended in period with end >= add_months(start, 24), over plans ended in period.",
        cpp_ended,
        cpp_ended_2y_plus,
        as_of="end_date",
        period_field="end_date",
        numerator_text="plans ended in period with end >= add_months(start, 24)",
        denominator_text="CP plans ended in period",
    ),
    Indicator(
        "cpp_open_at_end",
        "Child protection plans open at period end",
        "count",
        2,
        "CP plans open on the period end.",
        cpp_open_at_end,
        denominator_text="CP plans open on the period end",
    ),
    Indicator(
        "cpp_reviews_on_time",
        "Child protection plans reviewed on time",
        "rate",
        2,
        "Plans open on the period end with add_months(start, 3) <= to whose review chain is on "
        "time: first review within 3 months of the start, each next within 6 months of the "
        "last, and the next review not overdue on the period end.",
        cpp_reviews_due,
        cpp_reviews_on_time,
        numerator_text="of those, plans whose review chain is on time",
        denominator_text="plans open on the period end with add_months(start, 3) <= to",
    ),
    Indicator(
        "cin_open_at_end",
        "Children in need episodes open at period end",
        "count",
        2,
        "CIN episodes open on the period end (start = referral date, end = closure date).",
        cin_open_at_end,
        case_path="",
        child_path="child",
        denominator_text="CIN episodes open on the period end",
    ),
    Indicator(
        "children_in_need_at_end",
        "Children in need at period end",
        "count",
        2,
        "Distinct children with at least one CIN episode open on the period end.",
        cin_open_at_end,
        case_path="",
        child_path="child",
        count_denominator="child",
        denominator_text="distinct children with a CIN episode open on the period end",
    ),
    # Section 3: the 2006-2010 regime.
    Indicator(
        "ni59_initial_assessments_7wd",
        "NI 59: initial assessments within 7 working days",
        "rate",
        3,
        "Initial assessments completed in period with wd(referral date, completion) <= 7 (10 "
        "under the 2010 setting), over initial assessments completed in period. A "
        "re-assessment later in the episode is timed from its own start.",
        lambda p: _kind_completed(p, AssessmentKind.INITIAL),
        ni59_numerator,
        as_of="completed_date",
        period_field="completed_date",
        present=old_regime_present,
        numerator_text="initial assessments completed in period within 7 (2010: 10) working "
        "days of the referral",
        denominator_text="initial assessments completed in period",
    ),
    Indicator(
        "ni60_core_assessments_35wd",
        "NI 60: core assessments within 35 working days",
        "rate",
        3,
        "Core assessments completed in period with wd(start, completion) <= 35, over core "
        "assessments completed in period.",
        lambda p: _kind_completed(p, AssessmentKind.CORE),
        ni60_numerator,
        as_of="completed_date",
        period_field="completed_date",
        present=old_regime_present,
        numerator_text="core assessments completed in period with wd(start, completion) <= 35",
        denominator_text="core assessments completed in period",
    ),
    Indicator(
        "ni64_cpp_2y_plus",
        "NI 64: plans lasting 2 years or more",
        "rate",
        3,
        "Same as cpp_ended_2y_plus.",
        cpp_ended,
        cpp_ended_2y_plus,
        as_of="end_date",
        period_field="end_date",
        numerator_text="plans ended in period with end >= add_months(start, 24)",
        denominator_text="CP plans ended in period",
    ),
    Indicator(
        "ni65_cpp_second_or_subsequent",
        "NI 65: second or subsequent plans",
        "rate",
        3,
        "Same as cpp_repeat.",
        cpp_started,
        cpp_repeat,
        as_of="start_date",
        period_field="start_date",
        numerator_text="plans started in period with an earlier plan (here or elsewhere)",
        denominator_text="CP plans started in period",
    ),
    Indicator(
        "ni67_cpp_reviews_on_time",
        "NI 67: plans reviewed on time",
        "rate",
        3,
        "Same as cpp_reviews_on_time.",
        cpp_reviews_due,
        cpp_reviews_on_time,
        numerator_text="of those, plans whose review chain is on time",
        denominator_text="plans open on the period end with add_months(start, 3) <= to",
    ),
    Indicator(
        "ni68_referrals_to_initial_assessment",
        "NI 68: referrals going on to initial assessment",
        "rate",
        3,
        "Referrals in period followed by an initial assessment, over referrals in period.",
        referrals,
        ni68_numerator,
        case_path="",
        as_of="referral_date",
        period_field="referral_date",
        child_path="child",
        present=old_regime_present,
        numerator_text="referrals in period followed by an initial assessment",
        denominator_text="referrals in period",
    ),
    # Section 4: local indicators.
    Indicator(
        "referral_decisions_within_1wd",
        "Referral decisions within 1 working day",
        "rate",
        4,
        "Referrals decided in period with wd(received, decided) <= 1, over referrals decided "
        "in period.",
        referrals_decided,
        referral_decisions_within_1wd,
        as_of="decision_date",
        period_field="decision_date",
        numerator_text="referrals decided in period with wd(received, decided) <= 1",
        denominator_text="referrals decided in period",
    ),
    Indicator(
        "cp_visits_on_time",
        "Child protection visits on time",
        "rate",
        4,
        "Children on a CP plan on the period end whose every gap between consecutive visits "
        "where the child was seen (from plan start to the period end) is at most 10 working "
        "days (the authority's setting), over children on a plan on the period end for at "
        "least 10 working days.",
        lambda p: cases_of(cp_children_due_visits(p)),
        lambda p: cases_of(cp_visits_on_time(p)),
        count_denominator="child",
        count_numerator="child",
        case_path="",
        child_path="child",
        numerator_text="children seen at least every 10 working days from plan start to period end",
        denominator_text="children on a plan on the period end for at least 10 working days",
    ),
    Indicator(
        "core_groups_on_time",
        "First core groups on time",
        "rate",
        4,
        "Plans started in period with the first core group within 10 working days of the "
        "ICPC, over plans started in period.",
        cpp_started,
        core_groups_on_time,
        as_of="start_date",
        period_field="start_date",
        numerator_text="plans started in period with 0 <= wd(ICPC, first core group) <= 10",
        denominator_text="CP plans started in period",
    ),
    Indicator(
        "unallocated_cases",
        "Unallocated cases",
        "count",
        4,
        "Open cases on the period end with no allocated worker.",
        unallocated_cases,
        case_path="",
        child_path="child",
        denominator_text="open cases on the period end with no allocation open that day",
    ),
    Indicator(
        "supervision_on_time",
        "Supervision on time",
        "rate",
        4,
        "Case-holding staff on the period end whose last supervision session (signed by "
        "both, on or before the period end) is within their own required interval (weekly "
        "for 6 weeks after qualifying, fortnightly to 6 months, then monthly, unless set "
        "otherwise), over case-holding staff; staff who joined less than one interval "
        "before the period end count as supervised.",
        open_allocations,
        supervised_in_time,
        staff=True,
        count_denominator="worker",
        count_numerator="worker",
        numerator_text="case-holding staff supervised within their own interval",
        denominator_text="case-holding staff on the period end",
    ),
    Indicator(
        "average_caseload",
        "Average caseload",
        "value",
        4,
        "Open allocated cases on the period end, over case-holding staff on the period end.",
        open_allocations,
        open_allocations,
        staff=True,
        count_denominator="worker",
        count_numerator="case",
        numerator_text="open allocated cases on the period end",
        denominator_text="case-holding staff on the period end",
    ),
)

# Each indicator's definition as a reader would say it: no internal names, no formulas. The
# exact rule stays in ``definition`` and the pages show it beside this one ("The exact rule").
PLAIN_DEFINITIONS = {
    "referrals": "How many referrals were made in the period.",
    "rereferrals_12m": (
        "Of the referrals made in the period, the share about a child who had already been "
        "referred in the 12 months before."
    ),
    "referrals_nfa": (
        "Of the referrals made in the period, the share that led to no further action."
    ),
    "assessments_completed": "How many assessments were completed and agreed in the period.",
    "assessments_within_45wd": (
        "Of the assessments completed in the period, the share completed within 45 working "
        "days of starting."
    ),
    "s47_started": "How many section 47 enquiries started in the period.",
    "icpcs": (
        "How many initial child protection conferences were held in the period after a "
        "section 47 enquiry."
    ),
    "icpc_within_15wd": (
        "Of the initial conferences held in the period, the share held within 15 working days "
        "of the section 47 enquiry starting."
    ),
    "cpp_started": "How many child protection plans started in the period.",
    "cpp_repeat": (
        "Of the child protection plans started in the period, the share for a child who had "
        "been on a plan before, here or in another authority."
    ),
    "cpp_ended": "How many child protection plans ended in the period.",
    "cpp_ended_2y_plus": (
        "Of the child protection plans that ended in the period, the share that had lasted "
        "2 years or more."
    ),
    "cpp_open_at_end": "How many child protection plans were open on the last day of the period.",
    "cpp_reviews_on_time": (
        "Of the plans open on the last day of the period and at least 3 months old, the share "
        "reviewed on time: first within 3 months of starting, then at least every 6 months."
    ),
    "cin_open_at_end": "How many child in need episodes were open on the last day of the period.",
    "children_in_need_at_end": (
        "How many children had a child in need episode open on the last day of the period."
    ),
    "ni59_initial_assessments_7wd": (
        "Of the initial assessments completed in the period, the share completed within 7 "
        "working days of the referral (10 under the 2010 rules)."
    ),
    "ni60_core_assessments_35wd": (
        "Of the core assessments completed in the period, the share completed within 35 "
        "working days of starting."
    ),
    "ni64_cpp_2y_plus": (
        "Of the child protection plans that ended in the period, the share that had lasted "
        "2 years or more."
    ),
    "ni65_cpp_second_or_subsequent": (
        "Of the child protection plans started in the period, the share for a child who had "
        "been on a plan before."
    ),
    "ni67_cpp_reviews_on_time": (
        "Of the plans open on the last day of the period and at least 3 months old, the share "
        "reviewed on time."
    ),
    "ni68_referrals_to_initial_assessment": (
        "Of the referrals made in the period, the share that went on to an initial assessment."
    ),
    "referral_decisions_within_1wd": (
        "Of the referrals decided in the period, the share decided within 1 working day of "
        "being received."
    ),
    "cp_visits_on_time": (
        "Of the children on a child protection plan for at least 10 working days on the last "
        "day of the period, the share seen at least every 10 working days since the plan "
        "started."
    ),
    "core_groups_on_time": (
        "Of the child protection plans started in the period, the share whose first core "
        "group met within 10 working days of the initial conference."
    ),
    "unallocated_cases": (
        "How many open cases had no allocated worker on the last day of the period."
    ),
    "supervision_on_time": (
        "Of the staff holding cases on the last day of the period, the share whose last "
        "supervision was within the interval they need (weekly, fortnightly or monthly, by "
        "experience)."
    ),
    "average_caseload": (
        "The average number of open cases held by each member of staff holding cases on the "
        "last day of the period."
    ),
}

# A missing plain definition stops the app loading: no indicator is shown as a bare formula.
INDICATORS = tuple(replace(i, plain=PLAIN_DEFINITIONS[i.id]) for i in INDICATORS)

BY_ID = {indicator.id: indicator for indicator in INDICATORS}
