"""Reads of the stored data-quality issues."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from safeguard.quality.models import QualityCheck, QualityIssue, Severity


def issues() -> QuerySet:
    return QualityIssue.objects.select_related("person", "worker", "team").order_by(
        "person__family_name", "person__given_names", "person_id", "rule", "detail"
    )


def for_person(person) -> list[QualityIssue]:
    return list(issues().filter(person=person))


def for_case(case) -> list[QualityIssue]:
    return list(issues().filter(case=case))


def for_worker(user) -> QuerySet:
    return issues().filter(worker=user)


def for_team(team) -> QuerySet:
    return issues().filter(team=team)


def by_rule(authority_id: int) -> list[dict]:
    return list(
        QualityIssue.objects.filter(authority_id=authority_id)
        .values("rule")
        .annotate(issues=Count("pk"), children=Count("person", distinct=True))
        .order_by("-issues", "rule")
    )


def by_team(authority_id: int) -> list[dict]:
    return list(
        QualityIssue.objects.filter(authority_id=authority_id)
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
