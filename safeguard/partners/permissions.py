"""Who may look up a child's child-protection status (issue 17, item 1).

- An unscheduled-care clinician (emergency department, urgent care, out-of-hours, maternity,
  ambulance) may look up any child of their authority: they meet children nobody has told
  them about, at any hour. The answer tells them only whether there is (or was in the last
  12 months) a plan, since when, the allocated team and whom to ring: never the record.
- An organisation's health system may ask the same through the API with a key of scope
  ``cp-lookup`` (``api.py``); the key, not a person, is authorised, and each call is logged
  against the organisation's API account.
- Nobody else: social care staff have the record itself; other partners, administrators,
  analysts and everyone of another authority never use the lookup.
- Nobody authorises a lookup, but none goes unseen: the child's allocated worker and their
  line manager are told of each one at once (``services.lookup_answer``).

A sealed child answers like any other: the lookup reveals nothing the seal protects, and a
clinician must not be told "restricted" where another child would get an answer.
"""

from enum import StrEnum

from django.db.models import QuerySet

from safeguard.accounts.roles import Role
from safeguard.partners.models import Scope
from safeguard.people.models import Person


class Action(StrEnum):
    LOOKUP = "lookup"  # the lookup page and its answer


def _is_clinician(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.UNSCHEDULED_CARE_CLINICIAN
        and user.agency_id
    )


def visible_to(user) -> QuerySet[Person]:
    """The children ``user`` may look up: every person of their authority for a clinician,
    nobody for anyone else. Looking up shows the answer, never these records."""
    if not _is_clinician(user):
        return Person.objects.none()
    return Person.objects.filter(authority_id=user.agency.authority_id)


def can(user, action: Action, obj=None) -> bool:
    if action == Action.LOOKUP:
        return _is_clinician(user)
    return False


def key_can(api_key, action: Action) -> bool:
    """May an organisation's key do ``action``? Only an unrevoked key holding the scope."""
    if action == Action.LOOKUP:
        return not api_key.is_revoked and api_key.allows(Scope.CP_LOOKUP)
    return False
