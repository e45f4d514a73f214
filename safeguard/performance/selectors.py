"""Figures from the indicator definitions: aggregate queries, one or two per indicator.

``figures(period, scope)`` gives every indicator present for a period; ``figure`` one;
``figures_by`` one indicator per team or per worker in a single grouped query; and
``children_behind`` the ids of the children behind a numerator or denominator, for
drill-down lists (``visible_children``, then ``people.selectors.show_rows``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404

from safeguard.accounts.models import LocalAuthority, Team, User
from safeguard.casework import models as casework
from safeguard.casework.models import Allocation
from safeguard.core import parallel_reads
from safeguard.people import permissions as people_permissions
from safeguard.people.models import Person
from safeguard.performance.calendar import (
    FIRST_DAY,
    LAST_DAY,
    calendar_generation,
    ensure_calendar,
    in_range,
)
from safeguard.performance.indicators import BY_ID, INDICATORS, Indicator, Period, Scope
from safeguard.quality.selectors import children_with_issues

SCALE = 10_000  # four decimal places
EVERYTHING = Scope()


@dataclass(frozen=True)
class Figure:
    indicator: Indicator
    numerator: int | None
    denominator: int
    # Children behind each part with an open data-quality issue, when asked for (``errors=True``):
    # counted in the same statement as the figure.
    numerator_errors: int | None = None
    denominator_errors: int | None = None

    @property
    def has_errors(self) -> bool:
        """A child behind the figure has an open data-quality issue."""
        return bool(self.numerator_errors or self.denominator_errors)

    def quality(self, checked) -> str:
        """ "errors", else "validated" once every child has been checked in full (``checked``:
        ``quality.selectors.last_full_check``), else "not checked"."""
        if self.has_errors:
            return "errors"
        return "validated" if checked else "not checked"

    @property
    def value(self) -> float | None:
        """The count, or ``numerator / denominator`` rounded half-up to 4 places (kpis.md §5)."""
        if self.indicator.kind == "count":
            return self.denominator
        if self.denominator == 0:
            return None
        return round_half_up(self.numerator, self.denominator)

    def as_json(self) -> dict:
        if self.indicator.kind == "count":
            return {"count": self.denominator}
        if self.indicator.kind == "value":
            return {"value": self.value}
        return {"numerator": self.numerator, "denominator": self.denominator, "value": self.value}


def round_half_up(numerator: int, denominator: int) -> float:
    """Exact ``numerator / denominator`` rounded half-up to 4 places: 1/32 is 0.0313."""
    sign = -1 if (numerator < 0) != (denominator < 0) else 1
    n, d = abs(numerator), abs(denominator)
    units = (2 * n * SCALE + d) // (2 * d)
    return sign * units / SCALE


def last_census_year(today: date) -> Period:
    """The last complete census year (1 April to 31 March) before ``today``."""
    end_year = today.year if today >= date(today.year, 4, 1) else today.year - 1
    return Period(date(end_year - 1, 4, 1), date(end_year, 3, 31))


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def check_period(period: Period, *, compared: bool = False) -> None:
    """Refuse a period the figures cannot cover, with a message for the page. With
    ``compared``, the same period a year earlier (the dashboard's "last year") must be
    covered too, so the period may not start before 1971."""
    from safeguard.core.errors import ApplicationError

    if not (in_range(period.start) and in_range(period.end)):
        raise ApplicationError(
            f"The period must fall between {FIRST_DAY:%Y} and {LAST_DAY:%Y}: choose dates from "
            f"{_day(FIRST_DAY)} to {_day(LAST_DAY)}."
        )
    if compared and not in_range(last_year(period).start):
        from safeguard.core.workdays import add_months

        earliest = add_months(FIRST_DAY, 12)
        raise ApplicationError(
            f"Choose a period that starts on or after {_day(earliest)}: each figure is "
            "compared with the same period a year earlier, and the figures start in "
            f"{FIRST_DAY:%Y}."
        )


def _case_ref(indicator: Indicator) -> str:
    return indicator.case_path or "pk"


def attributed(indicator: Indicator, qs: QuerySet, period: Period) -> QuerySet:
    """Annotate ``_worker`` and ``_team``: who the record belongs to (see indicators.py).

    A query computes only the annotation it filters or groups on, and the allocation that
    started after the record's date is looked up only when none was open on it (COALESCE
    stops at its first value): one look-up per record in the usual case."""
    if indicator.staff:
        return qs.annotate(_worker=F("worker"), _team=F("team"))
    case = OuterRef(_case_ref(indicator))
    as_of = OuterRef(indicator.as_of) if indicator.as_of else period.end
    held = Allocation.objects.filter(Allocation.open_on(as_of), case=case).order_by(
        "-start_date", "-pk"
    )
    later = Allocation.objects.filter(case=case, start_date__gt=as_of).order_by("start_date", "pk")
    return qs.annotate(
        _worker=Coalesce(Subquery(held.values("worker")[:1]), Subquery(later.values("worker")[:1])),
        _team=Coalesce(Subquery(held.values("team")[:1]), Subquery(later.values("team")[:1])),
    )


def _ever_held(scope: Scope) -> QuerySet:
    """The allocations of the scope's team or worker, whenever they were open. A record can
    belong to them only if its case is among these allocations' cases: filtering on that set,
    found once, first spares the look-up of the allocation a record belongs to for every
    record of another team's case."""
    held = Allocation.objects.all()
    if scope.team_id is not None:
        held = held.filter(team=scope.team_id)
    if scope.worker_id is not None:
        held = held.filter(worker=scope.worker_id)
    return held


