"""The performance dashboard: every indicator with its definition, numerator and denominator,
the same period last year, a 24-month trend, figures by team, and the children behind a
figure. Every table downloads as CSV (``?format=csv``)."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from safeguard.accounts.models import LocalAuthority, Team, User
from safeguard.audit.models import AccessPurpose
from safeguard.casework.models import Allocation
from safeguard.core.csv import csv_response
from safeguard.core.errors import ApplicationError
from safeguard.people import permissions as people_permissions
from safeguard.people import selectors as people
from safeguard.performance import permissions, selectors
from safeguard.performance.charts import bar_chart
from safeguard.performance.indicators import BY_ID, INDICATORS, Period, Scope
from safeguard.quality import selectors as quality_selectors


def _csv(filename, header, rows):
    return csv_response(filename, rows=rows, header=header)


PARTS = {"numerator": "Numerator", "denominator": "Denominator"}
PAGE_SIZE = 100


def _shown(fig) -> str:
    value = fig.value
    if value is None:
        return "no data"
    if fig.indicator.kind == "rate":
        return f"{value * 100:.1f}%"
    if fig.indicator.kind == "value":
        return f"{value:.1f}"
    return f"{value:,}"


class Choice:
    """The period and scope asked for in the query string, checked."""

    def __init__(self, request):
        self.errors: list[str] = []
        user = request.user
        default = selectors.last_census_year(timezone.localdate())
        self.start = self._day(request.GET.get("from"), default.start, "from")
        self.end = self._day(request.GET.get("to"), default.end, "to")
        if self.end < self.start:
            self.errors.append("The end of the period must not be before its start.")
            self.start, self.end = default.start, default.end
        self.period = Period(self.start, self.end)
        try:
            selectors.check_period(self.period, compared=True)
        except ApplicationError as error:
            self.errors.append(error.message)
            self.period = default
            self.start, self.end = default.start, default.end
        self.team = self.worker = None
        if request.GET.get("team"):
            self.team = _get(Team, request.GET["team"])
            if not permissions.can(user, "view_team", self.team):
                raise PermissionDenied
        if request.GET.get("worker"):
            self.worker = _get(User, request.GET["worker"])
            if not permissions.can(user, "view_worker", self.worker):
                raise PermissionDenied
        # Every record belongs to an authority; when the database holds only this one, the
        # filter changes no figure and only slows the queries down.
        authority_id = user.agency.authority_id
        if not LocalAuthority.objects.exclude(pk=authority_id).exists():
            authority_id = None
        self.scope = Scope(
            authority_id=authority_id,
            team_id=self.team.pk if self.team else None,
            worker_id=self.worker.pk if self.worker else None,
        )

    def _day(self, text, default, name):
        if not text:
            return default
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.errors.append(f"Enter the '{name}' date as YYYY-MM-DD, like 2026-03-31.")
            return default

    @property
    def label(self) -> str:
        who = self.worker or self.team
        return f"{who}" if who else "the whole authority"

    def query(self, **more) -> str:
        params = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.team:
            params["team"] = self.team.pk
        if self.worker:
            params["worker"] = self.worker.pk
        params.update(more)
        return urlencode(params)


def _get(model, pk):
    try:
        return get_object_or_404(model, pk=int(pk))
    except ValueError as error:
        raise Http404 from error


def _choice(request) -> Choice:
    if not permissions.can(request.user, "view"):
        raise PermissionDenied
    return Choice(request)


@login_required
@require_GET
def dashboard(request):
    choice = _choice(request)
    compared = selectors.figures_compared(
        choice.period, selectors.last_year(choice.period), choice.scope, errors=True
    )
    rows = list(compared.values())
    if request.GET.get("format") == "csv":
        checked = quality_selectors.last_full_check(request.user.agency.authority_id)
        return _csv(
            f"indicators-{choice.start}-{choice.end}.csv",
            [
                "id",
                "indicator",
                "definition",
                "numerator",
                "denominator",
                "value",
                "last year numerator",
                "last year denominator",
                "last year value",
                "children with errors in the numerator",
                "children with errors in the denominator",
                "validated",
            ],
            [
                (
                    f.indicator.id,
                    f.indicator.title,
                    f.indicator.definition,
                    f.numerator,
                    f.denominator,
                    f.value,
                    *((b.numerator, b.denominator, b.value) if b else ("",) * 3),
                    "" if f.numerator_errors is None else f.numerator_errors,
                    f.denominator_errors,
                    VALIDATED_CELL[f.quality(checked)],
                )
                for f, b in rows
            ],
        )
    teams = permissions.visible_to(request.user).order_by("name")
    context = {
        "choice": choice,
        "rows": [(f, _shown(f), b, _shown(b) if b else "") for f, b in rows],
        "last_year": selectors.last_year(choice.period),
        "teams": teams,
        "workers": _case_holders(choice, teams),
        "many_teams": not choice.team and not _one(teams),
        "quality_check": quality_selectors.last_full_check(request.user.agency.authority_id),
    }
    return render(request, "performance/dashboard.html", context)


# The dashboard CSV's "validated" column for each ``Figure.quality``.
VALIDATED_CELL = {"validated": "yes", "errors": "no", "not checked": "not checked"}


def _one(teams) -> bool:
    return len(teams[:2]) == 1


def _case_holders(choice: Choice, teams):
    """Workers holding a case of the shown team on the period end, for the by-worker links:
    those of the chosen team, or of the viewer's only team. A whole authority's workers are
    reached through its teams (hundreds of links help no one)."""
    if choice.worker or not (choice.team or _one(teams)):
        return User.objects.none()
    held = Allocation.objects.filter(
        Allocation.open_on(choice.end),
        worker=OuterRef("pk"),
        team__in=[choice.team] if choice.team else teams,
    )
    return User.objects.filter(Exists(held)).order_by("last_name", "first_name")


def _indicator(kpi_id: str):
    indicator = BY_ID.get(kpi_id)
    if indicator is None:
        raise Http404
    return indicator


@login_required
@require_GET
def indicator_detail(request, kpi_id: str):
    indicator = _indicator(kpi_id)
    choice = _choice(request)
    fig = selectors.figure(indicator, choice.period, choice.scope, errors=True)
    before = selectors.figure(indicator, selectors.last_year(choice.period), choice.scope)
    months = selectors.trend(indicator, choice.end, choice.scope)
    table = request.GET.get("table")
    if request.GET.get("format") == "csv" and table == "trend":
        return _csv(
            f"{indicator.id}-trend-{choice.end}.csv",
            ["month", "from", "to", "numerator", "denominator", "value"],
            [
                (m.start.strftime("%Y-%m"), m.start, m.end, f.numerator, f.denominator, f.value)
                for m, f in months
            ],
        )
    visible_teams = permissions.visible_to(request.user)
    names = dict(visible_teams.values_list("pk", "name"))
    by_team = selectors.figures_by(indicator, choice.period, "team", choice.scope.authority_id)
    team_rows = sorted(
        ((names[t], t, f) for t, f in by_team.items() if t in names), key=lambda r: r[0]
    )
    if request.GET.get("format") == "csv" and table == "teams":
        return _csv(
            f"{indicator.id}-teams-{choice.start}-{choice.end}.csv",
            ["team", "numerator", "denominator", "value"],
            [(name, f.numerator, f.denominator, f.value) for name, _, f in team_rows],
        )
    if request.GET.get("format") == "csv":
        raise Http404
    chart = bar_chart(
        [(m.start.strftime("%b %Y"), f.value, _shown(f)) for m, f in months],
        percent=indicator.kind == "rate",
    )
    context = {
        "choice": choice,
        "indicator": indicator,
        "figure": fig,
        "shown": _shown(fig),
        "before": before,
        "before_shown": _shown(before),
        "last_year": selectors.last_year(choice.period),
        "months": [(m, f, _shown(f)) for m, f in months],
        "chart": chart,
        "team_rows": [(name, pk, f, _shown(f)) for name, pk, f in team_rows],
        "quality_check": quality_selectors.last_full_check(request.user.agency.authority_id),
    }
    return render(request, "performance/indicator.html", context)


def _children_shown(request, ids, csv_wanted: bool):
    """The children behind a figure that ``request.user`` may see: all of them for a download,
    else one page of ``PAGE_SIZE``. Only those shown (or downloaded) are logged."""
    visible = people_permissions.visible_to(request.user).filter(pk__in=ids)
    total = visible.count()
    ordered = visible.order_by("family_name", "given_names", "pk")
    page, pages = 1, max(1, -(-total // PAGE_SIZE))
    if csv_wanted:
        shown = list(ordered)
    else:
        try:
            page = min(max(1, int(request.GET.get("page", "1"))), pages)
        except ValueError:
            page = 1
        shown = list(ordered[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    people.access_people(
        user=request.user, people=shown, purpose=AccessPurpose.LIST, request=request
    )
    return shown, total, page, pages


def _children_csv(filename: str, shown):
    return _csv(
        filename,
        ["family name", "given names", "date of birth", "local child id"],
        [(p.family_name, p.given_names, p.date_of_birth, p.la_child_id) for p in shown],
    )


@login_required
@require_GET
def children(request, kpi_id: str):
    indicator = _indicator(kpi_id)
    choice = _choice(request)
    if not permissions.can(request.user, "view_children"):
        raise PermissionDenied
    part = request.GET.get("part", "denominator")
    if part not in PARTS or (part == "numerator" and indicator.numerator is None):
        raise Http404
    ids = selectors.children_behind(indicator.id, choice.period, choice.scope, part)
    csv_wanted = request.GET.get("format") == "csv"
    shown, total, page, pages = _children_shown(request, ids, csv_wanted)
    if csv_wanted:
        return _children_csv(f"{indicator.id}-{part}-{choice.start}-{choice.end}.csv", shown)
    context = {
        "choice": choice,
        "indicator": indicator,
        "part": part,
        "part_label": PARTS[part],
        "part_text": indicator.numerator_text
        if part == "numerator"
        else indicator.denominator_text,
        "people": shown,
        "total": total,
        "page": page,
        "pages": pages,
        "previous_query": choice.query(part=part, page=page - 1) if page > 1 else "",
        "next_query": choice.query(part=part, page=page + 1) if page < pages else "",
        "hidden": len(ids) - total,
        "back": reverse("performance:indicator", args=[indicator.id]) + "?" + choice.query(),
    }
    return render(request, "performance/children.html", context)


__all__ = ["INDICATORS", "children", "dashboard", "indicator_detail"]


# -- Demand: contacts and referrals by week and by source, and the funnel ------------------

from dataclasses import replace  # noqa: E402
from types import SimpleNamespace  # noqa: E402

from safeguard.performance import demand as demand_figures  # noqa: E402


class DemandChoice(Choice):
    """The dashboard's period and scope, defaulting to the last 13 complete weeks, and at
    most about two years (a bar a week)."""

    def __init__(self, request):
        default = demand_figures.default_period(timezone.localdate())
        asked = request.GET.copy()
        asked.setdefault("from", default.start.isoformat())
        asked.setdefault("to", default.end.isoformat())
        if not asked["from"]:
            asked["from"] = default.start.isoformat()
        if not asked["to"]:
            asked["to"] = default.end.isoformat()
        super().__init__(SimpleNamespace(user=request.user, GET=asked))
        # The dashboard's checks ran (dates, order, range, team and worker); where they
        # found a problem, show this page's default period instead of the census year.
        if self.errors:
            self.start, self.end = default.start, default.end
        weeks = (self.end - demand_figures.monday(self.start)).days // 7 + 1
        if weeks > demand_figures.MAX_WEEKS:
            self.errors.append(
                f"Choose a period of at most {demand_figures.MAX_WEEKS} weeks "
                f"(this one touches {weeks})."
            )
            self.start, self.end = default.start, default.end
        self.period = Period(self.start, self.end)


def _demand_choice(request) -> DemandChoice:
    if not permissions.can(request.user, "view"):
        raise PermissionDenied
    return DemandChoice(request)


def _rate(value) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


@login_required
@require_GET
def demand(request):
    choice = _demand_choice(request)
    weeks = demand_figures.by_week(choice.period, choice.scope)
    sources = demand_figures.by_source(choice.period, choice.scope)
    steps = demand_figures.funnel(choice.period, choice.scope)
    table = request.GET.get("table")
    if request.GET.get("format") == "csv":
        name = f"{choice.start}-{choice.end}.csv"
        if table == "weeks":
            return _csv(
                f"demand-weeks-{name}",
                ["iso week", "from", "to", "contacts", "referrals"],
                [(w.label, w.start, w.end, w.contacts, w.referrals) for w in weeks],
            )
        if table == "sources":
            return _csv(
                f"demand-sources-{name}",
                ["source code", "source", "contacts", "contacts share", "referrals",
                 "referrals share"],
                [
                    (s.code, s.label, s.contacts, s.contacts_share, s.referrals,
                     s.referrals_share)
                    for s in sources
                ],
            )
        if table == "funnel":
            return _csv(
                f"demand-funnel-{name}",
                ["step", "definition", "contacts", "of", "rate of previous step",
                 "rate of contacts"],
                [
                    (
                        r.step.title,
                        r.step.definition,
                        r.count,
                        demand_figures.STEPS_BY_ID[r.step.parent].title if r.step.parent else "",
                        r.rate,
                        r.of_contacts,
                    )
                    for r in steps
                ],
            )
        raise Http404
    # One scale for both charts, in whole numbers: the axis top is a multiple of 4 (its
    # four gridline steps), so that the gridlines fall on counts.
    highest = max([w.contacts for w in weeks] + [w.referrals for w in weeks], default=0)
    top = max(4, -(-highest // 4) * 4)

    def count_chart(points):
        chart = bar_chart(points, top=top)
        return replace(
            chart,
            gridlines=[(y, f"{top * i // 4:,}") for i, (y, _) in enumerate(chart.gridlines)],
        )

    context = {
        "choice": choice,
        "teams": permissions.visible_to(request.user).order_by("name"),
        "weeks": weeks,
        "charts": [
            (
                "contacts",
                "Contacts",
                count_chart([(w.label, w.contacts, f"{w.contacts:,}") for w in weeks]),
            ),
            (
                "referrals",
                "Referrals",
                count_chart([(w.label, w.referrals, f"{w.referrals:,}") for w in weeks]),
            ),
        ],
        "totals": (sum(w.contacts for w in weeks), sum(w.referrals for w in weeks)),
        "sources": [(s, _rate(s.contacts_share), _rate(s.referrals_share)) for s in sources],
        "funnel": [
            (
                r,
                demand_figures.STEPS_BY_ID[r.step.parent].title if r.step.parent else "",
                _rate(r.rate),
                _rate(r.of_contacts),
            )
            for r in steps
        ],
    }
    return render(request, "performance/demand.html", context)


def _demand_figure(request) -> tuple[str, str, str, str]:
    """The figure asked for (table, series, key) and how the page names it; 404 if none."""
    table = request.GET.get("table", "")
    series = request.GET.get("series", "")
    key = request.GET.get("key", "")
    if table == "funnel":
        step = demand_figures.STEPS_BY_ID.get(key)
        if step is None:
            raise Http404
        return table, series, key, f"Funnel: {step.title.lower()}"
    chosen = demand_figures.SERIES.get(series)
    if chosen is None:
        raise Http404
    if table == "weeks":
        try:
            week = date.fromisoformat(key)
        except ValueError as error:
            raise Http404 from error
        return table, series, key, f"{chosen.title} in week {demand_figures.week_label(week)}"
    if table == "sources":
        label = demand_figures.SourceRow(key, 0, 0, 0, 0).label
        return table, series, key, f"{chosen.title} from source {key or '(none)'}: {label}"
    raise Http404


@login_required
@require_GET
def demand_children(request):
    choice = _demand_choice(request)
    if not permissions.can(request.user, "view_children"):
        raise PermissionDenied
    table, series, key, title = _demand_figure(request)
    try:
        ids = demand_figures.children_behind(
            choice.period, choice.scope, table=table, series=series, key=key
        )
    except (KeyError, ValueError) as error:
        raise Http404 from error
    csv_wanted = request.GET.get("format") == "csv"
    shown, total, page, pages = _children_shown(request, ids, csv_wanted)
    if csv_wanted:
        name = f"demand-{table}-{series + '-' if series else ''}{key}-{choice.start}-{choice.end}"
        return _children_csv(f"{name}.csv", shown)
    figure_query = {"table": table, "key": key}
    if series:
        figure_query["series"] = series
    context = {
        "choice": choice,
        "title": title,
        "figure_query": figure_query,
        "people": shown,
        "total": total,
        "page": page,
        "pages": pages,
        "previous_query": choice.query(**figure_query, page=page - 1) if page > 1 else "",
        "next_query": choice.query(**figure_query, page=page + 1) if page < pages else "",
        "csv_query": choice.query(**figure_query, format="csv"),
        "hidden": len(ids) - total,
        "back": reverse("performance:demand") + "?" + choice.query(),
    }
    return render(request, "performance/demand_children.html", context)
