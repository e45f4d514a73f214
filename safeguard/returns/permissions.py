"""Who may run the statutory returns from the web, and who may import census files.

Performance analysts make the returns; service managers answer for them and may run them too.
Social workers, team managers, partners and administrators never: a return holds every child
of the authority. A job, and the file it made, belong to the person who started it: another
analyst starts their own (the file is a read of many children's records, logged against the
person who downloads it).

Importing census files writes into the records, so it has its own permission (decision
0017): system administrators of the authority only, from the web or with
``import-cin --by``; analysts and service managers never.
"""

from enum import StrEnum

from safeguard.accounts.roles import ADMINISTRATOR_ROLES, SERVICE_WIDE_ROLES, is_social_care_staff
from safeguard.returns.models import ReturnJob


class Action(StrEnum):
    RUN = "run"  # start an export, list one's jobs
    IMPORT = "import"  # import census files into the records, list one's jobs
    VIEW_JOB = "view_job"  # a job's page and its file


def _returns_user(user) -> bool:
    return is_social_care_staff(user, roles=SERVICE_WIDE_ROLES | ADMINISTRATOR_ROLES)


def can(user, action: Action, obj=None) -> bool:
    if not _returns_user(user):
        return False
    if action == Action.RUN:
        return user.role in SERVICE_WIDE_ROLES
    if action == Action.IMPORT:
        return user.role in ADMINISTRATOR_ROLES and (
            obj is None or obj.pk == user.agency.authority_id
        )
    if action == Action.VIEW_JOB:
        return (
            obj is not None
            and obj.started_by_id == user.pk
            and obj.authority_id == user.agency.authority_id
        )
    return False


def visible_to(user):
    if not _returns_user(user):
        return ReturnJob.objects.none()
    return ReturnJob.objects.filter(started_by=user, authority_id=user.agency.authority_id)