def scoped(indicator: Indicator, qs: QuerySet, period: Period, scope: Scope) -> QuerySet:
    if scope.authority_id is not None:
        path = (
            "case__authority_id"
            if indicator.staff
            else (f"{indicator.case_path}__authority_id" if indicator.case_path else "authority_id")
        )
        qs = qs.filter(**{path: scope.authority_id})
    if scope.team_id is not None or scope.worker_id is not None:
        qs = belonging_to(indicator, qs, period, scope)
    return qs


def belonging_to(indicator: Indicator, qs: QuerySet, period: Period, scope: Scope) -> QuerySet:
    """The records of ``qs`` that belong to the scope's team and worker (``attributed``)."""
    if not indicator.staff:
        qs = qs.filter(**{f"{_case_ref(indicator)}__in": _ever_held(scope).values("case")})
    qs = attributed(indicator, qs, period)
    if scope.team_id is not None:
        qs = qs.filter(_team=scope.team_id)
    if scope.worker_id is not None:
        qs = qs.filter(_worker=scope.worker_id)
    return qs


# Building these querysets costs more Python time than running them on a small borough, so
# each query's SQL is remembered by what determines it (indicator, part, periods, scope and
# the calendar's generation) and run again with fresh data. Figures are never cached.
_SQL: dict[tuple, tuple[str, tuple]] = {}
_SQL_LIMIT = 4000


def _compiled(key: tuple, build) -> tuple[str, tuple]:
    key = (*key, calendar_generation(), connection.vendor)
    compiled = _SQL.get(key)
    if compiled is None:
        compiled = build().query.sql_with_params()
        if len(_SQL) >= _SQL_LIMIT:
            _SQL.clear()
        _SQL[key] = compiled
    return compiled


class _Batch:
    """The statements a page needs, gathered first and then run together
    (``core.parallel_reads``: side by side on several connections when it may)."""

    def __init__(self):
        self.statements: list[tuple[str, tuple]] = []
        self._index: dict[tuple[str, tuple], int] = {}
        self.results: list[list[tuple]] | None = None

    def add(self, key: tuple, build):
        """Queue a statement; the returned function gives its rows once ``run`` has run. A
        statement already queued (indicators share parts: the referrals in period are the
        denominator of four) is run once, and both callers read its rows."""
        statement = _compiled(key, build)
        index = self._index.get(statement)
        if index is None:
            index = self._index[statement] = len(self.statements)
            self.statements.append(statement)
        return lambda: self.results[index]

    def run(self) -> None:
        self.results = parallel_reads.run(self.statements)


def _child_path(indicator: Indicator) -> str:
    return "case__child" if indicator.staff else indicator.child_path


