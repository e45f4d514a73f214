"""What is due: for me, for a team, for the whole service."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from safeguard.accounts.selectors import social_care_teams
from safeguard.people import selectors as people
from safeguard.timescales import permissions, selectors
from safeguard.timescales.permissions import Action

SORT_LABELS = {
    "priority": "Priority",
    "due_date": "Due date",
    "-working_days_overdue": "Most overdue",
    "child": "Child",
    "rule": "What is due",
}


def _sort(request) -> str:
    sort = request.GET.get("sort", selectors.DEFAULT_SORT)
    return sort if sort in selectors.SORTS else selectors.DEFAULT_SORT


def _render(request, *, title: str, rows, sort: str, extra: dict | None = None):
    # A sealed child the user may not see is left out (counted, not named); each child
    # listed is logged once, however many items they have.
    shown = people.show_rows(user=request.user, rows=rows, request=request)
    context = {
        "title": title,
        "rows": shown.rows,
        "counts": selectors.due_counts(shown.rows),
        "sort": sort,
        "sorts": SORT_LABELS,
        "today": timezone.localdate(),
        "restricted": shown.hidden,
        **(extra or {}),
    }
    return render(request, "timescales/due.html", context)


@login_required
@require_GET
def mine(request):
    if not permissions.can(request.user, Action.SEE_OWN):
        raise PermissionDenied
    sort = _sort(request)
    rows = selectors.due_for_worker(request.user, on=timezone.localdate(), sort=sort)
    return _render(
        request, title="What is due on my cases", rows=rows, sort=sort, extra={"show_owner": False}
    )


@login_required
@require_GET
def team(request, team_id: int):
    team = selectors.team_by_id(team_id)
    if not permissions.can(request.user, Action.SEE_TEAM, team):
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
    if not permissions.can(request.user, Action.SEE_SERVICE):
        raise PermissionDenied
    sort = _sort(request)
    authority = request.user.agency.authority
    today = timezone.localdate()
    rows = selectors.due_for_service(authority, on=today, sort=sort)
    # An unallocated case whose child the user may not see is left out.
    unallocated = people.show_rows(
        user=request.user, rows=selectors.unallocated_cases(authority, on=today), request=request
    ).rows
    teams = social_care_teams(authority.pk)
    return _render(
        request,
        title="What is due across the service",
        rows=rows,
        sort=sort,
        extra={"show_owner": True, "unallocated": unallocated, "teams": teams},
    )


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@login_required
@require_GET
def unseen(request):
    """Children not seen within their stage's standard, longest unseen first: across the
    service for those who oversee work, or one team's (a social worker's own teams)."""
    user = request.user
    if not permissions.can(user, Action.SEE_UNSEEN):
        raise PermissionDenied
    authority = user.agency.authority
    authority_standards = selectors.standards(authority)
    today = timezone.localdate()
    all_teams = list(social_care_teams(authority.pk))
    may_see_service = permissions.can(user, Action.SEE_SERVICE)
    team = None
    if team_id := request.GET.get("team"):
        team = next((t for t in all_teams if str(t.pk) == team_id), None)
        if team is None:
            return render(
                request,
                "timescales/unseen.html",
                {
                    "error": "Choose a team from the list",
                    "teams": all_teams if may_see_service else list(selectors.own_teams(user)),
                    "rows": [],
                },
                status=400,
            )
        if not permissions.can(user, Action.SEE_UNSEEN, team):
            raise PermissionDenied
        teams = [team]
    elif may_see_service:
        teams = None
    else:
        teams = list(selectors.own_teams(user))
    cases = selectors.unseen_cases(authority, on=today, teams=teams)
    page = selectors.unseen_page(
        cases, number=_page_number(request), size=selectors.UNSEEN_PAGE_SIZE
    )
    rows = selectors.unseen_rows(page.cases, authority=authority, on=today, teams=all_teams)
    # A child the user may not see (a sealed record) is counted, not named; each child shown
    # is logged once.
    shown = people.show_rows(user=user, rows=rows, request=request)
    query = {"team": team.pk} if team else {}
    context = {
        "title": "Children not seen within their standard",
        "rows": shown.rows,
        "restricted": shown.hidden,
        "total": page.total,
        "page": page,
        "previous_query": urlencode(query | {"page": page.number - 1}) if page.has_previous else "",
        "next_query": urlencode(query | {"page": page.number + 1}) if page.has_next else "",
        "team": team,
        "teams": all_teams if may_see_service else teams,
        "may_see_service": may_see_service,
        "standards": [(s, authority_standards[s.code]) for s in selectors.STAGES],
        "today": today,
    }
    return render(request, "timescales/unseen.html", context)
