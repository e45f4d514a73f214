"""The casework policy: who may see a child's case and record on it.

A case is part of the child's record, so seeing it needs sight of the child (the people
policy) and a social care role: partner staff see the child's identity, not the case file.
Recording is for social workers and managers of the authority; authorising (assessments,
departures from the threshold, management decisions) is for team and service managers.

Performance analysts check the figures and the census: they see a case's dates, codes and
who holds it (``VIEW``) but never its narrative (``READ_NARRATIVE``): case notes, visit
notes, management decisions, plan summaries, referral and contact reasons, the chronology and
its PDF (issue 11, item 12: least privilege).

A case's priority (RAG) is changed by a team or service manager of its authority, or by the
social worker it is allocated to (``CHANGE_PRIORITY``); never by another social worker, an
analyst or partner staff (issue 13, item 2).

Cover (issue 14 item 4, decision 0044): a worker's absences and a team's duty rota.
``SEE_COVER`` (obj: the team): the team's members who hold cases, the managers of the team
or of a team or service above it, and those who answer for the whole service.
``RECORD_ABSENCE`` (obj: the team): its managers, for its members, and each member who holds
cases for their own planned leave (annual leave, training): ``may_record_absence`` says for
whom and of what kind. Nobody records another's absence unless they manage them; sickness and
"other" are recorded by the manager. ``SET_DUTY`` (obj: the team): its managers only. Those
covering need no grant of their own to act on an absent colleague's cases: recording on a
case is for every recorder of the authority (``RECORD``).

Decision rights (issue 15 item 2, decision 0041): which decisions need the case's line
manager's authorisation is chosen for the whole authority by its service managers only
(``SET_AUTHORISATION_RULES``, asked with ``authority_id``); never a team manager, a social
worker, an analyst or partner staff.
"""

from enum import StrEnum

from django.db.models import Q, QuerySet

from safeguard.accounts.models import Team
from safeguard.accounts.roles import (
    MANAGER_ROLES,
    RECORDING_ROLES,
    SERVICE_WIDE_ROLES,
    SOCIAL_CARE_ROLES,
    Role,
    is_social_care_staff,
)
from safeguard.accounts.selectors import managed_by
from safeguard.casework.models import Case
from safeguard.people import permissions as people_permissions


class Action(StrEnum):
    VIEW = "view"
    READ_NARRATIVE = "read_narrative"
    RECORD = "record"
    AUTHORISE = "authorise"
    CHANGE_PRIORITY = "change_priority"
    # Which decisions need authorisation in the authority (decision 0041): no case.
    SET_AUTHORISATION_RULES = "set_authorisation_rules"
    # Cover: obj is the team (decision 0044).
    SEE_COVER = "see_cover"
    RECORD_ABSENCE = "record_absence"
    SET_DUTY = "set_duty"


COVER_ACTIONS = {Action.SEE_COVER, Action.RECORD_ABSENCE, Action.SET_DUTY}
# What a worker may record of their own: planned leave. Sickness is recorded by the manager.
OWN_ABSENCE_KINDS = {"annual_leave", "training"}


# Who may do each action, among children's social care staff of the case's authority. What is
# written on a case file (free text) is read by those who work with the child: the recorders.
ROLES = {
    Action.VIEW: SOCIAL_CARE_ROLES,
    Action.READ_NARRATIVE: RECORDING_ROLES,
    Action.RECORD: RECORDING_ROLES,
    Action.AUTHORISE: MANAGER_ROLES,
    # Team and service managers, and the worker the case is allocated to (see ``can``).
    Action.CHANGE_PRIORITY: RECORDING_ROLES,
    Action.SET_AUTHORISATION_RULES: frozenset({Role.SERVICE_MANAGER}),
}


# What a read-only grant (decision 0042) lets its holder do: read the case file, never record.
READ_ACTIONS = frozenset({Action.VIEW, Action.READ_NARRATIVE})
# Read-only grants registered by higher apps: ``ids(user)``, a query of the case ids ``user``
# may read today (None, without a query, when it grants ``user`` nothing).
_READERS: list = []


def register_reader(ids) -> None:
    """Let a higher app grant a user outside children's social care sight of some case files,
    read-only (an inspector, the cases of their inspection's sample). The child must also be
    granted by the people policy (``people.permissions.register_grant``)."""
    if ids not in _READERS:
        _READERS.append(ids)


