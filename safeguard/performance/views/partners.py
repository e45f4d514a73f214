"""Partner figures by agency (decisions 0070, 0073): conference attendance, conference reports
sent on time, plan actions done on time and information requests answered on time, for the
authority and a period, each with its numerator and denominator; as a page, as CSV and as a
printed report (PDF)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from safeguard.core.downloads import attachment
from safeguard.performance import partners as partner_figures
from safeguard.performance.documents import partners_pdf
from safeguard.performance.views.choice import choice as checked_choice
from safeguard.performance.views.choice import csv_table

CSV_HEADER = ["figure", "agency", "numerator", "denominator", "rate", "from", "to", "counts"]


def _percent(rate) -> str:
    return "" if rate is None else f"{rate * 100:.1f}%"


def _figures(request):
    """The checked period (403 for anyone who may not see the dashboard) and the figures of
    the user's authority: a team or worker asked for is checked, but the figures are the
    authority's (they are by agency). With no period asked for, the twelve months to today:
    the partnership watches its agencies' part as it goes, not a census year after it."""
    choice = checked_choice(request, default=partner_figures.twelve_months_to(timezone.localdate()))
    figures = partner_figures.partner_figures(
        authority_id=request.user.agency.authority_id,
        period=choice.period,
        today=timezone.localdate(),
    )
    return choice, figures


def _csv(choice, figures):
    return csv_table(
        f"partner-figures-{choice.start}-{choice.end}.csv",
        CSV_HEADER,
        [
            (
                figure.title, row.agency, row.numerator, row.denominator, _percent(row.rate),
                choice.start.isoformat(), choice.end.isoformat(),
                f"{figure.numerator} of {figure.denominator.lower()}",
            )
            for figure, rows in figures
            for row in rows
        ],
    )  # fmt: skip


def _pdf(request, choice, figures):
    content = partners_pdf(
        authority=request.user.agency.authority.name,
        start=choice.start,
        end=choice.end,
        figures=figures,
        at=timezone.localtime(),
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = attachment(f"partner-figures-{choice.start}-{choice.end}.pdf")
    return response


@login_required
@require_GET
def partners(request):
    choice, figures = _figures(request)
    if request.GET.get("format") == "csv":
        return _csv(choice, figures)
    if request.GET.get("format") == "pdf":
        return _pdf(request, choice, figures)
    return render(
        request,
        "performance/partners.html",
        {
            "choice": choice,
            "teams": None,
            "figures": [
                (figure, [(row, _percent(row.rate)) for row in rows]) for figure, rows in figures
            ],
        },
    )


@login_required
@require_GET
def partners_csv(request):
    """The same figures as CSV, at an address of their own (``?format=csv`` on the page
    gives the same)."""
    choice, figures = _figures(request)
    return _csv(choice, figures)


@login_required
@require_GET
def partners_pdf_report(request):
    """The same figures as a printed report for the partnership's board, with the period and
    each figure's definition (decision 0073)."""
    choice, figures = _figures(request)
    return _pdf(request, choice, figures)
