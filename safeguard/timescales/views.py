"""What is due: for me, for a team, for the whole service."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from safeguard.accounts.selectors import social_care_teams
from safeguard.audit.services import one_access_append
from safeguard.casework import permissions as casework_permissions
from safeguard.casework.permissions import Action as CaseAction
from safeguard.people import selectors as people
from safeguard.timescales import permissions, selectors
from safeguard.timescales.permissions import Action

COVER_SHOWN = 50

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


class BadFilter(ValueError):
    """A filter value that is not one of the page's choices (a hand-edited address)."""


def _choice(request, name: str, choices) -> str:
    value = request.GET.get(name, "")
    if value and value not in choices:
        raise BadFilter(name)
    return value


def _filters(request, *, teams=None) -> dict:
    """The filters chosen on a due list (status, priority, stage and, where offered, team)."""
    chosen = {
        "status": _choice(request, "status", selectors.STATUSES),
        "priority": _choice(request, "priority", selectors.PRIORITY_FILTERS),
        "stage": _choice(request, "stage", selectors.STAGE_FILTERS),
    }
    if teams is not None:
        raw = _choice(request, "team", {str(t.pk) for t in teams})
        chosen["team"] = next((t for t in teams if str(t.pk) == raw), None)
    return chosen


def _render(request, *, title: str, where_base: dict, teams=None, extra: dict | None = None):
    """A page of a due list: its counts (aggregates), one page of rows in the chosen order,
    the filters. Only the children on the page are logged; a sealed child the user may not
    see is left out (counted, not named)."""
    user = request.user
    authority = user.agency.authority
    today = timezone.localdate()
    sort = _sort(request)
    context = {
        "title": title,
        "sort": sort,
        "sorts": SORT_LABELS,
        "today": today,
        "statuses": selectors.STATUSES,
        "priorities": selectors.PRIORITY_FILTERS,
        "stages": selectors.STAGE_FILTERS,
        "filter_teams": teams,
        **(extra or {}),
    }
    try:
        chosen = _filters(request, teams=teams)
    except BadFilter as bad:
        context.update(error=f"Choose a {bad} from the list", rows=[], counts=None, chosen={})
        return render(request, "timescales/due.html", context, status=400)
    where = selectors.DueFilter(**where_base, **chosen)
    page, counts = selectors.due_page(
        authority, on=today, where=where, sort=sort, number=_page_number(request)
    )
    shown = people.show_rows(user=user, rows=page.rows, request=request)
    query = {k: (v.pk if hasattr(v, "pk") else v) for k, v in chosen.items() if v}
    query_with_sort = query | {"sort": sort}
    context.update(
        rows=shown.rows,
        restricted=shown.hidden,
        counts=counts,
        page=page,
        chosen=chosen,
        filter_query=urlencode(query),
        previous_query=urlencode(query_with_sort | {"page": page.number - 1})
        if page.has_previous
        else "",
        next_query=urlencode(query_with_sort | {"page": page.number + 1}) if page.has_next else "",
    )
    return render(request, "timescales/due.html", context)


@login_required
@require_GET
@one_access_append()
def mine(request):
    if not permissions.can(request.user, Action.SEE_OWN):
        raise PermissionDenied
    cover = _cover(request)
    return _render(
        request,
        title="What is due on my cases",
        where_base={"worker": request.user},
        # The plan actions the user owns, on any case, are items of the list (decision
        # 0043), so they are counted with the rest.
        extra={"show_owner": False, **cover},
    )


def _cover(request) -> dict:
    """The items of colleagues who are away, in the teams whose cover falls to the user (the
    team's manager, the duty worker: decision 0044): the first ``COVER_SHOWN`` by priority,
    with their count, in a fixed number of queries."""
    user = request.user
    authority = user.agency.authority
    today = timezone.localdate()
    where = selectors.DueFilter(cover_for=user)
    entries = selectors.due_entries(authority, on=today, where=where)
    counts = selectors.due_counts_of(entries, on=today)
    page = selectors.sort_entries(entries)[:COVER_SHOWN]
    rows = selectors.due_rows(page, authority=authority, on=today)
    shown = people.show_rows(user=user, rows=rows, request=request)
    return {
        "cover_rows": shown.rows,
        "cover_restricted": shown.hidden,
        "cover_total": sum(counts.values()),
        "cover_overdue": counts["overdue"],
    }


@login_required
@require_GET
@one_access_append()
def team(request, team_id: int):
    team = selectors.team_by_id(team_id)
    if not permissions.can(request.user, Action.SEE_TEAM, team):
        raise PermissionDenied
    unallocated = selectors.unallocated_count(
        team.agency.authority, on=timezone.localdate(), team=team
    )
    return _render(
        request,
        title=f"What is due: {team.name}",
        where_base={"team": team},
        extra={"show_owner": True, "team": team, "team_unallocated": unallocated},
    )