def _child_of_row(indicator: Indicator):
    """The child of each record, for the error counts. On PostgreSQL, through the case it is a
    look-up of the case by its key rather than a join: unable to estimate the indicators'
    correlated conditions, the planner otherwise scanned every case for every record (2 s for
    one statement). SQLite looks the case up by its key either way, and a join is faster."""
    path = _child_path(indicator)
    if "__" not in path or connection.vendor == "sqlite":
        return F(path)
    case_field = path.rsplit("__", 1)[0]
    case = casework.Case.objects.filter(pk=OuterRef(case_field)).order_by()  # one row: no sort
    return Subquery(case.values("child")[:1])


def _with_errors(indicator: Indicator, scope: Scope, qs: QuerySet) -> tuple[QuerySet, dict]:
    """``qs`` with each record's child, and an aggregate counting the distinct children behind
    a part with an open data-quality issue, to run in the same statement as the part's own
    count."""
    with_issues = children_with_issues(scope.authority_id)
    qs = qs.annotate(_child=_child_of_row(indicator))
    path = _child_path(indicator)
    if "__" in path and connection.vendor != "sqlite":
        # Whether a record's case is one of those children's, from one set found once: the
        # child is then looked up only for the few records that pass, not for every record.
        case_field = path.rsplit("__", 1)[0]
        cases = casework.Case.objects.filter(child__in=with_issues).values("pk")
        flagged = Q(**{f"{case_field}__in": cases})
    else:
        flagged = Q(_child__in=with_issues)
    return qs, {"e": Count("_child", distinct=True, filter=flagged)}


def _count(
    batch: _Batch, key: tuple, build, field: str, errors: tuple[Indicator, Scope] | None = None
):
    """Queue COUNT(DISTINCT field) over the queryset ``build()`` makes, as one aggregate row,
    and with ``errors`` the children behind it with open data-quality issues
    (``_with_errors``). Returns a function giving ``(count, errors or None)`` after the run.

    Grouping on a constant keeps it a plain aggregate (an empty table gives no row: 0).
    """

    def counting():
        qs, extra = _with_errors(*errors, build()) if errors else (build(), {})
        return (
            qs.order_by()
            .annotate(_all=Value(1, output_field=IntegerField()))
            .values("_all")
            .annotate(n=Count(field, distinct=True), **extra)
            .values("n", *extra)
        )

    rows = batch.add((*key, errors is not None), counting)

    def result() -> tuple[int, int | None]:
        got = rows()
        if not got:
            return 0, (0 if errors is not None else None)
        return got[0][0], (got[0][1] if errors is not None else None)

    return result


def _figure_later(batch: _Batch, indicator: Indicator, period: Period, scope: Scope, errors: bool):
    """Queue one figure's statements; the returned function builds the ``Figure`` after the
    batch has run."""
    key = (indicator.id, period, scope)
    extra = (indicator, scope) if errors else None
    den = _count(
        batch,
        ("den", *key),
        lambda: scoped(indicator, indicator.denominator(period), period, scope),
        indicator.count_denominator,
        extra,
    )
    num = None
    if indicator.numerator is not None:
        num = _count(
            batch,
            ("num", *key),
            lambda: scoped(indicator, indicator.numerator(period), period, scope),
            indicator.count_numerator,
            extra,
        )

    def built() -> Figure:
        n, n_errors = num() if num else (None, None)
        d, d_errors = den()
        return Figure(indicator, n, d, n_errors, d_errors)

    return built


def figure(
    indicator: Indicator,
    period: Period,
    scope: Scope = EVERYTHING,
    *,
    checked=False,
    errors=False,
) -> Figure:
    """One indicator for one period and scope; with ``errors``, also how many children behind
    each part have an open data-quality issue (in the same statements)."""
    if not checked:
        ensure_calendar()
    batch = _Batch()
    built = _figure_later(batch, indicator, period, scope, errors)
    batch.run()
    return built()


def present(indicator: Indicator, period: Period) -> bool:
    return indicator.present is None or indicator.present(period)


def figures(period: Period, scope: Scope = EVERYTHING) -> dict[str, Figure]:
    """Every indicator of kpis.md sections 2 and 4, and section 3's when their data exist."""
    check_period(period)
    ensure_calendar()
    batch = _Batch()
    later = {
        indicator.id: _figure_later(batch, indicator, period, scope, False)
        for indicator in INDICATORS
        if present(indicator, period)
    }
    batch.run()
    return {kpi: built() for kpi, built in later.items()}


