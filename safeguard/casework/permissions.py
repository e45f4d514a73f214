"""The casework policy: who may see a child's case and record on it.

A case is part of the child's record, so seeing it needs sight of the child (the people
policy) and a social care role: partner staff see the child's identity, not the case file.
Recording is for social workers and managers of the authority; authorising (assessments,
departures from the threshold, management decisions) is for team and service managers.
"""

from enum import StrEnum

from django.db.models import QuerySet

from safeguard.accounts.models import RECORDING_ROLES, SOCIAL_CARE_ROLES, Role
from safeguard.casework.models import Case
from safeguard.people import permissions as people_permissions

MANAGER_ROLES = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER})


class Action(StrEnum):
    VIEW = "view"
    RECORD = "record"
    AUTHORISE = "authorise"


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
    if action == Action.RECORD:
        return user.role in RECORDING_ROLES
    if action == Action.AUTHORISE:
        return user.role in MANAGER_ROLES
    return False
