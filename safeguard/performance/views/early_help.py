"""Figures for a preventative strategy (issue 19 item 6, decision 0082): early help
assessments, step-ups and step-downs, children stepped down and referred again, contacts per
10,000 children by area and the outcomes of referrals to services, for the authority and a
period (the twelve months to today unless asked); each as a table, as CSV, and with the
children behind it, each shown logged."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from safeguard.people import selectors as people
from safeguard.performance import early_help, permissions
from safeguard.performance import partners as partner_figures
from safeguard.performance.permissions import Action
from safeguard.performance.views.choice import choice as checked_choice
from safeguard.performance.views.choice import csv_table

PAGE_SIZE = 100


def _choice(request):
    return checked_choice(request, default=partner_figures.twelve_months_to(timezone.localdate()))


@login_required
@require_GET
def early_help_figures(request):
    choice = _choice(request)
    figures = early_help.early_help_figures(
        authority_id=request.user.agency.authority_id, period=choice.period
    )
    if request.GET.get("format") == "csv":
        return csv_table(
            f"early-help-figures-{choice.start}-{choice.end}.csv",
            ["figure", "line", "column", "count", "from", "to"],
            [
                (figure.title, line.label, column, count, choice.start, choice.end)
                for figure, lines in figures
                for line in lines
                for column, count in zip(figure.columns, line.counts, strict=True)
            ],
        )
    return render(
        request,
        "performance/early_help.html",
        {"choice": choice, "teams": None, "figures": figures},
    )


@login_required
@require_GET
def early_help_children(request, figure_id: str):
    """The children behind one figure, each with the date and the codes that put them in it,
    a page at a time (or all as CSV); only the children the user may see, each shown
    logged (``show_rows``)."""
    choice = _choice(request)
    if not permissions.can(request.user, Action.VIEW_CHILDREN):
        raise PermissionDenied
    figure = early_help.FIGURES_BY_ID.get(figure_id)
    if figure is None:
        raise Http404("No such figure")
    entries = figure.entries(request.user.agency.authority_id, choice.period, with_child=True)
    entries.sort(key=lambda e: (e.day, e.line, e.column, str(e.child_id)))
    csv_wanted = request.GET.get("format") == "csv"
    pages = max(1, -(-len(entries) // PAGE_SIZE))
    page = 1
    if not csv_wanted:
        try:
            page = min(max(1, int(request.GET.get("page", "1"))), pages)
        except ValueError:
            page = 1
        entries = entries[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    shown = people.show_rows(user=request.user, rows=entries, request=request)
    if csv_wanted:
        return csv_table(
            f"early-help-{figure.id}-{choice.start}-{choice.end}.csv",
            ["family name", "given names", "date of birth", "local child id", "date",
             figure.line_title.lower(), "counted as", "why"],
            [
                (e.child.family_name, e.child.given_names, e.child.date_of_birth,
                 e.child.la_child_id, e.day, e.line, e.column, e.because)
                for e in shown.rows
            ],
        )  # fmt: skip
    return render(
        request,
        "performance/early_help_children.html",
        {
            "choice": choice,
            "figure": figure,
            "rows": shown.rows,
            "hidden": shown.hidden,
            "page": page,
            "pages": pages,
            "previous_query": choice.query(page=page - 1) if page > 1 else "",
            "next_query": choice.query(page=page + 1) if page < pages else "",
        },
    )