def figures_compared(
    period: Period, previous: Period, scope: Scope = EVERYTHING, *, errors=False
) -> dict[str, tuple[Figure, Figure | None]]:
    """Every indicator for ``period`` and for ``previous`` (the dashboard's "last year");
    with ``errors``, ``period``'s figures also count the children with data-quality issues.

    When the two periods do not overlap, an "in period" indicator is one query per part for
    both, grouped by which period its date falls in; the rest are measured on each end day.
    All the statements run as one batch.
    """
    check_period(period)
    check_period(previous)
    ensure_calendar()
    apart = previous.end < period.start or period.end < previous.start
    span = Period(min(period.start, previous.start), max(period.end, previous.end))
    batch = _Batch()
    later = {}
    for indicator in INDICATORS:
        here = present(indicator, period)
        there = present(indicator, previous)
        if not here:
            continue
        if not (apart and indicator.period_field):
            now = _figure_later(batch, indicator, period, scope, errors)
            before = _figure_later(batch, indicator, previous, scope, False) if there else None
            later[indicator.id] = (now, before)
            continue
        later[indicator.id] = _compared_later(
            batch, indicator, period, previous, span, scope, errors, there
        )
    batch.run()
    return {kpi: (now(), before() if before else None) for kpi, (now, before) in later.items()}


def _compared_later(batch, indicator, period, previous, span, scope, errors, there):
    """Queue an "in period" indicator for both periods, one statement per part grouped by
    which period the record's date falls in; returns the two figures' builders."""
    field = indicator.period_field
    bucket = Case(
        When(Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end}), then=Value(1)),
        When(
            Q(**{f"{field}__gte": previous.start, f"{field}__lte": previous.end}),
            then=Value(0),
        ),
        default=Value(-1),
        output_field=IntegerField(),
    )

    def grouped(part, source, count_field):
        def build():
            qs = scoped(indicator, source(span), span, scope)
            qs, extra = _with_errors(indicator, scope, qs) if errors else (qs, {})
            return (
                qs.annotate(_bucket=bucket)
                .values("_bucket")
                .annotate(n=Count(count_field, distinct=True), **extra)
                .order_by()
            )

        key = ("compared", part, indicator.id, period, previous, scope, errors)
        rows = batch.add(key, build)
        return lambda: {row[0]: row[1:] for row in rows()}

    den = grouped("den", indicator.denominator, indicator.count_denominator)
    num = None
    if indicator.numerator:
        num = grouped("num", indicator.numerator, indicator.count_numerator)

    def now() -> Figure:
        n, d = (num() if num else None), den()
        return Figure(
            indicator,
            _cell(n, 1, 0),
            _cell(d, 1, 0),
            _cell(n, 1, 1) if errors else None,
            _cell(d, 1, 1) if errors else None,
        )

    def before() -> Figure:
        n, d = (num() if num else None), den()
        return Figure(indicator, _cell(n, 0, 0), _cell(d, 0, 0))

    return now, (before if there else None)


def _cell(rows: dict | None, bucket: int, at: int) -> int | None:
    """Column ``at`` (0 the count, 1 the children with errors) of a grouped part's ``bucket``
    (1 this period, 0 the previous); None when the indicator has no such part."""
    if rows is None:
        return None
    return rows.get(bucket, (0, 0))[at]


def figures_by(
    indicator: Indicator, period: Period, group: str, authority_id: int | None = None
) -> dict[int, Figure]:
    """One indicator for every team (``group="team"``) or worker, in one query per part."""
    assert group in ("team", "worker")
    ensure_calendar()
    key = f"_{group}"
    batch = _Batch()

    def counts(part, source, field):
        def build():
            qs = scoped(indicator, source(period), period, Scope(authority_id))
            return (
                attributed(indicator, qs, period)
                .filter(**{f"{key}__isnull": False})
                .values(key)
                .annotate(n=Count(field, distinct=True))
                .order_by()
            )

        return batch.add(("by", group, part, indicator.id, period, authority_id), build)

    den_rows = counts("den", indicator.denominator, indicator.count_denominator)
    num_rows = None
    if indicator.numerator:
        num_rows = counts("num", indicator.numerator, indicator.count_numerator)
    batch.run()
    den = dict(den_rows())
    num = dict(num_rows()) if num_rows else None
    return {
        who: Figure(indicator, num.get(who, 0) if num is not None else None, n)
        for who, n in den.items()
    }


