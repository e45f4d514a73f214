"""Figures from the indicator definitions: aggregate queries, one or two per indicator.

``figures(period, scope)`` gives every indicator present for a period; ``figure`` one;
``figures_by`` one indicator per team or per worker in a single grouped query; and
``children_behind`` the ids of the children behind a numerator or denominator, for
drill-down lists (which then go through ``people.selectors.access_people``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db import connection
from django.db.models import (
    Case,
    Count,
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

from safeguard.casework.models import Allocation
from safeguard.performance.calendar import calendar_generation, ensure_calendar, in_range
from safeguard.performance.indicators import BY_ID, INDICATORS, Indicator, Period, Scope
from safeguard.quality.selectors import open_issue_children

SCALE = 10_000  # four decimal places
EVERYTHING = Scope()


@dataclass(frozen=True)
class Figure:
    indicator: Indicator
    numerator: int | None
    denominator: int

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


def check_period(period: Period) -> None:
    from safeguard.core.errors import ApplicationError

    if not (in_range(period.start) and in_range(period.end)):
        raise ApplicationError("The period must fall between 1970 and 2070.")


def _case_ref(indicator: Indicator) -> str:
    return indicator.case_path or "pk"


def attributed(indicator: Indicator, qs: QuerySet, period: Period) -> QuerySet:
    """Annotate ``_worker`` and ``_team``: who the record belongs to (see indicators.py)."""
    if indicator.staff:
        return qs.annotate(_worker=F("worker"), _team=F("team"))
    case = OuterRef(_case_ref(indicator))
    as_of = OuterRef(indicator.as_of) if indicator.as_of else period.end
    held = (
        Allocation.objects.filter(case=case, start_date__lte=as_of)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=as_of))
        .order_by("-start_date", "-pk")
    )
    later = Allocation.objects.filter(case=case, start_date__gt=as_of).order_by("start_date", "pk")
    return qs.annotate(
        _worker=Coalesce(Subquery(held.values("worker")[:1]), Subquery(later.values("worker")[:1])),
        _team=Coalesce(Subquery(held.values("team")[:1]), Subquery(later.values("team")[:1])),
    )


def scoped(indicator: Indicator, qs: QuerySet, period: Period, scope: Scope) -> QuerySet:
    if scope.authority_id is not None:
        path = (
            "case__authority_id"
            if indicator.staff
            else (f"{indicator.case_path}__authority_id" if indicator.case_path else "authority_id")
        )
        qs = qs.filter(**{path: scope.authority_id})
    if scope.team_id is not None or scope.worker_id is not None:
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


def _rows(key: tuple, build) -> list[tuple]:
    key = (*key, calendar_generation(), connection.vendor)
    compiled = _SQL.get(key)
    if compiled is None:
        compiled = build().query.sql_with_params()
        if len(_SQL) >= _SQL_LIMIT:
            _SQL.clear()
        _SQL[key] = compiled
    sql, params = compiled
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _count(key: tuple, build, field: str) -> int:
    """COUNT(DISTINCT field) over the queryset ``build()`` makes, as one aggregate row.

    Grouping on a constant keeps it a plain aggregate (an empty table gives no row: 0).
    """

    def counting():
        return (
            build()
            .order_by()
            .annotate(_all=Value(1, output_field=IntegerField()))
            .values("_all")
            .annotate(n=Count(field, distinct=True))
            .values("n")
        )

    rows = _rows(key, counting)
    return rows[0][0] if rows else 0


def figure(
    indicator: Indicator, period: Period, scope: Scope = EVERYTHING, *, checked=False
) -> Figure:
    if not checked:
        ensure_calendar()
    key = (indicator.id, period, scope)
    den = _count(
        ("den", *key),
        lambda: scoped(indicator, indicator.denominator(period), period, scope),
        indicator.count_denominator,
    )
    num = None
    if indicator.numerator is not None:
        num = _count(
            ("num", *key),
            lambda: scoped(indicator, indicator.numerator(period), period, scope),
            indicator.count_numerator,
        )
    return Figure(indicator, num, den)


def present(indicator: Indicator, period: Period) -> bool:
    return indicator.present is None or indicator.present(period)


def figures(period: Period, scope: Scope = EVERYTHING) -> dict[str, Figure]:
    """Every indicator of kpis.md sections 2 and 4, and section 3's when their data exist."""
    check_period(period)
    ensure_calendar()
    return {
        indicator.id: figure(indicator, period, scope, checked=True)
        for indicator in INDICATORS
        if present(indicator, period)
    }


