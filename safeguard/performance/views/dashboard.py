"""The dashboard: every indicator with its definition, numerator and denominator, the same
period last year and whether its children's records are checked; the links to each team and
to the workers of the team shown."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safeguard.performance import permissions, selectors, targets
from safeguard.performance.views.choice import Choice, choice, csv_table, shown
from safeguard.quality import selectors as quality_selectors

# The dashboard CSV's "validated" column for each ``Figure.quality``.
VALIDATED_CELL = {"validated": "yes", "errors": "no", "not checked": "not checked"}


@login_required
@require_GET
def dashboard(request):
    chosen = choice(request)
    compared = selectors.figures_compared(
        chosen.period, selectors.last_year(chosen.period), chosen.scope, errors=True
    )
    rows = list(compared.values())
    if request.GET.get("format") == "csv":
        checked = quality_selectors.last_full_check(request.user.agency.authority_id)
        return csv_table(
            f"indicators-{chosen.start}-{chosen.end}.csv",
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
                "in plain words",
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
                    f.indicator.plain,
                )
                for f, b in rows
            ],
        )
    teams = permissions.visible_to(request.user).order_by("name")
    agreed = targets.current(request.user.agency.authority_id)
    context = {
        "choice": chosen,
        "rows": [
            (
                f,
                shown(f),
                b,
                shown(b) if b else "",
                targets.standing(agreed.get(f.indicator.id), f, chosen.end),
            )
            for f, b in rows
        ],
        "last_year": selectors.last_year(chosen.period),
        "teams": teams,
        "workers": _case_holders(chosen, teams),
        "many_teams": not chosen.team and not _one(teams),
        "quality_check": quality_selectors.last_full_check(request.user.agency.authority_id),
    }
    return render(request, "performance/dashboard.html", context)


def _one(teams) -> bool:
    return len(teams[:2]) == 1


def _case_holders(chosen: Choice, teams):
    """Workers holding a case of the shown team on the period end, for the by-worker links:
    those of the chosen team, or of the viewer's only team. A whole authority's workers are
    reached through its teams (hundreds of links help no one)."""
    if chosen.worker or not (chosen.team or _one(teams)):
        return []
    return selectors.case_holders([chosen.team] if chosen.team else teams, chosen.end)