def children_behind(indicator_id: str, period: Period, scope: Scope, part: str) -> list[UUID]:
    """Ids of the children behind a figure's ``numerator`` or ``denominator``."""
    indicator = BY_ID[indicator_id]
    ensure_calendar()
    source = indicator.numerator if part == "numerator" else indicator.denominator
    if source is None:
        return []
    path = _child_path(indicator)
    qs = scoped(indicator, source(period), period, scope)
    return sorted(set(qs.values_list(path, flat=True)))


# The dates and codes that put a record in a figure, by the model an indicator counts: what
# a drill-down and its CSV show beside each child. (label, path from the record.)
EVIDENCE = {
    "Case": (
        ("Referral date", "referral_date"),
        ("Referral source", "referral_source"),
        ("Primary need", "primary_need"),
        ("No further action", "referral_nfa"),
        ("Closure date", "closure_date"),
        ("Closure reason", "closure_reason"),
    ),
    "Assessment": (
        ("Referral date", "case__referral_date"),
        ("Assessment", "kind"),
        ("Assessment started", "start_date"),
        ("Assessment completed", "completed_date"),
    ),
    "Section47Enquiry": (
        ("Referral date", "case__referral_date"),
        ("Section 47 started", "start_date"),
        ("Section 47 ended", "end_date"),
    ),
    "ChildProtectionPlan": (
        ("Plan started", "start_date"),
        ("Plan ended", "end_date"),
        ("Category of abuse", "latest_category"),
        ("Previous plans elsewhere", "previous_plans_elsewhere"),
    ),
    "Referral": (
        ("Referral received", "received_date"),
        ("Decision", "decision"),
        ("Decided", "decision_date"),
    ),
    "Allocation": (
        ("Worker", "worker__username"),
        ("Allocated from", "start_date"),
        ("Allocated until", "end_date"),
    ),
    "Contact": (
        ("Contact date", "contact_date"),
        ("Contact source", "source"),
        ("Contact outcome", "outcome"),
        ("Decided", "decision_date"),
    ),
}
# Dates an indicator's own query works out (annotations), shown when it has them.
EVIDENCE_ANNOTATED = (("Initial conference", "icpc_date"), ("First core group", "first_core_group"))


@dataclass(frozen=True)
class Evidence:
    """The columns of what put each child in a figure, and each child's values: one list per
    column, a value for each of the child's records behind the figure."""

    labels: tuple[str, ...]
    by_child: dict


def evidence_behind(
    indicator_id: str, period: Period, scope: Scope, part: str, children: list
) -> Evidence:
    """The dates and codes of the records that put each of ``children`` (their ids) behind a
    figure's ``numerator`` or ``denominator``: the same records ``children_behind`` counts, in
    one query whatever the number of children."""
    indicator = BY_ID[indicator_id]
    ensure_calendar()
    source = indicator.numerator if part == "numerator" else indicator.denominator
    if source is None:
        return Evidence((), {})
    qs = source(period)
    columns = EVIDENCE[qs.model.__name__] + tuple(
        (label, name) for label, name in EVIDENCE_ANNOTATED if name in qs.query.annotations
    )
    scoped_qs = scoped(indicator, qs, period, scope)
    return evidence_of(scoped_qs, _child_path(indicator), children, columns)


def evidence_of(qs: QuerySet, path: str, children: list, columns=None) -> Evidence:
    """The ``columns`` (label, path) of the records ``qs`` of each of ``children`` (the child
    of a record at ``path``), in one query; by default the columns of the records' model."""
    if columns is None:
        columns = EVIDENCE[qs.model.__name__]
    qs = qs.filter(**{f"{path}__in": list(children)})
    paths = [name for _label, name in columns]
    by_child: dict = {}
    rows = qs.order_by(path, paths[0], "pk").values_list(path, *paths)
    for child, *values in rows:
        record = by_child.setdefault(child, [[] for _ in paths])
        for column, value in zip(record, values, strict=True):
            column.append(value)
    return Evidence(tuple(label for label, _name in columns), by_child)


def last_year(period: Period) -> Period:
    """The same period a year earlier (days clamped to the month end)."""
    from safeguard.core.workdays import add_months

    return Period(add_months(period.start, -12), add_months(period.end, -12))


