"""Who may see, record and sign supervision.

- A worker's supervision is recorded by their line manager: the manager of a team they are a
  member of, or a manager of a team or service above it (``Team.manager``, ``Team.parent``,
  as ``casework.selectors.line_manager`` walks it). Only team and service managers record.
- Nobody supervises themselves: a team manager who is a member of the team they manage is
  supervised by the manager above them.
- The supervisee reads their own sessions and signs them (the supervisor signs by recording).
- The same line managers see the worker's sessions and whether their supervision is overdue:
  the supervisor and the supervisor's own manager (issue 15).
- Supervision records hold case narrative and personal matters: performance analysts, other
  workers, partners, administrators and other authorities see none of it; the figure
  (``supervision_on_time``) is the performance app's.
"""

from enum import StrEnum

from django.db.models import Q, QuerySet

from safeguard.accounts.models import Team, User
from safeguard.accounts.roles import MANAGER_ROLES, RECORDING_ROLES, is_social_care_staff
from safeguard.supervision.models import Session
from safeguard.workforce.permissions import managed_by


class Action(StrEnum):
    SEE_STAFF = "see_staff"  # the list of the staff one supervises or oversees
    SEE_RECORD = "see_record"  # a worker's supervision record: obj the worker
    RECORD = "record"  # a new session, or a worker's frequency: obj the supervisee
    SEE_SESSION = "see_session"  # obj the session
    SIGN = "sign"  # obj the session


def supervisees(user) -> QuerySet[User]:
    """The active case-holding staff in ``user``'s management line (members of a team
    ``user`` manages, or of a team inside one), not ``user`` themselves."""
    if not is_social_care_staff(user, roles=MANAGER_ROLES):
        return User.objects.none()
    teams = Team.objects.filter(managed_by(user), agency__authority_id=user.agency.authority_id)
    return (
        User.objects.filter(teams__in=teams, is_active=True, role__in=RECORDING_ROLES)
        .exclude(pk=user.pk)
        .distinct()
    )


def manages(user, worker) -> bool:
    """Is ``user`` in ``worker``'s management line (and not ``worker``)?"""
    return supervisees(user).filter(pk=worker.pk).exists()


def visible_to(user) -> QuerySet[Session]:
    """The sessions ``user`` may read: their own as supervisee, and those of the staff in
    their management line."""
    if not is_social_care_staff(user, roles=RECORDING_ROLES):
        return Session.objects.none()
    return Session.objects.filter(
        Q(supervisee=user) | Q(supervisee__in=supervisees(user).values("pk"))
    ).distinct()


def can(user, action: Action, obj=None) -> bool:
    if action == Action.SEE_STAFF:
        return is_social_care_staff(user, roles=MANAGER_ROLES)
    if obj is None:
        return False
    if action == Action.SEE_RECORD:
        own = obj.pk == user.pk and is_social_care_staff(user, roles=RECORDING_ROLES)
        return own or manages(user, obj)
    if action == Action.RECORD:
        return obj.pk != user.pk and manages(user, obj)
    if action == Action.SEE_SESSION:
        return visible_to(user).filter(pk=obj.pk).exists()
    if action == Action.SIGN:
        return (
            obj.supervisee_id == user.pk
            and obj.supervisee_signed_at is None
            and is_social_care_staff(user, roles=RECORDING_ROLES)
        )
    return False
