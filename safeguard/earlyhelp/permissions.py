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

from safeguard.accounts.models import AgencyKind
from safeguard.accounts.roles import (
    EARLY_HELP_AGENCY_KINDS,
    RECORDING_ROLES,
    is_social_care_staff,
    leads_early_help,
)
from safeguard.earlyhelp.models import EarlyHelpAssessment
from safeguard.people import permissions as people
from safeguard.people.models import Person

# The partner agencies whose practitioners assess and lead early help.
PARTNER_KINDS = frozenset(AgencyKind(kind) for kind in EARLY_HELP_AGENCY_KINDS)


class Action(StrEnum):
    VIEW = "view"
    # What is written (needs, the family's plan, review progress): not for analysts, who
    # see dates and outcomes only (issue 11, item 12).
    READ_NARRATIVE = "read_narrative"
    RECORD = "record"


def _partner(user) -> bool:
    return leads_early_help(user)


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


def is_partner(user) -> bool:
    """Is ``user`` a partner practitioner of an agency that leads early help?"""
    return _partner(user)


def starts_for_new_child(user) -> bool:
    """May ``user`` use the start page to find or create a child and start early help?
    Social workers and managers, and partner practitioners of the agencies that lead early
    help (who create a child only with their own involvement: decision 0081)."""
    return is_social_care_staff(user, roles=RECORDING_ROLES) or _partner(user)


def may_become_lead(user, child: Person) -> bool:
    """May ``user`` be named lead of ``child``'s early help, and become involved by it: an
    active partner practitioner of an agency that leads early help, of the child's authority."""
    return _partner(user) and user.agency.authority_id == child.authority_id


def may_acknowledge(user, handover, child: Person) -> bool:
    """Who acknowledges a handover: the receiving side. A step-up is received by children's
    social care (the front door: social workers and managers of the child's authority); a
    step-down by whoever records the child's early help (its lead, or social care)."""
    if handover.direction == "step_up":
        return is_social_care_staff(user, roles=RECORDING_ROLES, authority_id=child.authority_id)
    return can(user, Action.RECORD, child)