def months_ending(day: date, count: int = 24) -> list[Period]:
    """The ``count`` calendar months up to the one holding ``day`` (which ends on ``day``)."""
    from safeguard.core.workdays import add_months

    first = date(day.year, day.month, 1)
    months = []
    for back in range(count - 1, -1, -1):
        start = add_months(first, -back)
        end = add_months(start, 1) - (date(2000, 1, 2) - date(2000, 1, 1))
        months.append(Period(start, min(end, day)))
    return months


def trend(
    indicator: Indicator, day: date, scope: Scope = EVERYTHING
) -> list[tuple[Period, Figure]]:
    """The indicator for each of the 24 months up to ``day``.

    An "in period" indicator is one query per part over the 24 months, grouped by the month
    of its period date; what is open on a day is measured on each month's last day.
    """
    ensure_calendar()
    months = months_ending(day)
    batch = _Batch()
    if indicator.period_field is None:
        later = [(m, _figure_later(batch, indicator, m, scope, False)) for m in months]
        batch.run()
        return [(m, built()) for m, built in later]
    span = Period(months[0].start, months[-1].end)

    def by_month(part, source, field):
        def build():
            qs = scoped(indicator, source(span), span, scope)
            return (
                qs.annotate(_month=TruncMonth(indicator.period_field))
                .values("_month")
                .annotate(n=Count(field, distinct=True))
                .order_by()
            )

        rows = batch.add(("trend", part, indicator.id, span, scope), build)
        return lambda: {_as_date(month): n for month, n in rows()}

    den_rows = by_month("den", indicator.denominator, indicator.count_denominator)
    num_rows = None
    if indicator.numerator:
        num_rows = by_month("num", indicator.numerator, indicator.count_numerator)
    batch.run()
    den = den_rows()
    num = num_rows() if num_rows else None
    return [
        (m, Figure(indicator, None if num is None else num.get(m.start, 0), den.get(m.start, 0)))
        for m in months
    ]


def _as_date(value) -> date:
    if isinstance(value, str):  # SQLite may hand back text for an expression's month
        return date.fromisoformat(value[:10])
    return value.date() if hasattr(value, "date") and callable(value.date) else value


# --- What a page asks for: the authority filter, a team or worker, the children ----------


def authority_filter(authority_id: int) -> int | None:
    """``authority_id``, or None when the database holds no other authority: every record
    belongs to an authority, so then the filter changes no figure and only slows the queries
    down."""
    if LocalAuthority.objects.exclude(pk=authority_id).exists():
        return authority_id
    return None


def team_by_id(pk) -> Team:
    """The team asked for in a query string; 404 if none (or not a number)."""
    return _by_id(Team, pk)


def worker_by_id(pk) -> User:
    """The worker asked for in a query string; 404 if none (or not a number)."""
    return _by_id(User, pk)


def _by_id(model, pk):
    try:
        found = model.objects.filter(pk=int(pk)).first()
    except ValueError as error:
        raise Http404 from error
    if found is None:
        raise Http404
    return found


def case_holders(teams, day: date) -> QuerySet[User]:
    """Workers holding a case of one of ``teams`` on ``day``, by name."""
    held = Allocation.objects.filter(Allocation.open_on(day), worker=OuterRef("pk"), team__in=teams)
    return User.objects.filter(Exists(held)).order_by("last_name", "first_name")


def visible_children(user, ids) -> QuerySet[Person]:
    """Those of the children ``ids`` (behind a figure) whose record ``user`` may see, by name:
    a drill-down pages through them in the database, then shows each page through
    ``people.selectors.show_rows``."""
    return (
        people_permissions.visible_to(user)
        .filter(pk__in=ids)
        .order_by("family_name", "given_names", "pk")
    )


def target_versions(authority_id: int):
    """Every version of the authority's targets, newest first within each indicator, with
    who set and agreed them. One query."""
    from safeguard.performance.models import Target

    return list(
        Target.objects.filter(authority_id=authority_id)
        .select_related("set_by", "agreed_by")
        .order_by("indicator_id", "-set_at")
    )


def target_by_id(user, target_id):
    """A target of the user's authority, for agreeing; 404 for another's or none."""
    from safeguard.performance.models import Target

    found = Target.objects.filter(pk=target_id, authority_id=user.agency.authority_id).first()
    if found is None:
        raise Http404
    return found
