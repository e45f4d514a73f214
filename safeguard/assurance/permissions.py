"""Who may audit case files and see the results (issue 15 item 4, decision 0032).

Team and service managers of the authority draw samples, audit the case files given to them
and see every audit and the results. Only the auditor grades an audit; a completed audit is
moderated by a second manager, never by its auditor (nobody authorises their own work).
The practitioner (the worker holding the case when it was sampled) sees a completed audit of
their case and responds to it, once. Managers set actions on the child's file, each with an
owner and a due date; the owner or a manager records an action done. Nobody else, partners
and performance analysts included, sees an audit: it is a judgement of a worker's practice.
"""

from enum import StrEnum

from django.db.models import QuerySet

from safeguard.accounts.roles import MANAGER_ROLES, is_social_care_staff
from safeguard.assurance.models import Audit


class Action(StrEnum):
    SEE = "see"  # the audits, one audit, the results
    SAMPLE = "sample"  # draw a sample of case files to audit
    GRADE = "grade"  # record the findings of an audit given to me
    MODERATE = "moderate"  # moderate another manager's completed audit
    SEE_MINE = "see_mine"  # audits of my practice and the actions I own
    RESPOND = "respond"  # the practitioner's response to a completed audit
    ADD_ACTION = "add_action"  # set an action on a completed audit
    COMPLETE_ACTION = "complete_action"  # record an action done (obj: the action)


def _manager(user) -> bool:
    return is_social_care_staff(user) and user.role in MANAGER_ROLES


def _practitioner_of(user, audit) -> bool:
    return (
        audit is not None
        and audit.practitioner_id == user.pk
        and audit.status != Audit.Status.STARTED
    )


def can(user, action: Action, obj=None) -> bool:
    if not is_social_care_staff(user):
        return False
    match action:
        case Action.SEE_MINE:
            return True
        case Action.SEE if obj is not None and _practitioner_of(user, obj):
            return obj.authority_id == user.agency.authority_id
        case Action.RESPOND:
            return _practitioner_of(user, obj) and not obj.practitioner_response
        case Action.COMPLETE_ACTION:
            return (
                obj is not None
                and obj.completed_on is None
                and obj.audit.authority_id == user.agency.authority_id
                and (obj.owner_id == user.pk or user.role in MANAGER_ROLES)
            )
    if not _manager(user):
        return False
    match action:
        case Action.ADD_ACTION:
            return (
                obj is not None
                and obj.authority_id == user.agency.authority_id
                and obj.status != Audit.Status.STARTED
            )
        case Action.SEE | Action.SAMPLE:
            return obj is None or obj.authority_id == user.agency.authority_id
        case Action.GRADE:
            return (
                obj is not None
                and obj.authority_id == user.agency.authority_id
                and obj.auditor_id == user.pk
                and obj.status == Audit.Status.STARTED
            )
        case Action.MODERATE:
            return (
                obj is not None
                and obj.authority_id == user.agency.authority_id
                and obj.auditor_id != user.pk
                and obj.status == Audit.Status.COMPLETED
            )
    return False


def visible_to(user) -> QuerySet[Audit]:
    """Every audit of the authority for its managers; a worker's completed audits of their
    own practice for other social care staff; none for anyone else."""
    if not is_social_care_staff(user):
        return Audit.objects.none()
    audits = Audit.objects.filter(authority_id=user.agency.authority_id)
    if _manager(user):
        return audits
    return audits.filter(practitioner=user).exclude(status=Audit.Status.STARTED)
