"""The pack sections the boards app knows (decision 0084): the chosen indicators against
target with their trend, case-file audit results (``assurance``) and partner figures
(``performance.partners``). Every number is suppressed for board members
(``boards.suppression``)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Value
from django.db.models.functions import Coalesce, NullIf

from safeguard.assurance.models import Audit, Grade
from safeguard.boards import suppression
from safeguard.boards.packs import register_section
from safeguard.core.workdays import add_months
from safeguard.performance import selectors, targets
from safeguard.performance.indicators import Period, Scope
from safeguard.performance.partners import partner_figures

TREND_MONTHS = 6


def shown(figure) -> str:
    """A figure as a board reads it: suppressed counts and rates (``suppression``)."""
    kind = figure.indicator.kind
    if kind == "count":
        return suppression.count(figure.denominator)
    if kind == "rate":
        return suppression.rate(figure.numerator, figure.denominator)
    return "no data" if figure.value is None else f"{figure.value:.1f}"


def _standing_words(standing, figure_text: str) -> str:
    if standing is None:
        return "No target set"
    if figure_text == suppression.WITHHELD:
        return f"Target {standing.aim_shown}: not shown (small numbers)"
    return f"Target {standing.aim_shown}: {standing.status or 'no figure'}"


def indicator_rows(body, period_start: date, period_end: date) -> list[dict]:
    """The body's chosen indicators for the period: the figure (as the dashboard counts it,
    for the whole authority), the same period last year, the target and where the figure
    stands, and the last ``TREND_MONTHS`` months' figures each against its target."""
    period = Period(period_start, period_end)
    scope = Scope(authority_id=selectors.authority_filter(body.authority_id))
    compared = selectors.figures_compared(period, selectors.last_year(period), scope)
    agreed = targets.current(body.authority_id)
    rows = []
    for kpi in body.indicators:
        if kpi not in compared:
            continue
        fig, before = compared[kpi]
        target = agreed.get(kpi)
        months = selectors.trend(fig.indicator, period_end, scope)[-TREND_MONTHS:]
        text = shown(fig)
        rows.append(
            {
                "indicator": fig.indicator,
                "figure": fig,
                "shown": text,
                "last_year": shown(before) if before else "no data",
                "standing": _standing_words(targets.standing(target, fig, period_end), text),
                "trend": [
                    (
                        m,
                        shown(f),
                        _standing_words(targets.standing(target, f, m.end), shown(f)),
                    )
                    for m, f in months
                ],
            }
        )
    return rows


def build_indicators(body, period_start, period_end) -> dict:
    rows = indicator_rows(body, period_start, period_end)
    months = [m for m, _, _ in rows[0]["trend"]] if rows else []
    return {
        "notes": [
            "Each figure is counted as on the performance dashboard, with the same definitions, "
            "for the whole authority, and compared with its agreed target: on target, within "
            "tolerance or off target."
        ],
        "rows": rows,
        "tables": [
            {
                "caption": "Indicators against target",
                "header": ["Indicator", "This period", "Same period last year", "Against target"],
                "rows": [
                    [r["indicator"].title, r["shown"], r["last_year"], r["standing"]] for r in rows
                ],
            },
            {
                "caption": f"Trend: the last {len(months)} months",
                "header": ["Indicator", *[f"{m.start:%b %Y}" for m in months]],
                "rows": [
                    [r["indicator"].title, *[text for _, text, _ in r["trend"]]] for r in rows
                ],
            },
        ],
    }


def build_audits(body, period_start, period_end) -> dict:
    """Case-file audits completed in the period by their final grade (moderated, else the
    auditor's): one query."""
    final = Coalesce(NullIf("moderated_grade", Value("")), "overall_grade")
    counted = dict(
        Audit.objects.filter(
            authority_id=body.authority_id,
            completed_on__gte=period_start,
            completed_on__lte=period_end,
        )
        .exclude(status=Audit.Status.STARTED)
        .annotate(final=final)
        .values_list("final")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = [counted.get(grade, 0) for grade in Grade.values]
    total = sum(counts)
    cells = suppression.group(counts)
    good = counts[0] + counts[1]
    return {
        "notes": [
            "Case-file audits completed in the period, by their final grade (the moderator's "
            "where the audit was moderated)."
        ],
        "tables": [
            {
                "caption": "Case-file audits by grade",
                "header": ["Grade", "Audits"],
                "rows": [
                    *[[label, cell] for (_, label), cell in zip(Grade.choices, cells, strict=True)],
                    ["All audits", suppression.count(total)],
                    ["Good or better", suppression.rate(good, total)],
                ],
            }
        ],
    }


def build_partners(body, period_start, period_end) -> dict:
    """The partner figures by agency for the twelve months to the period's end."""
    period = Period(add_months(period_end, -12) + timedelta(days=1), period_end)
    tables = []
    for figure, rows in partner_figures(
        authority_id=body.authority_id, period=period, today=period_end
    ):
        tables.append(
            {
                "caption": figure.title,
                "header": ["Agency", figure.numerator, figure.denominator, "Rate"],
                "rows": [
                    [
                        r.agency,
                        suppression.count(r.numerator),
                        suppression.count(r.denominator),
                        suppression.rate(r.numerator, r.denominator),
                    ]
                    for r in rows
                ],
            }
        )
    return {
        "notes": [
            f"How each partner agency took part in child protection in the twelve months from "
            f"{period.start:%-d %B %Y} to {period.end:%-d %B %Y}."
        ],
        "tables": tables,
    }


def register_own() -> None:
    register_section(
        "indicators", "Indicators against target", build_indicators, "boards/_indicators.html"
    )
    register_section("audits", "Case-file audit results", build_audits)
    register_section("partners", "Partner figures", build_partners)