def _granted_cases(user):
    """The query of case ids granted to ``user``, or None when no grant names them."""
    if is_social_care_staff(user):
        return None
    queries = [q for q in (ids(user) for ids in _READERS) if q is not None]
    if not queries:
        return None
    q = Q(pk__in=queries[0])
    for more in queries[1:]:
        q |= Q(pk__in=more)
    return q


def visible_to(user) -> QuerySet[Case]:
    if not is_social_care_staff(user):
        granted = _granted_cases(user)
        if granted is None:
            return Case.objects.none()
        return Case.objects.filter(
            granted,
            authority_id=user.agency.authority_id,
            child__in=people_permissions.visible_to(user).values("id"),
        )
    # A case is part of the child's record: a sealed child's cases follow the seal. Asked of
    # each case's child, so that a list filtered to a few cases never lists the borough.
    visible = people_permissions.visible_q(user, "child_id")
    if visible is None:
        return Case.objects.filter(
            authority_id=user.agency.authority_id,
            child__in=people_permissions.visible_to(user).values("id"),
        )
    return Case.objects.filter(visible, authority_id=user.agency.authority_id)


def manages_team(user, team: Team) -> bool:
    """Does ``user`` manage ``team``, or a team or service above it?"""
    return Team.objects.filter(managed_by(user), pk=team.pk).exists()


def _member(user, team: Team) -> bool:
    return user.role in RECORDING_ROLES and user.teams.filter(pk=team.pk).exists()


def _cover_can(user, action: Action, team: Team | None) -> bool:
    if team is None or not is_social_care_staff(user, authority_id=team.agency.authority_id):
        return False
    if action == Action.SEE_COVER and user.role in SERVICE_WIDE_ROLES:
        return True
    if user.role in MANAGER_ROLES and manages_team(user, team):
        return True
    return action != Action.SET_DUTY and _member(user, team)


def may_record_absence(user, worker, kind: str, team: Team) -> bool:
    """May ``user`` record an absence of ``kind`` for ``worker`` (a member of ``team``)?
    Their own planned leave, or a member of a team they manage, never their own sickness."""
    if not _cover_can(user, Action.RECORD_ABSENCE, team):
        return False
    if worker.pk == user.pk:
        return kind in OWN_ABSENCE_KINDS
    return user.role in MANAGER_ROLES and manages_team(user, team)
def authority_of(user):
    """The authority of ``user``'s agency, or None (signed out, or in no agency)."""
    return user.agency.authority_id if getattr(user, "agency_id", None) else None


def can(user, action: Action, case: Case | None = None, *, authority_id=None) -> bool:
    """May ``user`` do ``action`` on ``case`` (or on a new case in ``authority_id``)? For the
    cover actions, ``case`` is the team."""
    if action in COVER_ACTIONS:
        return _cover_can(user, action, case)
    target = case.authority_id if case is not None else authority_id
    roles = ROLES.get(action)
    if target is None or roles is None:
        return False
    if action in READ_ACTIONS and (granted := _granted_cases(user)) is not None:
        # Read-only: the granted case (or, for a page of the child's file, any granted case of
        # the authority; the people policy then decides which children).
        cases = Case.objects.filter(granted, authority_id=target)
        return (cases.filter(pk=case.pk) if case is not None else cases).exists()
    allowed = is_social_care_staff(user, roles=roles, authority_id=target)
    if allowed and action == Action.CHANGE_PRIORITY and user.role not in MANAGER_ROLES:
        # A social worker changes the priority of a case allocated to them, and no other
        # (read through .all(), so that a page that prefetched the allocations asks no more).
        return case is not None and any(
            a.worker_id == user.pk and a.end_date is None for a in case.allocations.all()
        )
    return allowed


def sees_case_file(user, person) -> bool:
    """May ``user`` see the case-file records about ``person`` (their cases and everything
    under them, the front door, assessments and protection)? Asked by the person page's
    record history for each of those apps' events (``people.history``): partner staff see
    the child's identity, never that a case file exists."""
    return can(user, Action.VIEW, authority_id=person.authority_id) and people_permissions.can(
        user, people_permissions.Action.VIEW, person
    )
