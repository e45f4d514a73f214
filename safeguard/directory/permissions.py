"""The directory policy: who may read and keep the directory of services, and who may refer a
child to a service and follow the referral.

- Reading the directory (services, their eligibility and contacts: nothing about any child)
  is for every active member of staff of the authority's agencies, partners included, so
  that whoever decides can find what exists. Unscheduled-care clinicians and inspectors, who
  only look a child up or read a sample, and system administrators do not use it.
- Keeping it (adding, changing, marking checked, ending an entry; importing a file) is for the
  staff appointed as directory editors, from any agency, and for service managers.
- Appointing and ending editors is for service managers and system administrators; nobody
  appoints themselves or ends their own appointment.
- Referring a child to a service and recording what became of the referral is for those who
  record on the child's early help or social care file: decided by the early help policy
  (``earlyhelp.permissions.can(user, RECORD, child)``) for partners, and here for social care
  recorders of the child's authority. A referral's details are narrative: performance
  analysts see services' counts and waits, never a referral's reasons.
"""

from enum import StrEnum

from django.db.models import QuerySet

from safeguard.accounts.models import Role
from safeguard.accounts.roles import (
    ADMINISTRATOR_ROLES,
    READ_ONLY_ROLES,
    RECORDING_ROLES,
    is_social_care_staff,
)
from safeguard.directory.models import DirectoryEditor, Service

# Roles that never use the directory.
NOT_USERS = frozenset({Role.UNSCHEDULED_CARE_CLINICIAN}) | READ_ONLY_ROLES | ADMINISTRATOR_ROLES


class Action(StrEnum):
    VIEW = "view"  # the directory's entries
    EDIT = "edit"  # add, change, check, end entries; import
    APPOINT = "appoint"  # appoint and end directory editors
    REFER = "refer"  # refer a child, record the referral's progress (social care side)


# Further tests of "may refer this child", registered by higher apps from ``ready()``:
# ``earlyhelp`` lets the partners who record a child's early help refer them.
_REFERRER_CHECKS = []


def register_referrer(check) -> None:
    """Register ``check(user, child) -> bool``: one more way to be allowed to refer a child."""
    _REFERRER_CHECKS.append(check)


def _staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.agency_id)


def _authority_id(user):
    return user.agency.authority_id


def is_editor(user) -> bool:
    """Is ``user`` a current directory editor of their authority (or a service manager)?"""
    if not _staff(user) or user.role in NOT_USERS:
        return False
    if user.role == Role.SERVICE_MANAGER and is_social_care_staff(user):
        return True
    return DirectoryEditor.objects.filter(
        authority_id=_authority_id(user), user=user, ended_on__isnull=True
    ).exists()


def visible_to(user) -> QuerySet[Service]:
    """The directory entries ``user`` may read: their authority's, if they use the directory."""
    if not _staff(user) or user.role in NOT_USERS:
        return Service.objects.none()
    return Service.objects.filter(authority_id=_authority_id(user))


def can(user, action: Action, obj=None) -> bool:
    """May ``user`` do ``action`` (with ``obj``: a service, an appointment's user, a child)?"""
    if not _staff(user):
        return False
    if action == Action.VIEW:
        return user.role not in NOT_USERS and (
            obj is None or obj.authority_id == _authority_id(user)
        )
    if action == Action.EDIT:
        return is_editor(user) and (obj is None or obj.authority_id == _authority_id(user))
    if action == Action.APPOINT:
        may = user.role in ADMINISTRATOR_ROLES or (
            user.role == Role.SERVICE_MANAGER and is_social_care_staff(user)
        )
        # Nobody appoints themselves (obj is the user appointed or ended).
        return may and (obj is None or obj.pk != user.pk)
    if action == Action.REFER:
        # Social care recorders of the child's authority; partners through the checks
        # higher apps register (the early help policy: earlyhelp sits above).
        if is_social_care_staff(user, roles=RECORDING_ROLES) and (
            obj is None or obj.authority_id == _authority_id(user)
        ):
            return True
        return obj is not None and any(check(user, obj) for check in _REFERRER_CHECKS)
    return False
