"""The documents policy (decision 0047).

A document is part of the child's case file and, being letters, reports and photographs,
is narrative: it is for those who work with the child.

- See and download a child's documents: social workers, team managers and service managers
  of the child's authority who may see the child (the people policy: a sealed child's
  documents follow the seal). Not performance analysts or conference chairs (they see a
  case's dates and codes, not its papers), not partners, administrators or inspectors.
- Upload: the same recording roles, who may record on the child's file. Partners: no (there
  is no partner contribution yet).
"""

from enum import StrEnum

from django.db.models import QuerySet

from safeguard.accounts.roles import RECORDING_ROLES, is_social_care_staff
from safeguard.documents.models import Document
from safeguard.people import permissions as people_permissions


class Action(StrEnum):
    VIEW = "view"  # list and download
    UPLOAD = "upload"


ROLES = {Action.VIEW: RECORDING_ROLES, Action.UPLOAD: RECORDING_ROLES}


def visible_to(user) -> QuerySet[Document]:
    if not is_social_care_staff(user, roles=ROLES[Action.VIEW]):
        return Document.objects.none()
    return Document.objects.filter(
        authority_id=user.agency.authority_id,
        child__in=people_permissions.visible_to(user).values("id"),
    )


def can(user, action: Action, obj: Document | None = None, *, authority_id=None) -> bool:
    """May ``user`` do ``action`` on ``obj`` (or on the documents of ``authority_id``)?
    The child's sight is asked by the access function (``selectors.access_documents``)."""
    target = obj.authority_id if obj is not None else authority_id
    roles = ROLES.get(Action(action))
    if target is None or roles is None:
        return False
    return is_social_care_staff(user, roles=roles, authority_id=target)


def sees_documents(user, person) -> bool:
    """May ``user`` see the documents about ``person`` (asked by the record history)?"""
    return can(user, Action.VIEW, authority_id=person.authority_id) and people_permissions.can(
        user, people_permissions.Action.VIEW, person
    )