@login_required
@require_GET
@one_access_append()
def service(request):
    if not permissions.can(request.user, Action.SEE_SERVICE):
        raise PermissionDenied
    authority = request.user.agency.authority
    teams = list(social_care_teams(authority.pk))
    unallocated = selectors.unallocated_count(authority, on=timezone.localdate())
    return _render(
        request,
        title="What is due across the service",
        where_base={},
        teams=teams,
        extra={"show_owner": True, "unallocated_count": unallocated, "teams": teams},
    )


@login_required
@require_GET
@one_access_append()
def next_steps(request):
    """Decided but not started: the steps decisions set that nobody has begun, for those who
    oversee work across the service, or a worker's own."""
    user = request.user
    if not permissions.can(user, Action.SEE_OWN):
        raise PermissionDenied
    if permissions.can(user, Action.SEE_SERVICE):
        teams = list(social_care_teams(user.agency.authority_id))
        where_base = {"next_step": True}
    else:
        teams = None
        where_base = {"next_step": True, "worker": user}
    return _render(
        request,
        title="Decided but not started",
        where_base=where_base,
        teams=teams,
        extra={"show_owner": teams is not None, "next_steps": True},
    )


def _unallocated_queue(request, *, title: str, team=None):
    """A page of an unallocated queue (the service's, or one team's): priority, days waiting,
    last seen, next step due and the manager's review, in a fixed number of queries."""
    user = request.user
    authority = user.agency.authority
    today = timezone.localdate()
    page = selectors.unallocated_page(
        authority, on=today, number=_page_number(request), size=selectors.DUE_PAGE_SIZE, team=team
    )
    shown = people.show_rows(user=user, rows=page.rows, request=request)
    context = {
        "title": title,
        "team": team,
        "rows": shown.rows,
        "restricted": shown.hidden,
        "page": page,
        "today": today,
        "review_wd": authority.unallocated_review_wd,
        "can_review": casework_permissions.can(
            user, CaseAction.AUTHORISE, authority_id=authority.pk
        ),
        "previous_query": urlencode({"page": page.number - 1}) if page.has_previous else "",
        "next_query": urlencode({"page": page.number + 1}) if page.has_next else "",
    }
    return render(request, "timescales/unallocated.html", context)


@login_required
@require_GET
@one_access_append()
def unallocated(request):
    """Open cases with no allocated worker across the service."""
    if not permissions.can(request.user, Action.SEE_SERVICE):
        raise PermissionDenied
    return _unallocated_queue(request, title="Unallocated cases")


@login_required
@require_GET
@one_access_append()
def team_unallocated(request, team_id: int):
    """A team's unallocated queue: the open cases it answers for that nobody holds."""
    team = selectors.team_by_id(team_id)
    if not permissions.can(request.user, Action.SEE_TEAM, team):
        raise PermissionDenied
    return _unallocated_queue(request, title=f"Unallocated cases: {team.name}", team=team)


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@login_required
@require_GET
@one_access_append()
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


# --- The early help queue (issue 19 item 5) ----------------------------------------------------

QUEUE_SECTIONS = ("not_started", "late", "reviews")


def _section_page(request, section: str) -> int:
    try:
        return max(1, int(request.GET.get(f"{section}_page", "1")))
    except ValueError:
        return 1


@login_required
@require_GET
def early_help_queue(request):
    """Early help waiting on someone: decisions for early help with no assessment started,
    assessments past the local standard, teams around the family whose review is overdue.
    Each section paged on its own, each row shown through ``show_rows`` (a restricted child
    counted, not named; each child shown logged)."""
    from safeguard.timescales import early_help

    user = request.user
    if not permissions.can(user, Action.SEE_EARLY_HELP_QUEUE):
        raise PermissionDenied
    authority = user.agency.authority
    agency = permissions.partner_agency(user)
    today = timezone.localdate()
    pages = {
        "late": early_help.assessments_late(
            authority, on=today, partner_agency=agency, number=_section_page(request, "late")
        ),
        "reviews": early_help.reviews_overdue(
            authority, on=today, partner_agency=agency, number=_section_page(request, "reviews")
        ),
    }
    if agency is None:  # the front door's decisions are social care's
        pages["not_started"] = early_help.not_started(
            authority, on=today, number=_section_page(request, "not_started")
        )
    current = {f"{s}_page": _section_page(request, s) for s in QUEUE_SECTIONS}
    sections = {}
    for name, page in pages.items():
        shown = people.show_rows(user=user, rows=page.rows, request=request)
        key = f"{name}_page"
        sections[name] = {
            "rows": shown.rows,
            "restricted": shown.hidden,
            "page": page,
            "previous_query": urlencode(current | {key: page.number - 1})
            if page.has_previous
            else "",
            "next_query": urlencode(current | {key: page.number + 1}) if page.has_next else "",
        }
    context = {
        "sections": sections,
        "partner": agency,
        "standard_wd": authority.early_help_assessment_wd,
        "review_weeks": authority.taf_review_weeks,
        "start_wd": authority.early_help_start_wd,
        "today": today,
    }
    return render(request, "timescales/early_help_queue.html", context)
