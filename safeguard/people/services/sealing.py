"""Sealed records (docs/decisions/0005-sealed-records.md): sealing a record, naming who may
see it, lifting the seal; and the record's owners, who are told of any break-glass."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.accounts.roles import MANAGER_ROLES, SOCIAL_CARE_ROLES, Role
from safeguard.audit.models import ChangeVerb
from safeguard.audit.services import record_change, save_change, save_new, snapshot
from safeguard.core.errors import ApplicationError
from safeguard.people import permissions
from safeguard.people.models import Involvement, Person, Seal, SealMember
from safeguard.people.permissions import Action

SEAL_REASON_MIN = 10


def _seal_member_candidates(person: Person):
    """Who may be named on a seal: active children's social care staff of the authority."""
    return User.objects.filter(
        is_active=True,
        role__in=SOCIAL_CARE_ROLES,
        agency__kind="csc",
        agency__authority_id=person.authority_id,
    )


def seal_member_candidates(person: Person):
    return _seal_member_candidates(person).order_by("last_name", "first_name")


def record_owners(person: Person, on: date | None = None) -> list:
    """The record's owners: workers of children's social care with an open involvement
    (allocation writes one), and the team managers of their teams."""
    on = on or timezone.localdate()
    involvements = [
        inv
        for inv in Involvement.objects.filter(
            person=person, agency__kind="csc", worker__isnull=False
        ).select_related("worker")
        if inv.is_open_on(on)
    ]
    workers = [inv.worker for inv in involvements]
    team_ids = {inv.team_id for inv in involvements if inv.team_id}
    team_ids |= set(
        User.teams.through.objects.filter(user__in=workers).values_list("team_id", flat=True)
    )
    managers = list(
        User.objects.filter(role=Role.TEAM_MANAGER, is_active=True, teams__in=team_ids).distinct()
    )
    return list({u.pk: u for u in workers + managers}.values())


def _members_check(person: Person, members) -> list:
    allowed = set(_seal_member_candidates(person).values_list("pk", flat=True))
    for user in members:
        if user.pk not in allowed:
            raise ApplicationError(
                f"{user} cannot be named: only children's social care staff of the authority",
                field="members",
            )
    return list({u.pk: u for u in members}.values())


def _add_member(*, by, seal, user):
    member = SealMember(seal=seal, user=user)
    save_new(member, by=by, person_id=seal.person_id)
    return member


@transaction.atomic
def person_seal(*, by, person: Person, reason: str, members=()):
    """Restrict ``person``'s record to ``members`` and the manager sealing it."""
    permissions.forget_seen(person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not permissions.can(by, Action.SEAL, person):
        raise PermissionDenied("You cannot seal this record")
    reason = (reason or "").strip()
    if len(reason) < SEAL_REASON_MIN:
        raise ApplicationError(
            f"Say why the record is sealed, in at least {SEAL_REASON_MIN} characters",
            field="reason",
        )
    members = _members_check(person, [by, *members])
    seal = Seal(person=person, reason=reason, sealed_by=by, sealed_at=timezone.now())
    save_new(seal, by=by, person_id=person.pk)
    for user in members:
        _add_member(by=by, seal=seal, user=user)
    return seal


def _open_seal_for_update(by, person: Person):
    # What this copy of the person says of its seal and viewers is about to change.
    permissions.forget_seen(person)
    if not permissions.can(by, Action.MANAGE_SEAL, person):
        raise PermissionDenied("You cannot manage this seal")
    return Seal.objects.select_for_update().get(person=person, unsealed_at__isnull=True)


@transaction.atomic
def person_unseal(*, by, person: Person, reason: str):
    seal = _open_seal_for_update(by, person)
    reason = (reason or "").strip()
    if len(reason) < SEAL_REASON_MIN:
        raise ApplicationError(
            f"Say why the seal is lifted, in at least {SEAL_REASON_MIN} characters",
            field="reason",
        )
    before = snapshot(seal)
    seal.unsealed_by = by
    seal.unsealed_at = timezone.now()
    seal.unseal_reason = reason
    save_change(seal, by=by, before=before, verb=ChangeVerb.ENDED, person_id=person.pk)
    return seal


@transaction.atomic
def seal_member_add(*, by, person: Person, user):
    seal = _open_seal_for_update(by, person)
    (user,) = _members_check(person, [user])
    if seal.members.filter(user=user).exists():
        raise ApplicationError(f"{user} is already named", field="user")
    return _add_member(by=by, seal=seal, user=user)


@transaction.atomic
def seal_member_remove(*, by, person: Person, user) -> None:
    seal = _open_seal_for_update(by, person)
    member = seal.members.filter(user=user).first()
    if member is None:
        raise ApplicationError(f"{user} is not named", field="user")
    managers_left = seal.members.exclude(pk=member.pk).filter(
        user__role__in=MANAGER_ROLES, user__is_active=True
    )
    if not managers_left.exists():
        raise ApplicationError(
            "A team or service manager must stay named, so that someone can manage the seal",
            field="user",
        )
    before = snapshot(member)
    record_change(by=by, verb=ChangeVerb.ENDED, obj=member, before=before, person_id=person.pk)
    member.delete()
