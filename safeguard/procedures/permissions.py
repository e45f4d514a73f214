"""The procedures policy.

- Publish or revise a procedure: service managers of the authority, who answer for practice
  across the service. Nobody else: not team managers, not system administrators (who run
  accounts, not practice), not partners.
- Read the authority's procedures and acknowledge one: its social care staff.
- See who has not acknowledged: team managers (their own teams) and service managers (all).
"""

from enum import StrEnum

from django.db.models import QuerySet

from safeguard.accounts.roles import MANAGER_ROLES, SOCIAL_CARE_ROLES, Role
from safeguard.procedures.models import Procedure


class Action(StrEnum):
    LIST = "list"  # the authority's procedures
    READ = "read"  # a Procedure
    ACKNOWLEDGE = "acknowledge"  # a Procedure: "I have read and understood"
    PUBLISH = "publish"  # a new one, or (with a Procedure) a new version
    REPORT = "report"  # a Procedure: who in the audience has not acknowledged


def _staff(user) -> bool:
    return user.is_authenticated and user.is_active and user.role in SOCIAL_CARE_ROLES


def visible_to(user) -> QuerySet[Procedure]:
    if not _staff(user) or user.authority_id is None:
        return Procedure.objects.none()
    return Procedure.objects.filter(authority_id=user.authority_id)


def can(user, action: Action, obj: Procedure | None = None) -> bool:
    if not _staff(user):
        return False
    same = obj is None or obj.authority_id == user.authority_id
    match action:
        case Action.LIST:
            return True
        case Action.READ | Action.ACKNOWLEDGE:
            return obj is not None and same
        case Action.PUBLISH:
            return user.role == Role.SERVICE_MANAGER and same
        case Action.REPORT:
            return user.role in MANAGER_ROLES and same
    return False
