"""The early help policy: who may see and record a child's early help.

Early help is multi-agency, and the lead professional is often not a social worker: a
teacher, a health visitor, a family support worker. So:

- children's social care staff of the child's authority see it; social workers and managers
  record it; performance analysts only see it;
- partner practitioners of the agencies that lead early help (education, health, voluntary
  sector) see and record it for the children they are involved with (the people policy's
  "may see this child");
- everyone else (the police, unscheduled-care clinicians, system administrators) sees
  nothing of it: it is shared with the family's consent for their support, not for
  investigation or treatment.
"""

from enum import StrEnum

from django.db.models import Model, QuerySet

from safeguard.accounts.models import AgencyKind, Role
from safeguard.accounts.roles import RECORDING_ROLES, is_social_care_staff
from safeguard.earlyhelp.models import EarlyHelpAssessment
from safeguard.people import permissions as people
from safeguard.people.models import Person

# The partner agencies whose practitioners assess and lead early help.
PARTNER_KINDS = frozenset({AgencyKind.EDUCATION, AgencyKind.HEALTH, AgencyKind.VOLUNTARY})


class Action(StrEnum):
    VIEW = "view"
    # What is written (needs, the family's plan, review progress): not for analysts, who
    # see dates and outcomes only (issue 11, item 12).
    READ_NARRATIVE = "read_narrative"
    RECORD = "record"


def _partner(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.agency_id
        and user.role == Role.PARTNER_PRACTITIONER
        and user.agency.kind in PARTNER_KINDS
    )


def uses_early_help(user) -> bool:
    """Whether ``user`` could see any child's early help at all: asked before a child is
    read, so that those who never may are turned away without reading the child."""
    return is_social_care_staff(user) or _partner(user)


def visible_to(user, model: type[Model] = EarlyHelpAssessment) -> QuerySet:
    """The early help records (assessments by default, or teams around the family, given
    ``model``) that ``user`` may see."""
    if is_social_care_staff(user):
        return model.objects.filter(authority_id=user.agency.authority_id)
    if _partner(user):
        return model.objects.filter(child__in=people.visible_to(user).values("id"))
    return model.objects.none()


def can(user, action: Action, child: Person) -> bool:
    """May ``user`` do ``action`` with ``child``'s early help?"""
    if is_social_care_staff(user):
        if child.authority_id != user.agency.authority_id:
            return False
        return action == Action.VIEW or user.role in RECORDING_ROLES
    if _partner(user):
        # Partners see and record alike, while they are involved with the child.
        return action in (Action.VIEW, Action.READ_NARRATIVE, Action.RECORD) and people.can(
            user, people.Action.VIEW, child
        )
    return False


def sees_history(user, person) -> bool:
    """The person page's record history shows early help events to those who see the
    child's early help (``people.history``)."""
    return can(user, Action.VIEW, person)
