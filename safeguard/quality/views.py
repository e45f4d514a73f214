"""Data-quality lists: my errors, a team's errors, the summary by rule and team. Each list
downloads as CSV (``?format=csv``)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safeguard.accounts.models import Team
from safeguard.audit.models import AccessPurpose
from safeguard.core.csv import csv_response
from safeguard.people import selectors as people
from safeguard.quality import permissions, selectors

CSV_HEADER = [
    "rule", "severity", "family name", "given names", "local child id", "message", "detail",
    "record", "worker", "team", "first seen", "last checked",
]  # fmt: skip


def _list(request, *, title: str, issues, filename: str, extra: dict | None = None):
    issues = list(issues)
    # A sealed child the user may not see is left out (counted, not named).
    shown = people.visible_ids(request.user, {i.person_id for i in issues})
    restricted = len([i for i in issues if i.person_id not in shown])
    issues = [i for i in issues if i.person_id in shown]
    children = list({i.person_id: i.person for i in issues}.values())
    people.access_people(
        user=request.user, people=children, purpose=AccessPurpose.LIST, request=request
    )
    if request.GET.get("format") == "csv":
        return csv_response(
            filename,
            header=CSV_HEADER,
            rows=[
                (
                    i.rule,
                    i.severity,
                    i.person.family_name,
                    i.person.given_names,
                    i.person.la_child_id or "",
                    i.message,
                    i.detail,
                    i.record_type,
                    i.worker or "",
                    i.team.name if i.team else "",
                    i.first_seen.date(),
                    i.last_checked.date(),
                )  # fmt: skip
                for i in issues
            ],
        )
    context = {
        "title": title,
        "issues": issues,
        "children": len(children),
        "restricted": restricted,
        **(extra or {}),
    }
    return render(request, "quality/list.html", context)


@login_required
@require_GET
def mine(request):
    if not permissions.can_see_own(request.user):
        raise PermissionDenied
    return _list(
        request,
        title="My data errors",
        issues=selectors.for_worker(request.user),
        filename="my-data-errors.csv",
    )


@login_required
@require_GET
def team(request):
    user = request.user
    if not permissions.can_see_summary(user):
        raise PermissionDenied
    authority_teams = Team.objects.filter(
        agency__authority=user.agency.authority, agency__kind="csc"
    ).order_by("name")
    chosen = request.GET.get("team")
    if chosen:
        try:
            team = authority_teams.get(pk=int(chosen))
        except (ValueError, Team.DoesNotExist) as error:
            raise Http404 from error
    else:
        team = user.teams.order_by("name").first() or authority_teams.first()
        if team is None:
            raise Http404
    if not permissions.can_see_team(user, team):
        raise PermissionDenied
    return _list(
        request,
        title=f"Data errors: {team.name}",
        issues=selectors.for_team(team),
        filename=f"data-errors-team-{team.pk}.csv",
        extra={"team": team, "teams": authority_teams, "show_owner": True},
    )


@login_required
@require_GET
def summary(request):
    user = request.user
    if not permissions.can_see_summary(user):
        raise PermissionDenied
    authority_id = user.agency.authority_id
    by_rule = selectors.by_rule(authority_id)
    by_team = selectors.by_team(authority_id)
    if request.GET.get("format") == "csv":
        table = request.GET.get("table", "rules")
        if table == "teams":
            return csv_response(
                "data-quality-by-team.csv",
                header=["team", "errors", "children"],
                rows=[
                    (r["team__name"] or "Unallocated", r["issues"], r["children"]) for r in by_team
                ],
            )
        return csv_response(
            "data-quality-by-rule.csv",
            header=["rule", "errors", "children"],
            rows=[(r["rule"], r["issues"], r["children"]) for r in by_rule],
        )
    titles = dict(_rule_titles())
    context = {
        "by_rule": [(r, titles.get(r["rule"], "")) for r in by_rule],
        "by_team": by_team,
        "total": sum(r["issues"] for r in by_rule),
        "last_check": selectors.last_full_check(authority_id),
    }
    return render(request, "quality/summary.html", context)


def _rule_titles():
    from safeguard.quality.rules import all_rules

    return all_rules()
