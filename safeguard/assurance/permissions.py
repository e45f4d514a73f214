"""Who may audit case files and see the results (issue 15 item 4, decision 0032).

Team and service managers of the authority draw samples, audit the case files given to them
and see every audit and the results. Only the auditor grades an audit; a completed audit is
moderated by a second manager, never by its auditor (nobody authorises their own work).
The practitioner (the worker holding the case when it was sampled) sees a completed audit of
their case and responds to it, once. Managers set actions on the child's file, each with an
owner and a due date; the owner or a manager records an action done. Nobody else, partners
and performance analysts included, sees an audit: it is a judgement of a worker's practice.

Inspections (issue 15 item 5, decision 0042): a service manager or a system administrator of
the authority sets one up (its dates and inspectors); a service manager draws its sample and
sees what the inspectors read. An inspector sees the inspections they are named on while they
run, and reads (never changes) the case files of the sample: the grant given to the people
and casework policies (``grants.py``).

The audit programme (decision 0062): a service manager sets who audits how many case files
each month and draws each month's audits; every manager of the authority sees it. A line's
auditor is never given a case they hold or one held in a team they manage.

Dip samples of the front door's decisions (decision 0063): a service manager of the authority
draws them; every manager of the authority sees them and checks their decisions, except a
decision they made or authorised themselves (the contact's decider, or the manager who agreed
its departure from the threshold). Nobody else sees them.
"""

from enum import StrEnum

from django.db.models import QuerySet
from django.utils import timezone

from safeguard.accounts.roles import (
    ADMINISTRATOR_ROLES,
    MANAGER_ROLES,
    Role,
    is_social_care_staff,
)
from safeguard.assurance.models import Audit, Inspection


class Action(StrEnum):
    SEE = "see"  # the audits, one audit, the results
    SAMPLE = "sample"  # draw a sample of case files to audit
    GRADE = "grade"  # record the findings of an audit given to me
    MODERATE = "moderate"  # moderate another manager's completed audit
    SEE_MINE = "see_mine"  # audits of my practice and the actions I own
    RESPOND = "respond"  # the practitioner's response to a completed audit
    ADD_ACTION = "add_action"  # set an action on a completed audit
    COMPLETE_ACTION = "complete_action"  # record an action done (obj: the action)
    SEE_PROGRAMME = "see_programme"  # the audit programme: who audits how many a month
    SET_PROGRAMME = "set_programme"  # add or end its lines, draw a month (obj: a line)
    # Inspections (obj: the inspection, when one is concerned).
    SEE_INSPECTIONS = "see_inspections"  # the list of inspections (one's own, for an inspector)
    SET_UP_INSPECTION = "set_up_inspection"  # name an inspection, its dates and inspectors
    SEE_INSPECTION = "see_inspection"  # one inspection and its sample
    DRAW_INSPECTION_SAMPLE = "draw_inspection_sample"  # choose or draw its case files
    SEE_INSPECTION_READS = "see_inspection_reads"  # what its inspectors read, when
    # Dip samples of front-door decisions (decision 0063).
    SEE_DIP = "see_dip"  # the dip samples, one sample (obj: the sample)
    DRAW_DIP = "draw_dip"  # draw a dip sample
    CHECK_DIP = "check_dip"  # record the check of one decision drawn (obj: the item)


def is_inspector(user) -> bool:
    """An active inspector (the role), in an agency of an authority."""
    return bool(
        user.is_authenticated and user.is_active and user.agency_id and user.role == Role.INSPECTOR
    )


def _service_manager(user, authority_id=None) -> bool:
    return is_social_care_staff(user, roles={Role.SERVICE_MANAGER}, authority_id=authority_id)


def _sets_up(user, authority_id=None) -> bool:
    return _service_manager(user, authority_id) or is_social_care_staff(
        user, roles=ADMINISTRATOR_ROLES, authority_id=authority_id
    )


def _can_inspection(user, action: Action, inspection) -> bool:
    authority = inspection.authority_id if inspection is not None else None
    match action:
        case Action.SEE_INSPECTIONS:
            return _sets_up(user) or is_inspector(user)
        case Action.SET_UP_INSPECTION:
            return _sets_up(user)
        case Action.SEE_INSPECTION if inspection is not None:
            if is_inspector(user):
                return (
                    user.agency.authority_id == authority
                    and inspection.is_running_on(timezone.localdate())
                    and inspection.inspectors.filter(pk=user.pk).exists()
                )
            return _sets_up(user, authority)
        case Action.DRAW_INSPECTION_SAMPLE if inspection is not None:
            return _service_manager(user, authority)
        case Action.SEE_INSPECTION_READS if inspection is not None:
            return _service_manager(user, authority)
    return False


def inspections_visible_to(user) -> QuerySet[Inspection]:
    """The authority's inspections for its service managers and system administrators; an
    inspector's own, while they run; none for anyone else."""
    if _sets_up(user):
        return Inspection.objects.filter(authority_id=user.agency.authority_id)
    if is_inspector(user):
        today = timezone.localdate()
        return Inspection.objects.filter(
            authority_id=user.agency.authority_id,
            inspectors=user,
            start_date__lte=today,
            end_date__gte=today,
        )
    return Inspection.objects.none()


def _manager(user) -> bool:
    return is_social_care_staff(user) and user.role in MANAGER_ROLES


def _practitioner_of(user, audit) -> bool:
    return (
        audit is not None
        and audit.practitioner_id == user.pk
        and audit.status != Audit.Status.STARTED
    )


_INSPECTION_ACTIONS = frozenset(
    {
        Action.SEE_INSPECTIONS,
        Action.SET_UP_INSPECTION,
        Action.SEE_INSPECTION,
        Action.DRAW_INSPECTION_SAMPLE,
        Action.SEE_INSPECTION_READS,
    }
)


def made_the_decision(user, contact) -> bool:
    """Whether ``user`` decided the contact or, as its manager, agreed its departure."""
    return user.pk is not None and user.pk in (contact.decided_by_id, contact.manager_id)


def _can_dip(user, action: Action, obj) -> bool:
    if not _manager(user):
        return False
    authority = user.agency.authority_id
    match action:
        case Action.SEE_DIP:
            return obj is None or obj.authority_id == authority
        case Action.DRAW_DIP:
            return _service_manager(user)
        case Action.CHECK_DIP if obj is not None:
            return (
                obj.sample.authority_id == authority
                and not obj.is_checked
                and not made_the_decision(user, obj.contact)
            )
    return False


_DIP_ACTIONS = frozenset({Action.SEE_DIP, Action.DRAW_DIP, Action.CHECK_DIP})


def can(user, action: Action, obj=None) -> bool:
    if action in _INSPECTION_ACTIONS:
        return _can_inspection(user, action, obj)
    if not is_social_care_staff(user):
        return False
    if action in _DIP_ACTIONS:
        return _can_dip(user, action, obj)
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
        case Action.SEE_PROGRAMME:
            return True
        case Action.SET_PROGRAMME:
            return _service_manager(user) and (
                obj is None or obj.authority_id == user.agency.authority_id
            )
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