def figures_compared(
    period: Period, previous: Period, scope: Scope = EVERYTHING
) -> dict[str, tuple[Figure, Figure | None]]:
    """Every indicator for ``period`` and for ``previous`` (the dashboard's "last year").

    When the two periods do not overlap, an "in period" indicator is one query per part for
    both, grouped by which period its date falls in; the rest are measured on each end day.
    """
    check_period(period)
    check_period(previous)
    ensure_calendar()
    apart = previous.end < period.start or period.end < previous.start
    span = Period(min(period.start, previous.start), max(period.end, previous.end))
    out = {}
    for indicator in INDICATORS:
        here = present(indicator, period)
        there = present(indicator, previous)
        if not here:
            continue
        if not (apart and indicator.period_field):
            now = figure(indicator, period, scope, checked=True)
            before = figure(indicator, previous, scope, checked=True) if there else None
            out[indicator.id] = (now, before)
            continue
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

        def grouped(part, source, count_field, bucket=bucket, indicator=indicator):
            def build():
                qs = scoped(indicator, source(span), span, scope)
                return (
                    qs.annotate(_bucket=bucket)
                    .values("_bucket")
                    .annotate(n=Count(count_field, distinct=True))
                    .order_by()
                )

            key = ("compared", part, indicator.id, period, previous, scope)
            return dict(_rows(key, build))

        den = grouped("den", indicator.denominator, indicator.count_denominator)
        num = None
        if indicator.numerator:
            num = grouped("num", indicator.numerator, indicator.count_numerator)
        now, before = (
            Figure(indicator, None if num is None else num.get(key, 0), den.get(key, 0))
            for key in (1, 0)
        )
        out[indicator.id] = (now, before if there else None)
    return out


def figures_by(
    indicator: Indicator, period: Period, group: str, authority_id: int | None = None
) -> dict[int, Figure]:
    """One indicator for every team (``group="team"``) or worker, in one query per part."""
    assert group in ("team", "worker")
    ensure_calendar()
    key = f"_{group}"

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

        return dict(_rows(("by", group, part, indicator.id, period, authority_id), build))

    den = counts("den", indicator.denominator, indicator.count_denominator)
    num = None
    if indicator.numerator:
        num = counts("num", indicator.numerator, indicator.count_numerator)
    return {
        who: Figure(indicator, num.get(who, 0) if indicator.numerator else None, n)
        for who, n in den.items()
    }


def children_behind(indicator_id: str, period: Period, scope: Scope, part: str) -> list[UUID]:
    """Ids of the children behind a figure's ``numerator`` or ``denominator``."""
    indicator = BY_ID[indicator_id]
    ensure_calendar()
    source = indicator.numerator if part == "numerator" else indicator.denominator
    if source is None:
        return []
    path = "case__child" if indicator.staff else indicator.child_path
    qs = scoped(indicator, source(period), period, scope)
    return sorted(set(qs.values_list(path, flat=True)))


def children_with_errors(
    indicator_id: str, period: Period, scope: Scope, part: str, children=None
) -> int | None:
    """How many of the children behind a figure's ``numerator`` or ``denominator`` have an
    open data-quality issue (``quality``); None when the figure has no such part.
    ``children``: ``quality.selectors.open_issue_children(authority)``, when already read."""
    indicator = BY_ID[indicator_id]
    source = indicator.numerator if part == "numerator" else indicator.denominator
    if source is None:
        return None
    if children is None:  # called on its own: otherwise the page has done both
        ensure_calendar()
        children = open_issue_children(scope.authority_id)
    if not children:
        return 0
    path = "case__child" if indicator.staff else indicator.child_path
    qs = scoped(indicator, source(period), period, scope)
    return qs.filter(**{f"{path}__in": children}).values(path).distinct().count()


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
    if indicator.period_field is None:
        return [(m, figure(indicator, m, scope, checked=True)) for m in months]
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

        rows = _rows(("trend", part, indicator.id, span, scope), build)
        return {_as_date(month): n for month, n in rows}

    den = by_month("den", indicator.denominator, indicator.count_denominator)
    num = None
    if indicator.numerator:
        num = by_month("num", indicator.numerator, indicator.count_numerator)
    return [
        (m, Figure(indicator, None if num is None else num.get(m.start, 0), den.get(m.start, 0)))
        for m in months
    ]


def _as_date(value) -> date:
    if isinstance(value, str):  # SQLite may hand back text for an expression's month
        return date.fromisoformat(value[:10])
    return value.date() if hasattr(value, "date") and callable(value.date) else value
