"""The child protection policy: who may see and record strategy discussions, section 47
enquiries, conferences, plans and core groups.

Child protection is part of the child's case file, so this policy follows the casework
policy (``casework.permissions``), to which it delegates: children's social care staff of
the case's authority see it; social workers and managers record it. Partner agencies take
part in the meetings, but they see the record of them only through what is shared with
them outside the case file.
"""

from enum import StrEnum

from django.db.models import Model, QuerySet

from safeguard.accounts.roles import Role
from safeguard.casework import permissions as casework
from safeguard.casework.models import Case
from safeguard.protection.models import ChairChallenge, ChildProtectionPlan, CoreGroupMeeting


class Action(StrEnum):
    VIEW = "view"
    RECORD = "record"
    # Record a child protection conference: those who record on the case, and the
    # authority's conference chairs (independent reviewing officers), who chair it.
    CONFERENCE = "conference"
    # What only the authority's conference chairs do on a case they see: circulate a
    # conference's minutes, raise and resolve challenges and escalations (decision 0043).
    CHAIR = "chair"
    # Record progress on a plan action (obj: the action): those who record on its case, and
    # whoever a higher app's grant names for it (``register_progress_grant``; decision 0069).
    PROGRESS = "progress"


# Grants of ``PROGRESS`` registered by higher apps: ``check(user, action) -> bool``. The
# partners app names the staff of the agency that owns an action (decision 0069). A grant
# lets its holder record progress on that action and nothing else of the case.
_PROGRESS_GRANTS: list = []


def register_progress_grant(check) -> None:
    if check not in _PROGRESS_GRANTS:
        _PROGRESS_GRANTS.append(check)


def visible_to(user, model: type[Model] = ChildProtectionPlan) -> QuerySet:
    """The child protection plans (by default) or other protection records (``model``: a
    strategy discussion, enquiry, conference or core group) on cases ``user`` may see."""
    cases = casework.visible_to(user)
    if model is CoreGroupMeeting:
        return CoreGroupMeeting.objects.filter(plan__case__in=cases)
    if model is ChairChallenge:
        return ChairChallenge.objects.filter(case__in=cases)
    return model.objects.filter(case__in=cases)


def _case_of(obj) -> Case | None:
    if obj is None or isinstance(obj, Case):
        return obj
    if isinstance(obj, CoreGroupMeeting):
        return obj.plan.case
    return obj.case


def can(user, action: Action, obj=None, *, authority_id=None) -> bool:
    """May ``user`` do ``action`` on ``obj`` (a protection record, or the case a new one is
    recorded on), or on a case of ``authority_id``?

    A conference chair sees the case file (``casework.VIEW``) and records the conferences
    they chair (``CONFERENCE``), nothing else on it. Who may be named as a conference's chair
    (not the case's worker or line manager) is a rule of the service, not of this policy."""
    if action == Action.PROGRESS:
        case = obj.on_plan.case  # a child protection or a child in need plan's action
        if can(user, Action.RECORD, case, authority_id=authority_id):
            return True
        return any(check(user, obj) for check in _PROGRESS_GRANTS)
    if action == Action.CHAIR:
        return getattr(user, "role", None) == Role.CONFERENCE_CHAIR and can(
            user, Action.VIEW, obj, authority_id=authority_id
        )
    if action == Action.CONFERENCE:
        if can(user, Action.RECORD, obj, authority_id=authority_id):
            return True
        return getattr(user, "role", None) == Role.CONFERENCE_CHAIR and can(
            user, Action.VIEW, obj, authority_id=authority_id
        )
    return casework.can(user, casework.Action(action), _case_of(obj), authority_id=authority_id)


def sees_history(user, person) -> bool:
    """The person page's record history shows child protection events to those who see the
    child's case file (``people.history``)."""
    return casework.sees_case_file(user, person)
