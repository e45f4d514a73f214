"""The children behind a figure: those the user may see, a page of ``PAGE_SIZE`` at a time
(or all of them as CSV); only those shown or downloaded are logged. Demand's drill-down
(``views.demand``) shows its children the same way."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from safeguard.people import selectors as people
from safeguard.performance import permissions, selectors
from safeguard.performance.permissions import Action
from safeguard.performance.views.choice import choice, csv_table
from safeguard.performance.views.indicator import indicator_or_404

PARTS = {"numerator": "Numerator", "denominator": "Denominator"}
PAGE_SIZE = 100


@dataclass
class ChildrenPage:
    """The children behind a figure shown on one page (or in one download)."""

    people: list
    total: int  # children behind the figure the user may see
    hidden: int  # children behind the figure whose record is closed to the user
    page: int
    pages: int


def children_page(request, ids, csv_wanted: bool) -> ChildrenPage:
    """The children ``ids`` behind a figure that ``request.user`` may see: all of them for a
    download, else one page of ``PAGE_SIZE``, paged in the database. Only those shown (or
    downloaded) are logged, through ``people.selectors.show_rows``."""
    visible = selectors.visible_children(request.user, ids)
    total = visible.count()
    page, pages = 1, max(1, -(-total // PAGE_SIZE))
    if csv_wanted:
        rows = visible
    else:
        try:
            page = min(max(1, int(request.GET.get("page", "1"))), pages)
        except ValueError:
            page = 1
        rows = visible[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    shown = people.show_rows(user=request.user, rows=rows, child=_itself, request=request)
    # A record sealed between the count and the page is left out of it, and counted.
    return ChildrenPage(
        people=shown.rows,
        total=total - shown.hidden,
        hidden=len(ids) - total + shown.hidden,
        page=page,
        pages=pages,
    )


def _itself(person):
    return person


def children_csv(filename: str, people_shown, evidence_labels=()):
    """The children shown, with what put each of them in the figure (``evidence``: one text
    per column of ``evidence_labels``, each a value for each of the child's records)."""
    return csv_table(
        filename,
        ["family name", "given names", "date of birth", "local child id"]
        + [label.lower() for label in evidence_labels],
        [
            (p.family_name, p.given_names, p.date_of_birth, p.la_child_id, *_cells(p, "csv"))
            for p in people_shown
        ],
    )


def _shown(value, how: str) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat() if how == "csv" else f"{value.day} {value:%b %Y}"
    return str(value)


def _cells(person, how: str) -> list[str]:
    return ["; ".join(_shown(v, how) for v in values) for values in getattr(person, "evidence", ())]


def with_evidence(people_shown, evidence: selectors.Evidence) -> None:
    """Put on each child shown the values that put them in the figure (``person.evidence``:
    one list per column, empty for a child with none)."""
    blank = [[] for _ in evidence.labels]
    for person in people_shown:
        person.evidence = evidence.by_child.get(person.pk, blank)
        person.evidence_shown = _cells(person, "page")


@login_required
@require_GET
def children(request, kpi_id: str):
    indicator = indicator_or_404(kpi_id)
    chosen = choice(request)
    if not permissions.can(request.user, Action.VIEW_CHILDREN):
        raise PermissionDenied
    part = request.GET.get("part", "denominator")
    if part not in PARTS or (part == "numerator" and indicator.numerator is None):
        raise Http404
    ids = selectors.children_behind(indicator.id, chosen.period, chosen.scope, part)
    csv_wanted = request.GET.get("format") == "csv"
    shown = children_page(request, ids, csv_wanted)
    # What put each child shown in the figure: the same records, in one more query.
    evidence = selectors.evidence_behind(
        indicator.id, chosen.period, chosen.scope, part, [p.pk for p in shown.people]
    )
    with_evidence(shown.people, evidence)
    if csv_wanted:
        return children_csv(
            f"{indicator.id}-{part}-{chosen.start}-{chosen.end}.csv",
            shown.people,
            evidence.labels,
        )
    page = shown.page
    context = {
        "choice": chosen,
        "indicator": indicator,
        "part": part,
        "part_label": PARTS[part],
        "part_text": indicator.numerator_text
        if part == "numerator"
        else indicator.denominator_text,
        "people": shown.people,
        "evidence_labels": evidence.labels,
        "total": shown.total,
        "page": page,
        "pages": shown.pages,
        "previous_query": chosen.query(part=part, page=page - 1) if page > 1 else "",
        "next_query": chosen.query(part=part, page=page + 1) if page < shown.pages else "",
        "hidden": shown.hidden,
        "back": reverse("performance:indicator", args=[indicator.id]) + "?" + chosen.query(),
    }
    return render(request, "performance/children.html", context)
