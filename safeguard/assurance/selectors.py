"""Reading audits: the list, one audit (its child's case read through
``casework.selectors.access_case``, which logs the access) and the results by team, heading
and grade."""

from operator import attrgetter
from uuid import UUID

from django.db.models import Count
from django.http import Http404

from safeguard.accounts.models import AgencyKind, User
from safeguard.accounts.roles import RECORDING_ROLES
from safeguard.assurance import permissions
from safeguard.assurance.models import Audit, AuditAction, Finding
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
    audit.action_list = list(audit.actions.select_related("owner", "completed_by"))
    return audit


def action_for(*, user, action_id: UUID, request=None) -> AuditAction:
    """One action, its audit read through ``access_audit`` (so the child's access is logged)."""
    action = AuditAction.objects.filter(pk=action_id).first()
    if action is None:
        raise Http404("No such action")
    action.audit = access_audit(user=user, audit_id=action.audit_id, request=request)
    return action


def mine(user, *, request=None):
    """Completed audits of ``user``'s practice, and the open actions they own."""
    audits = audits_for_practitioner(user, request=request)
    actions = (
        AuditAction.objects.filter(
            owner=user, completed_on__isnull=True, audit__authority_id=user.agency.authority_id
        )
        .select_related("audit__case__child")
        .order_by("due_date")
    )
    shown = people.show_rows(
        user=user, rows=list(actions), child=attrgetter("audit.case.child"), request=request
    )
    return audits, shown.rows


def audits_for_practitioner(user, *, request=None) -> list:
    audits = (
        permissions.visible_to(user)
        .filter(practitioner=user)
        .exclude(status=Audit.Status.STARTED)
        .select_related("case__child", "team", "auditor")
    )
    return people.show_rows(
        user=user, rows=list(audits), child=attrgetter("case.child"), request=request
    ).rows


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


def action_owners(authority_id):
    """Who may own an audit action: the authority's active social workers and managers."""
    return User.objects.filter(
        agency__authority_id=authority_id,
        agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
        role__in=RECORDING_ROLES,
        is_active=True,
    ).order_by("last_name", "first_name")
