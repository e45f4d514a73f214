"""Who may audit case files and see the results (issue 15 item 4, decision 0032).

Team and service managers of the authority draw samples, audit the case files given to them
and see every audit and the results. Only the auditor grades an audit; a completed audit is
moderated by a second manager, never by its auditor (nobody authorises their own work).
Nobody else, partners and performance analysts included, sees an audit: it is a manager's
judgement of a worker's practice.
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


def _manager(user) -> bool:
    return is_social_care_staff(user) and user.role in MANAGER_ROLES


def can(user, action: Action, obj=None) -> bool:
    if not _manager(user):
        return False
    match action:
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
    if not _manager(user):
        return Audit.objects.none()
    return Audit.objects.filter(authority_id=user.agency.authority_id)
