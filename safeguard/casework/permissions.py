"""The casework policy: who may see a child's case and record on it.

A case is part of the child's record, so seeing it needs sight of the child (the people
policy) and a social care role: partner staff see the child's identity, not the case file.
Recording is for social workers and managers of the authority; authorising (assessments,
departures from the threshold, management decisions) is for team and service managers.

Performance analysts check the figures and the census: they see a case's dates, codes and
who holds it (``VIEW``) but never its narrative (``READ_NARRATIVE``): case notes, visit
notes, management decisions, plan summaries, referral and contact reasons, the chronology and
its PDF (issue 11, item 12: least privilege).
"""

from enum import StrEnum

from django.db.models import QuerySet

from safeguard.accounts.models import RECORDING_ROLES, SOCIAL_CARE_ROLES, Role
from safeguard.casework.models import Case
from safeguard.people import permissions as people_permissions

MANAGER_ROLES = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER})


class Action(StrEnum):
    VIEW = "view"
    READ_NARRATIVE = "read_narrative"
    RECORD = "record"
    AUTHORISE = "authorise"

# Who reads what is written on a case file (free text): those who work with the child.
NARRATIVE_ROLES = RECORDING_ROLES


def _staff_of(user, authority_id) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.agency_id
        and user.agency.is_social_care
        and user.agency.authority_id == authority_id
    )


def visible_to(user) -> QuerySet[Case]:
    if not (user.is_authenticated and user.is_active and user.agency_id):
        return Case.objects.none()
    if user.role in SOCIAL_CARE_ROLES and user.agency.is_social_care:
        # A case is part of the child's record: a sealed child's cases follow the seal.
        return Case.objects.filter(
            authority_id=user.agency.authority_id,
            child__in=people_permissions.visible_to(user).values("id"),
        )
    return Case.objects.none()


def can(user, action: Action, case: Case | None = None, *, authority_id=None) -> bool:
    """May ``user`` do ``action`` on ``case`` (or on a new case in ``authority_id``)?"""
    target = case.authority_id if case is not None else authority_id
    if target is None or not _staff_of(user, target):
        return False
    if action == Action.VIEW:
        return user.role in SOCIAL_CARE_ROLES
    if action == Action.READ_NARRATIVE:
        return user.role in NARRATIVE_ROLES
    if action == Action.RECORD:
        return user.role in RECORDING_ROLES
    if action == Action.AUTHORISE:
        return user.role in MANAGER_ROLES
    return False


def sees_case_file(user, person) -> bool:
    """May ``user`` see the case-file records about ``person`` (their cases and everything
    under them, the front door, assessments and protection)? Asked by the person page's
    record history for each of those apps' events (``people.history``): partner staff see
    the child's identity, never that a case file exists."""
    return can(user, Action.VIEW, authority_id=person.authority_id) and people_permissions.can(
        user, people_permissions.Action.VIEW, person
    )
