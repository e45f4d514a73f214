"""The data protection policy.

* A person's access history (who opened their record): team and service managers of the
  authority, and a social worker currently allocated to the person (by an open involvement
  or an open case allocation). Never analysts, partners or administrators: the log itself
  says who works with a child.
* Subject access requests, retention, record marks and legal holds: service managers only.
"""

from enum import StrEnum

from django.db.models import QuerySet
from django.utils import timezone

from safeguard.accounts.roles import MANAGER_ROLES, RECORDING_ROLES, Role, is_social_care_staff
from safeguard.casework.models import Allocation
from safeguard.people.models import Involvement, Person
from safeguard.privacy.models import SubjectAccessRequest


class Action(StrEnum):
    VIEW_ACCESS_HISTORY = "view_access_history"
    MANAGE = "manage"  # subject access, retention, legal holds


def _is_allocated(user, person: Person) -> bool:
    today = timezone.localdate()
    if Involvement.objects.filter(Involvement.open_on(today), person=person, worker=user).exists():
        return True
    return Allocation.objects.filter(
        Allocation.open_on(today), case__child=person, worker=user
    ).exists()


def can(user, action: Action, obj=None) -> bool:
    # Every action here is for those who record on a child's file (social workers and their
    # managers); each branch narrows by role.
    if not is_social_care_staff(user, roles=RECORDING_ROLES):
        return False
    authority_id = user.agency.authority_id
    if action == Action.MANAGE:
        if user.role != Role.SERVICE_MANAGER:
            return False
        if obj is None:
            return True
        return getattr(obj, "authority_id", None) == authority_id
    if action == Action.VIEW_ACCESS_HISTORY:
        if obj is None or obj.authority_id != authority_id:
            return False
        if user.role in MANAGER_ROLES:
            return True
        return user.role == Role.SOCIAL_WORKER and _is_allocated(user, obj)
    return False


def visible_to(user) -> QuerySet[SubjectAccessRequest]:
    """The subject access requests ``user`` may see."""
    if not can(user, Action.MANAGE):
        return SubjectAccessRequest.objects.none()
    return SubjectAccessRequest.objects.filter(authority_id=user.agency.authority_id)


def sees_history(user, person) -> bool:
    """Subject access requests, marks and holds on the person page's record history: for
    those who manage them (``people.history``)."""
    return can(user, Action.MANAGE, person)
