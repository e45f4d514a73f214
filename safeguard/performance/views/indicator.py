"""One indicator: its figure and last year's, a 24-month trend (chart and table) and the
figure of each team the user may see."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safeguard.performance import permissions, selectors, targets
from safeguard.performance.charts import bar_chart
from safeguard.performance.indicators import BY_ID
from safeguard.performance.views.choice import choice, csv_table, shown
from safeguard.quality import selectors as quality_selectors


def indicator_or_404(kpi_id: str):
    indicator = BY_ID.get(kpi_id)
    if indicator is None:
        raise Http404
    return indicator


@login_required
@require_GET
def indicator_detail(request, kpi_id: str):
    indicator = indicator_or_404(kpi_id)
    chosen = choice(request)
    fig = selectors.figure(indicator, chosen.period, chosen.scope, errors=True)
    before = selectors.figure(indicator, selectors.last_year(chosen.period), chosen.scope)
    months = selectors.trend(indicator, chosen.end, chosen.scope)
    table = request.GET.get("table")
    if request.GET.get("format") == "csv" and table == "trend":
        return csv_table(
            f"{indicator.id}-trend-{chosen.end}.csv",
            ["month", "from", "to", "numerator", "denominator", "value"],
            [
                (m.start.strftime("%Y-%m"), m.start, m.end, f.numerator, f.denominator, f.value)
                for m, f in months
            ],
        )
    visible_teams = permissions.visible_to(request.user)
    names = dict(visible_teams.values_list("pk", "name"))
    by_team = selectors.figures_by(indicator, chosen.period, "team", chosen.scope.authority_id)
    team_rows = sorted(
        ((names[t], t, f) for t, f in by_team.items() if t in names), key=lambda r: r[0]
    )
    if request.GET.get("format") == "csv" and table == "teams":
        return csv_table(
            f"{indicator.id}-teams-{chosen.start}-{chosen.end}.csv",
            ["team", "numerator", "denominator", "value"],
            [(name, f.numerator, f.denominator, f.value) for name, _, f in team_rows],
        )
    if request.GET.get("format") == "csv":
        raise Http404
    chart = bar_chart(
        [(m.start.strftime("%b %Y"), f.value, shown(f)) for m, f in months],
        percent=indicator.kind == "rate",
    )
    target = targets.current(request.user.agency.authority_id).get(indicator.id)
    context = {
        "choice": chosen,
        "indicator": indicator,
        "target": target,
        "standing": targets.standing(target, fig, chosen.end),
        "figure": fig,
        "shown": shown(fig),
        "before": before,
        "before_shown": shown(before),
        "last_year": selectors.last_year(chosen.period),
        "months": [(m, f, shown(f), targets.standing(target, f, m.end)) for m, f in months],
        "chart": chart,
        "team_rows": [(name, pk, f, shown(f)) for name, pk, f in team_rows],
        "quality_check": quality_selectors.last_full_check(request.user.agency.authority_id),
    }
    return render(request, "performance/indicator.html", context)
