"""What is due: for me, for a team, for the whole service."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from safeguard.accounts.models import Team
from safeguard.audit.models import AccessPurpose
from safeguard.people import selectors as people
from safeguard.timescales import permissions, selectors

SORT_LABELS = {
    "due_date": "Due date",
    "-working_days_overdue": "Most overdue",
    "child": "Child",
    "rule": "What is due",
}


def _sort(request) -> str:
    sort = request.GET.get("sort", selectors.DEFAULT_SORT)
    return sort if sort in selectors.SORTS else selectors.DEFAULT_SORT


def _render(request, *, title: str, rows, sort: str, extra: dict | None = None):
    # A sealed child the user may not see is left out (counted, not named).
    shown = people.visible_ids(request.user, {row.child.pk for row in rows})
    restricted = len([row for row in rows if row.child.pk not in shown])
    rows = [row for row in rows if row.child.pk in shown]
    # Each child listed is logged once, however many items they have.
    children = list({row.child.pk: row.child for row in rows}.values())
    people.access_people(
        user=request.user, people=children, purpose=AccessPurpose.LIST, request=request
    )
    context = {
        "title": title,
        "rows": rows,
        "counts": selectors.due_counts(rows),
        "sort": sort,
        "sorts": SORT_LABELS,
        "today": timezone.localdate(),
        "restricted": restricted,
        **(extra or {}),
    }
    return render(request, "timescales/due.html", context)


@login_required
@require_GET
def mine(request):
    if not permissions.can_see_own(request.user):
        raise PermissionDenied
    sort = _sort(request)
    rows = selectors.due_for_worker(request.user, on=timezone.localdate(), sort=sort)
    return _render(
        request, title="What is due on my cases", rows=rows, sort=sort, extra={"show_owner": False}
    )


@login_required
@require_GET
def team(request, team_id: int):
    team = get_object_or_404(Team.objects.select_related("agency"), pk=team_id)
    if not permissions.can_see_team(request.user, team):
        raise PermissionDenied
    sort = _sort(request)
    rows = selectors.due_for_team(team, on=timezone.localdate(), sort=sort)
    return _render(
        request,
        title=f"What is due: {team.name}",
        rows=rows,
        sort=sort,
        extra={"show_owner": True, "team": team},
    )


@login_required
@require_GET
def service(request):
    if not permissions.can_see_service(request.user):
        raise PermissionDenied
    sort = _sort(request)
    authority = request.user.agency.authority
    today = timezone.localdate()
    rows = selectors.due_for_service(authority, on=today, sort=sort)
    unallocated = selectors.unallocated_cases(authority, on=today)
    shown = people.visible_ids(request.user, {c.child_id for c in unallocated})
    unallocated = [c for c in unallocated if c.child_id in shown]
    people.access_people(
        user=request.user,
        people=[c.child for c in unallocated],
        purpose=AccessPurpose.LIST,
        request=request,
    )
    teams = Team.objects.filter(agency__authority=authority, agency__kind="csc").order_by("name")
    return _render(
        request,
        title="What is due across the service",
        rows=rows,
        sort=sort,
        extra={"show_owner": True, "unallocated": unallocated, "teams": teams},
    )
