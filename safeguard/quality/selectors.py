"""Reads of the stored data-quality issues."""

from __future__ import annotations

from django.db.models import Count, QuerySet

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


def _open(authority_id: int | None) -> QuerySet:
    qs = QualityIssue.objects.all()
    return qs if authority_id is None else qs.filter(authority_id=authority_id)


# Up to this many children with errors are matched by a list of ids (an index lookup each,
# faster than the subquery on the demo borough); more by a subquery.
FEW = 200


def open_issue_children(authority_id: int | None = None):
    """The children with an open issue, for the indicators' error counts
    (``performance.selectors.children_with_errors``): their ids as a sorted list when there are
    few (an empty list when there are none), otherwise a subquery of them."""
    ids = _open(authority_id).order_by().values_list("person_id", flat=True).distinct()
    few = sorted(ids[: FEW + 1])
    return few if len(few) <= FEW else _open(authority_id).values("person_id")
