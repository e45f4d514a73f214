"""Reads of the stored data-quality issues."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from safeguard.accounts.models import Team
from safeguard.quality import permissions
from safeguard.quality.models import QualityCheck, QualityIssue, Severity


def issues(qs: QuerySet | None = None) -> QuerySet:
    """``qs`` (every issue when None) with what a list shows, in the lists' order."""
    qs = QualityIssue.objects.all() if qs is None else qs
    return qs.select_related("person", "worker", "team").order_by(
        "person__family_name", "person__given_names", "person_id", "rule", "detail"
    )


def for_person(person) -> list[QualityIssue]:
    return list(issues().filter(person=person))


def for_case(case) -> list[QualityIssue]:
    return list(issues().filter(case=case))


def for_worker(user) -> QuerySet:
    """The issues on the cases ``user`` holds: their own list."""
    return issues(permissions.visible_to(user)).filter(worker=user)


def for_team(team, *, user) -> QuerySet:
    """The issues on ``team``'s cases, as ``user`` may see them."""
    return issues(permissions.visible_to(user)).filter(team=team)


def team_to_list(user, teams: QuerySet[Team], chosen: str | None) -> Team:
    """The team whose list ``user`` asked for: ``chosen`` (a team id) among ``teams``, else
    the first of their own teams by name, else the first of ``teams``. 404 when there is
    none, or ``chosen`` is not one of ``teams``."""
    if chosen:
        try:
            return teams.get(pk=int(chosen))
        except (ValueError, Team.DoesNotExist) as error:
            raise Http404 from error
    team = user.teams.order_by("name").first() or teams.first()
    if team is None:
        raise Http404
    return team


def by_rule(user) -> list[dict]:
    """The issues ``user`` may see (their authority's), counted by rule."""
    return list(
        permissions.visible_to(user)
        .values("rule")
        .annotate(issues=Count("pk"), children=Count("person", distinct=True))
        .order_by("-issues", "rule")
    )


def by_team(user) -> list[dict]:
    """The issues ``user`` may see (their authority's), counted by team."""
    return list(
        permissions.visible_to(user)
        .values("team_id", "team__name")
        .annotate(issues=Count("pk"), children=Count("person", distinct=True))
        .order_by("team__name")
    )


def _open_errors(authority_id: int | None) -> QuerySet:
    qs = QualityIssue.objects.filter(severity=Severity.ERROR)
    return qs if authority_id is None else qs.filter(authority_id=authority_id)


def children_with_issues(authority_id: int | None = None) -> QuerySet:
    """The ids of the children with an open error, as a subquery: the indicators count the
    children behind each figure that are among them in the figure's own statement
    (``performance.selectors.figure(..., errors=True)``). A query (a DfE census rule ending in
    Q) asks someone to confirm a record that may well be right, so it does not count against
    a figure (decision 0018)."""
    return _open_errors(authority_id).values("person_id")


def last_full_check(authority_id: int) -> QualityCheck | None:
    """The authority's latest completed check of every child, or None: until there is one,
    no figure is marked validated."""
    return QualityCheck.objects.filter(authority_id=authority_id).first()
