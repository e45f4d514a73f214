"""Data-quality lists: my errors, a team's errors, the summary by rule and team. Each list
downloads as CSV (``?format=csv``)."""

from operator import attrgetter

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safeguard.accounts.selectors import social_care_teams
from safeguard.core.csv import csv_response
from safeguard.people import selectors as people
from safeguard.quality import permissions, selectors
from safeguard.quality.permissions import Action

CSV_HEADER = [
    "rule", "severity", "family name", "given names", "local child id", "message", "detail",
    "record", "worker", "team", "first seen", "last checked",
]  # fmt: skip


def _list(request, *, title: str, issues, filename: str, extra: dict | None = None):
    # A sealed child the user may not see is left out (counted, not named).
    shown = people.show_rows(
        user=request.user, rows=issues, child=attrgetter("person"), request=request
    )
    issues = shown.rows
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
        "children": len({i.person_id for i in issues}),
        "restricted": shown.hidden,
        **(extra or {}),
    }
    return render(request, "quality/list.html", context)


@login_required
@require_GET
def mine(request):
    if not permissions.can(request.user, Action.SEE_OWN):
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
    if not permissions.can(user, Action.SEE_SUMMARY):
        raise PermissionDenied
    authority_teams = social_care_teams(user.agency.authority_id)
    team = selectors.team_to_list(user, authority_teams, request.GET.get("team"))
    if not permissions.can(user, Action.SEE_TEAM, team):
        raise PermissionDenied
    return _list(
        request,
        title=f"Data errors: {team.name}",
        issues=selectors.for_team(team, user=user),
        filename=f"data-errors-team-{team.pk}.csv",
        extra={"team": team, "teams": authority_teams, "show_owner": True},
    )


@login_required
@require_GET
def summary(request):
    user = request.user
    if not permissions.can(user, Action.SEE_SUMMARY):
        raise PermissionDenied
    authority_id = user.agency.authority_id
    by_rule = selectors.by_rule(user)
    by_team = selectors.by_team(user)
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
