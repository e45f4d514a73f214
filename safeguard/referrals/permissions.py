"""The front door's policy: who may see contacts and referrals, and record them.

The front door is part of the child's case file, so this policy follows the casework policy
(``casework.permissions``), to which it delegates: children's social care staff of the
child's authority see contacts and referrals; social workers and managers record contacts,
decide them and record referrals; team and service managers agree a decision that departs
from the threshold and load a threshold from a file; the authority's own system
administrators change the threshold in the browser (``ADMINISTER``, decision 0074);
performance analysts see who waits and for how long, never why (``READ_NARRATIVE``: the
reasons and rationale). Partner staff never see the front door.
"""

from enum import StrEnum

from django.db.models import Model, QuerySet

from safeguard.accounts.roles import ADMINISTRATOR_ROLES, is_social_care_staff
from safeguard.casework import permissions as casework
from safeguard.people import permissions as people
from safeguard.referrals.models import Contact, ContactGroup, Referral


class Action(StrEnum):
    VIEW = "view"
    READ_NARRATIVE = "read_narrative"
    RECORD = "record"
    AUTHORISE = "authorise"
    # The threshold of need's levels and indicators, from the administration pages.
    ADMINISTER = "administer"


def visible_to(user, model: type[Model] = Contact) -> QuerySet:
    """The contacts (by default) or referrals (``model=Referral``) that ``user`` may see: those
    of their authority about children the people policy lets them see."""
    if model is Referral:
        return Referral.objects.filter(case__in=casework.visible_to(user))
    if not is_social_care_staff(user):
        return Contact.objects.none()
    return Contact.objects.filter(
        authority_id=user.agency.authority_id, child__in=people.visible_to(user).values("id")
    )


def can(
    user, action: Action, obj: Contact | ContactGroup | Referral | None = None, *, authority_id=None
) -> bool:
    """May ``user`` do ``action`` on ``obj`` (a contact, a contact about several children, a
    referral, or the child a new one is about), or at the front door of ``authority_id``?"""
    if action == Action.ADMINISTER:
        return is_social_care_staff(user, roles=ADMINISTRATOR_ROLES, authority_id=authority_id)
    action = casework.Action(action)
    if isinstance(obj, Referral):
        return casework.can(user, action, obj.case)
    if obj is not None:
        authority_id = obj.authority_id
    return casework.can(user, action, authority_id=authority_id)


def sees_history(user, person) -> bool:
    """The person page's record history shows front-door events to those who see the child's
    case file (``people.history``)."""
    return casework.sees_case_file(user, person)
