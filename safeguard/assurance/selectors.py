"""Reading audits: the list, one audit (its child's case read through
``casework.selectors.access_case``, which logs the access) and the results by team, heading
and grade."""

from operator import attrgetter
from uuid import UUID

from django.db.models import Count
from django.http import Http404

from safeguard.assurance import permissions
from safeguard.assurance.models import Audit, Finding
from safeguard.assurance.permissions import Action
from safeguard.casework.selectors import access_case
from safeguard.people import selectors as people


def audits_for(user, *, request=None):
    """The audits ``user`` may see, newest first, with their children (sealed ones left out,
    counted: ``people.show_rows``)."""
    audits = permissions.visible_to(user).select_related(
        "case__child", "team", "auditor", "moderator"
    )
    return people.show_rows(
        user=user, rows=list(audits), child=attrgetter("case.child"), request=request
    )


def access_audit(*, user, audit_id: UUID, request=None) -> Audit:
    """One audit with its findings; the child's case file is read through ``access_case``."""
    audit = (
        permissions.visible_to(user)
        .select_related("team", "auditor", "moderator")
        .filter(pk=audit_id)
        .first()
    )
    if audit is None or not permissions.can(user, Action.SEE, audit):
        raise Http404("No such audit")
    audit.case = access_case(user=user, case_id=audit.case_id, request=request)
    audit.finding_list = list(audit.findings.all())
    return audit


def results_by_team(user) -> list[dict]:
    """Completed audits counted by team, month completed and final grade."""
    rows = (
        permissions.visible_to(user)
        .exclude(status=Audit.Status.STARTED)
        .values(
            "team__name",
            "completed_on__year",
            "completed_on__month",
            "overall_grade",
            "moderated_grade",
        )
        .annotate(audits=Count("id"))
        .order_by("team__name", "completed_on__year", "completed_on__month")
    )
    merged: dict[tuple, int] = {}
    for r in rows:
        key = (
            r["team__name"] or "Unallocated",
            f"{r['completed_on__year']}-{r['completed_on__month']:02d}",
            r["moderated_grade"] or r["overall_grade"],
        )
        merged[key] = merged.get(key, 0) + r["audits"]
    return [
        {"team": team, "month": month, "grade": grade, "audits": n}
        for (team, month, grade), n in sorted(merged.items())
    ]


def results_by_heading(user) -> list[dict]:
    """The grades given under each heading (the themes), over completed audits."""
    return list(
        Finding.objects.filter(audit__in=permissions.visible_to(user))
        .values("heading", "grade")
        .annotate(findings=Count("id"))
        .order_by("heading", "grade")
    )
