"""The casework policy: who may see a child's case and record on it.

A case is part of the child's record, so seeing it needs sight of the child (the people
policy) and a social care role: partner staff see the child's identity, not the case file.
Recording is for social workers and managers of the authority; authorising (assessments,
departures from the threshold, management decisions) is for team and service managers.

Performance analysts check the figures and the census: they see a case's dates, codes and
who holds it (``VIEW``) but never its narrative (``READ_NARRATIVE``): case notes, visit
notes, management decisions, plan summaries, referral and contact reasons, the chronology and
its PDF (issue 11, item 12: least privilege).

A case's priority (RAG) is changed by a team or service manager of its authority, or by the
social worker it is allocated to (``CHANGE_PRIORITY``); never by another social worker, an
analyst or partner staff (issue 13, item 2).
"""

from enum import StrEnum

from django.db.models import QuerySet

from safeguard.accounts.roles import (
    MANAGER_ROLES,
    RECORDING_ROLES,
    SOCIAL_CARE_ROLES,
    is_social_care_staff,
)
from safeguard.casework.models import Case
from safeguard.people import permissions as people_permissions


class Action(StrEnum):
    VIEW = "view"
    READ_NARRATIVE = "read_narrative"
    RECORD = "record"
    AUTHORISE = "authorise"
    CHANGE_PRIORITY = "change_priority"


# Who may do each action, among children's social care staff of the case's authority. What is
# written on a case file (free text) is read by those who work with the child: the recorders.
ROLES = {
    Action.VIEW: SOCIAL_CARE_ROLES,
    Action.READ_NARRATIVE: RECORDING_ROLES,
    Action.RECORD: RECORDING_ROLES,
    Action.AUTHORISE: MANAGER_ROLES,
    # Team and service managers, and the worker the case is allocated to (see ``can``).
    Action.CHANGE_PRIORITY: RECORDING_ROLES,
}


def visible_to(user) -> QuerySet[Case]:
    if not is_social_care_staff(user):
        return Case.objects.none()
    # A case is part of the child's record: a sealed child's cases follow the seal.
    return Case.objects.filter(
        authority_id=user.agency.authority_id,
        child__in=people_permissions.visible_to(user).values("id"),
    )


def authority_of(user):
    """The authority of ``user``'s agency, or None (signed out, or in no agency)."""
    return user.agency.authority_id if getattr(user, "agency_id", None) else None


def can(user, action: Action, case: Case | None = None, *, authority_id=None) -> bool:
    """May ``user`` do ``action`` on ``case`` (or on a new case in ``authority_id``)?"""
    target = case.authority_id if case is not None else authority_id
    roles = ROLES.get(action)
    if target is None or roles is None:
        return False
    allowed = is_social_care_staff(user, roles=roles, authority_id=target)
    if allowed and action == Action.CHANGE_PRIORITY and user.role not in MANAGER_ROLES:
        # A social worker changes the priority of a case allocated to them, and no other
        # (read through .all(), so that a page that prefetched the allocations asks no more).
        return case is not None and any(
            a.worker_id == user.pk and a.end_date is None for a in case.allocations.all()
        )
    return allowed


def sees_case_file(user, person) -> bool:
    """May ``user`` see the case-file records about ``person`` (their cases and everything
    under them, the front door, assessments and protection)? Asked by the person page's
    record history for each of those apps' events (``people.history``): partner staff see
    the child's identity, never that a case file exists."""
    return can(user, Action.VIEW, authority_id=person.authority_id) and people_permissions.can(
        user, people_permissions.Action.VIEW, person
    )
