"""Reads of the stored data-quality issues."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, QuerySet

from safeguard.quality.models import QualityIssue


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


def has_open_issue(child_ref: str = "pk"):
    """An ``Exists`` for querysets of children (or records with a path to the child): the
    child has at least one open data-quality issue. For indicator error counts."""
    return Exists(QualityIssue.objects.filter(person_id=OuterRef(child_ref)))


def children_with_issues(person_ids) -> int:
    return (
        QualityIssue.objects.filter(person_id__in=person_ids).values("person_id").distinct().count()
    )
