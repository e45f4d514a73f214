"""Demand: contacts and referrals by week and by source, the contact-to-plan funnel, and
the children behind each of those figures."""

from dataclasses import replace
from datetime import date
from types import SimpleNamespace

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from safeguard.performance import demand as demand_figures
from safeguard.performance import permissions
from safeguard.performance.charts import bar_chart
from safeguard.performance.indicators import Period
from safeguard.performance.permissions import Action
from safeguard.performance.views.choice import Choice, csv_table
from safeguard.performance.views.drilldown import children_csv, children_page, with_evidence


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
    if not permissions.can(request.user, Action.VIEW):
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
            return csv_table(
                f"demand-weeks-{name}",
                ["iso week", "from", "to", "contacts", "referrals"],
                [(w.label, w.start, w.end, w.contacts, w.referrals) for w in weeks],
            )
        if table == "sources":
            return csv_table(
                f"demand-sources-{name}",
                [
                    "source code",
                    "source",
                    "contacts",
                    "contacts share",
                    "referrals",
                    "referrals share",
                ],
                [
                    (s.code, s.label, s.contacts, s.contacts_share, s.referrals, s.referrals_share)
                    for s in sources
                ],
            )
        if table == "funnel":
            return csv_table(
                f"demand-funnel-{name}",
                [
                    "step",
                    "definition",
                    "contacts",
                    "of",
                    "rate of previous step",
                    "rate of contacts",
                ],
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
    if not permissions.can(request.user, Action.VIEW_CHILDREN):
        raise PermissionDenied
    table, series, key, title = _demand_figure(request)
    try:
        ids = demand_figures.children_behind(
            choice.period, choice.scope, table=table, series=series, key=key
        )
    except (KeyError, ValueError) as error:
        raise Http404 from error
    csv_wanted = request.GET.get("format") == "csv"
    shown = children_page(request, ids, csv_wanted)
    evidence = demand_figures.evidence_behind(
        choice.period, choice.scope, [p.pk for p in shown.people],
        table=table, series=series, key=key,
    )  # fmt: skip
    with_evidence(shown.people, evidence)
    if csv_wanted:
        name = f"demand-{table}-{series + '-' if series else ''}{key}-{choice.start}-{choice.end}"
        return children_csv(f"{name}.csv", shown.people, evidence.labels)
    page, pages = shown.page, shown.pages
    figure_query = {"table": table, "key": key}
    if series:
        figure_query["series"] = series
    context = {
        "choice": choice,
        "title": title,
        "figure_query": figure_query,
        "people": shown.people,
        "evidence_labels": evidence.labels,
        "total": shown.total,
        "page": page,
        "pages": pages,
        "previous_query": choice.query(**figure_query, page=page - 1) if page > 1 else "",
        "next_query": choice.query(**figure_query, page=page + 1) if page < pages else "",
        "csv_query": choice.query(**figure_query, format="csv"),
        "hidden": shown.hidden,
        "back": reverse("performance:demand") + "?" + choice.query(),
    }
    return render(request, "performance/demand_children.html", context)
