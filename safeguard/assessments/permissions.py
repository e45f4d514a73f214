"""The assessments policy: who may see a case's assessments, start them and authorise them.

An assessment is part of the child's case file, so this policy follows the casework policy
(``casework.permissions``), to which it delegates: children's social care staff of the
case's authority see assessments (analysts their dates and codes, not what was written);
social workers and managers start, write and submit them and record when the child was seen;
only team and service managers authorise (complete) or return them, and never one they wrote
or submitted (``services.assessment_authorise`` refuses that with a message).
"""

from enum import StrEnum

from django.db.models import QuerySet

from safeguard.assessments.models import Assessment
from safeguard.casework import permissions as casework
from safeguard.casework.models import Case


class Action(StrEnum):
    VIEW = "view"
    # What the worker wrote (the sections, the analysis, the recommendation, the manager's
    # comments): those who record on the case file; analysts see dates and codes only.
    READ_NARRATIVE = "read_narrative"
    RECORD = "record"
    AUTHORISE = "authorise"


def visible_to(user) -> QuerySet[Assessment]:
    """The assessments on cases ``user`` may see."""
    return Assessment.objects.filter(case__in=casework.visible_to(user))


def can(user, action: Action, obj: Assessment | Case | None = None, *, authority_id=None) -> bool:
    """May ``user`` do ``action`` on ``obj`` (an assessment, or the case a new one is started
    on), or on a case of ``authority_id``?"""
    case = obj.case if isinstance(obj, Assessment) else obj
    return casework.can(user, casework.Action(action), case, authority_id=authority_id)


def sees_history(user, person) -> bool:
    """The person page's record history shows assessment events to those who see the child's
    case file (``people.history``)."""
    return casework.sees_case_file(user, person)
