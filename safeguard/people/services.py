"""Changes to people's records. Each service takes ``by=``, runs in one transaction, checks
the data, and writes its change event; nothing is stored when a check fails."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from safeguard.audit.models import ChangeVerb
from safeguard.audit.services import record_change, snapshot
from safeguard.core.concurrency import expect_version
from safeguard.core.errors import ApplicationError
from safeguard.people import permissions
from safeguard.people.codes import RelationshipKind
from safeguard.people.models import (
    Address,
    Involvement,
    Person,
    PersonName,
    Relationship,
    Residence,
)
from safeguard.people.permissions import Action

# Kinds that read the same from both sides: one row records both.
SYMMETRIC_RELATIONSHIPS = {RelationshipKind.SIBLING, RelationshipKind.HOUSEHOLD_MEMBER}

PERSON_FIELDS = (
    "given_names",
    "family_name",
    "date_of_birth",
    "expected_date_of_birth",
    "date_of_death",
    "sex",
    "ethnicity",
    "disabilities",
    "nhs_number",
    "upn",
    "former_upn",
    "upn_unknown",
    "la_child_id",
    "police_reference",
)


def _check_dates(*, today: date, **dates) -> None:
    for field, value in dates.items():
        if value and value > today and field != "expected_date_of_birth":
            label = field.replace("_", " ")
            raise ApplicationError(f"The {label} cannot be in the future", field=field)


def _validate_person(person: Person) -> None:
    today = timezone.localdate()
    if not person.date_of_birth and not person.expected_date_of_birth:
        raise ApplicationError(
            "Enter a date of birth, or an expected date of birth for an unborn child",
            field="date_of_birth",
        )
    if person.date_of_birth and person.expected_date_of_birth:
        raise ApplicationError(
            "Enter either a date of birth or an expected date of birth, not both",
            field="expected_date_of_birth",
        )
    _check_dates(
        today=today, date_of_birth=person.date_of_birth, date_of_death=person.date_of_death
    )
    if (
        person.date_of_death
        and person.date_of_birth
        and person.date_of_death < person.date_of_birth
    ):
        raise ApplicationError(
            "The date of death cannot be before the date of birth", field="date_of_death"
        )
    # Identifiers are unique within the person's authority only: another authority's records
    # are never consulted, so the answer says nothing about them (issue 11, item 7).
    clashes = {
        "nhs_number": "Another record in this authority already has this NHS number",
        "upn": "Another record in this authority already has this UPN",
        "la_child_id": "Another record in this authority already has this local child id",
    }
    own = Person.objects.filter(authority_id=person.authority_id).exclude(pk=person.pk)
    for field, message in clashes.items():
        value = getattr(person, field)
        if value and own.filter(**{field: value}).exists():
            raise ApplicationError(message, field=field)


def _save(obj, **kwargs):
    try:
        obj.save(**kwargs)
    except IntegrityError as exc:
        raise ApplicationError(
            "This record clashes with one saved at the same moment; check it and try again"
        ) from exc


@transaction.atomic
def person_create(*, by, **fields) -> Person:
    """Create a person in ``by``'s authority."""
    if not permissions.can(by, Action.CREATE):
        raise PermissionDenied("You cannot create records")
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    person = Person(authority_id=by.agency.authority_id, created_by=by, updated_by=by, **fields)
    _validate_person(person)
    _save(person)
    record_change(by=by, verb=ChangeVerb.CREATED, obj=person, before=None, person_id=person.pk)
    return person


@transaction.atomic
def person_update(*, by, person: Person, version: int | None = None, **fields) -> Person:
    """Change a person's identity and identifiers.

    ``version`` is the version the user saw; a save over a newer version is refused so that
    no one's change is silently lost.
    """
    if not permissions.can(by, Action.EDIT, person):
        raise PermissionDenied("You cannot change this record")
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    current = Person.objects.select_for_update().get(pk=person.pk)
    expect_version(current, version)
    before = snapshot(current)
    for key, value in fields.items():
        setattr(current, key, value)
    if snapshot(current) == before:
        return current
    _validate_person(current)
    current.updated_by = by
    current.version = current.version + 1
    _save(current)
    record_change(by=by, verb=ChangeVerb.UPDATED, obj=current, before=before, person_id=current.pk)
    return current


@transaction.atomic
def person_name_add(
    *, by, person: Person, kind: str, given_names: str, family_name: str
) -> PersonName:
    if not permissions.can(by, Action.EDIT, person):
        raise PermissionDenied("You cannot change this record")
    name = PersonName(
        person=person,
        kind=kind,
        given_names=given_names,
        family_name=family_name,
        created_by=by,
        updated_by=by,
    )
    _save(name)
    record_change(by=by, verb=ChangeVerb.CREATED, obj=name, before=None, person_id=person.pk)
    return name


@transaction.atomic
def residence_add(
    *,
    by,
    person: Person,
    line_1: str,
    line_2: str = "",
    town: str,
    postcode: str,
    start_date: date,
    end_previous: bool = True,
) -> Residence:
    """Record that ``person`` lives at an address from ``start_date``.

    The same address (by first line and postcode) is reused, so that everyone living there
    forms one household. With ``end_previous``, the person's open residence ends that day.
    """
    if not permissions.can(by, Action.EDIT, person):
        raise PermissionDenied("You cannot change this record")
    _check_dates(today=timezone.localdate(), start_date=start_date)
    birth = person.date_of_birth
    if birth and start_date < birth:
        raise ApplicationError(
            "The move-in date cannot be before the person was born", field="start_date"
        )
    postcode = " ".join(postcode.upper().split())
    address = Address.objects.filter(
        authority_id=person.authority_id, line_1__iexact=line_1.strip(), postcode=postcode
    ).first()
    if address is None:
        address = Address(
            authority_id=person.authority_id,
            line_1=line_1.strip(),
            line_2=line_2.strip(),
            town=town.strip(),
            postcode=postcode,
            created_by=by,
            updated_by=by,
        )
        _save(address)
        record_change(by=by, verb=ChangeVerb.CREATED, obj=address, before=None)
    if end_previous:
        for open_res in person.residences.select_for_update().filter(end_date__isnull=True):
            if open_res.address_id == address.pk:
                raise ApplicationError("The person already lives at this address", field="line_1")
            if open_res.start_date > start_date:
                raise ApplicationError(
                    "The move-in date is before the start of the current address",
                    field="start_date",
                )
            before = snapshot(open_res)
            open_res.end_date = start_date
            open_res.updated_by = by
            open_res.version += 1
            _save(open_res)
            record_change(
                by=by, verb=ChangeVerb.ENDED, obj=open_res, before=before, person_id=person.pk
            )
    residence = Residence(
        person=person, address=address, start_date=start_date, created_by=by, updated_by=by
    )
    _save(residence)
    record_change(by=by, verb=ChangeVerb.CREATED, obj=residence, before=None, person_id=person.pk)
    return residence


@transaction.atomic
def relationship_add(
    *,
    by,
    person: Person,
    other: Person,
    kind: str,
    start_date: date | None = None,
    end_date: date | None = None,
) -> Relationship:
    """Record that ``person`` is the ``kind`` of ``other`` (for example, parent of)."""
    if not (permissions.can(by, Action.EDIT, person) and permissions.can(by, Action.EDIT, other)):
        raise PermissionDenied("You cannot change these records")
    if person.pk == other.pk:
        raise ApplicationError("A person cannot be related to themselves", field="other")
    _check_dates(today=timezone.localdate(), start_date=start_date, end_date=end_date)
    if start_date and end_date and end_date < start_date:
        raise ApplicationError("The end date cannot be before the start date", field="end_date")
    same = Q(person=person, other=other)
    if kind in SYMMETRIC_RELATIONSHIPS:
        same |= Q(person=other, other=person)
    exists = Relationship.objects.filter(same, kind=kind, end_date__isnull=True).exists()
    if exists:
        raise ApplicationError("This relationship is already recorded", field="kind")
    rel = Relationship(
        person=person,
        other=other,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        created_by=by,
        updated_by=by,
    )
    _save(rel)
    record_change(by=by, verb=ChangeVerb.CREATED, obj=rel, before=None, person_id=person.pk)
    record_change(by=by, verb=ChangeVerb.CREATED, obj=rel, before=None, person_id=other.pk)
    return rel


@transaction.atomic
def involvement_add(
    *,
    by,
    person: Person,
    agency,
    role: str,
    start_date: date,
    team=None,
    worker=None,
) -> Involvement:
    """Record an agency's (and optionally a team's or worker's) involvement with a person.

    For partner staff this is what grants sight of the record, so only social care staff who
    may change the record can add one.
    """
    if not permissions.can(by, Action.EDIT, person):
        raise PermissionDenied("You cannot change this record")
    _check_dates(today=timezone.localdate(), start_date=start_date)
    if agency.authority_id != person.authority_id:
        raise ApplicationError("That agency does not work with this authority", field="agency")
    if team is not None and team.agency_id != agency.pk:
        raise ApplicationError("That team is not part of the agency", field="team")
    if worker is not None and worker.agency_id != agency.pk:
        raise ApplicationError("That worker is not part of the agency", field="worker")
    inv = Involvement(
        person=person,
        agency=agency,
        team=team,
        worker=worker,
        role=role.strip(),
        start_date=start_date,
        created_by=by,
        updated_by=by,
    )
    _save(inv)
    record_change(by=by, verb=ChangeVerb.CREATED, obj=inv, before=None, person_id=person.pk)
    return inv


@transaction.atomic
def involvement_end(*, by, involvement: Involvement, end_date: date) -> Involvement:
    if not permissions.can(by, Action.EDIT, involvement.person):
        raise PermissionDenied("You cannot change this record")
    _check_dates(today=timezone.localdate(), end_date=end_date)
    if end_date < involvement.start_date:
        raise ApplicationError("The end date cannot be before the start date", field="end_date")
    before = snapshot(involvement)
    involvement.end_date = end_date
    involvement.updated_by = by
    involvement.version += 1
    _save(involvement)
    record_change(
        by=by,
        verb=ChangeVerb.ENDED,
        obj=involvement,
        before=before,
        person_id=involvement.person_id,
    )
    return involvement


# --- Sealed records and break-glass (docs/decisions/0005-sealed-records.md) -----------------

SEAL_REASON_MIN = 10


def _seal_member_candidates(person: Person):
    """Who may be named on a seal: active children's social care staff of the authority."""
    from safeguard.accounts.models import SOCIAL_CARE_ROLES, User

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
    from safeguard.accounts.models import Role, User

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
    from safeguard.people.models import SealMember

    member = SealMember.objects.create(seal=seal, user=user, created_by=by, updated_by=by)
    record_change(by=by, verb=ChangeVerb.CREATED, obj=member, before=None, person_id=seal.person_id)
    return member


@transaction.atomic
def person_seal(*, by, person: Person, reason: str, members=()):
    """Restrict ``person``'s record to ``members`` and the manager sealing it."""
    from safeguard.people.models import Seal

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
    seal = Seal.objects.create(
        person=person,
        reason=reason,
        sealed_by=by,
        sealed_at=timezone.now(),
        created_by=by,
        updated_by=by,
    )
    record_change(by=by, verb=ChangeVerb.CREATED, obj=seal, before=None, person_id=person.pk)
    for user in members:
        _add_member(by=by, seal=seal, user=user)
    return seal


def _open_seal_for_update(by, person: Person):
    from safeguard.people.models import Seal

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
    seal.updated_by = by
    seal.version += 1
    seal.save()
    record_change(by=by, verb=ChangeVerb.ENDED, obj=seal, before=before, person_id=person.pk)
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
        user__role__in=permissions.SEAL_MANAGER_ROLES, user__is_active=True
    )
    if not managers_left.exists():
        raise ApplicationError(
            "A team or service manager must stay named, so that someone can manage the seal",
            field="user",
        )
    before = snapshot(member)
    record_change(by=by, verb=ChangeVerb.ENDED, obj=member, before=before, person_id=person.pk)
    member.delete()


class BreakGlassRefused(ApplicationError):
    """Break-glass was refused; nothing was granted and the attempt is logged."""


def _refuse(*, by, person: Person, why: str, message: str, ip_address=None, field=None):
    from safeguard.people.models import BreakGlassRefusal

    # Its own transaction: the refusal is kept even though nothing else is.
    with transaction.atomic():
        BreakGlassRefusal.objects.create(
            user=by, person_id=person.pk, why=why[:200], ip_address=ip_address
        )
    raise BreakGlassRefused(message, field=field)


def break_glass(
    *,
    by,
    person: Person,
    reason: str,
    password: str,
    otp_token: str,
    ip_address=None,
    now=None,
    request=None,
):
    """Grant ``by`` sight of a sealed record for ``SAFEGUARD_BREAK_GLASS_MINUTES``, after a
    typed reason and re-authentication (password and a current second-factor code).

    The record's owners (allocated workers and their managers) and whoever sealed it are told
    at once, in-app and by email, and the use waits in the review queue. A refusal stores
    nothing but a ``BreakGlassRefusal``.

    With ``request`` (the page), wrong passwords and codes count towards the sign-in lockout
    for the user and address, and a locked-out user is refused (``accounts.reauth``).
    """

    from django.conf import settings

    from safeguard.accounts import reauth

    if not permissions.can(by, Action.BREAK_GLASS, person):
        _refuse(
            by=by,
            person=person,
            why="no right to break glass on this record",
            message="You cannot use break-glass on this record",
            ip_address=ip_address,
        )
    reason = (reason or "").strip()
    minimum = settings.SAFEGUARD_BREAK_GLASS_REASON_MIN
    if len(reason) < minimum:
        _refuse(
            by=by,
            person=person,
            why="reason too short",
            message=f"Give your reason in at least {minimum} characters",
            ip_address=ip_address,
            field="reason",
        )
    if reauth.locked_out(by, request):
        _locked_out(by=by, person=person, ip_address=ip_address)
    if not reauth.reauthenticate(
        by, password=password or "", otp_token=otp_token or "", request=request
    ):
        if reauth.locked_out(by, request):
            _locked_out(by=by, person=person, ip_address=ip_address)
        _refuse(
            by=by,
            person=person,
            why="re-authentication failed",
            message=(
                "Your password or security code is wrong. Nothing was granted. After a wrong "
                "code, wait a few seconds before trying again."
            ),
            ip_address=ip_address,
            field="password",
        )
    return _grant(by=by, person=person, reason=reason, now=now or timezone.now())


def _locked_out(*, by, person: Person, ip_address):
    from django.conf import settings

    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    _refuse(
        by=by,
        person=person,
        why="locked out after too many wrong passwords or codes",
        message=(
            "Too many wrong passwords or security codes. Nothing was granted. Wait "
            f"{minutes} minutes before trying again."
        ),
        ip_address=ip_address,
        field="password",
    )


@transaction.atomic
def _grant(*, by, person: Person, reason: str, now):
    from datetime import timedelta

    from django.conf import settings
    from django.urls import reverse

    from safeguard.core.workdays import add_working_days
    from safeguard.notices.services import notify
    from safeguard.people.models import BreakGlass

    granted_on = timezone.localtime(now).date()
    use = BreakGlass.objects.create(
        person=person,
        user=by,
        reason=reason,
        granted_at=now,
        expires_at=now + timedelta(minutes=settings.SAFEGUARD_BREAK_GLASS_MINUTES),
        review_due=add_working_days(granted_on, settings.SAFEGUARD_BREAK_GLASS_REVIEW_WORKING_DAYS),
        created_by=by,
        updated_by=by,
    )
    record_change(by=by, verb=ChangeVerb.CREATED, obj=use, before=None, person_id=person.pk)
    seal = permissions.open_seal(person)
    recipients = [*record_owners(person), seal.sealed_by if seal else None]
    recipients = [u for u in recipients if u is not None and u.pk != by.pk]
    role = by.get_role_display() if by.role else "staff"
    until = timezone.localtime(use.expires_at)
    subject = f"Break-glass access to restricted record {person.reference}"
    body = (
        f"{by} ({role}) used break-glass access to the restricted record "
        f"{person.reference} at {timezone.localtime(now):%H:%M on %d %B %Y}. "
        f"The access lasts until {until:%H:%M}. A manager must review it by "
        f"{use.review_due:%d %B %Y}. The reason given is in the review queue."
    )
    # Reviewers are sent to the review; the others to the record (if they may see it).
    reviewers = [u for u in recipients if permissions.can_review_break_glass(u)]
    others = [u for u in recipients if u not in reviewers]
    notify(
        users=reviewers,
        subject=subject,
        body=body,
        url=reverse("people:break-glass-review", kwargs={"use_id": use.pk}),
    )
    notify(
        users=others,
        subject=subject,
        body=body,
        url=reverse("people:detail", kwargs={"person_id": person.pk}),
    )
    return use


@transaction.atomic
def break_glass_review(*, by, use, outcome: str, note: str):
    from safeguard.people.models import BreakGlass, BreakGlassOutcome

    if not permissions.can_review_break_glass(by) or (
        by.agency.authority_id != use.person.authority_id
    ):
        raise PermissionDenied("You cannot review break-glass uses")
    use = BreakGlass.objects.select_for_update().get(pk=use.pk)
    if use.user_id == by.pk:
        raise ApplicationError("Someone else must review your own break-glass use")
    if use.reviewed_at is not None:
        raise ApplicationError("This use has already been reviewed")
    if outcome not in BreakGlassOutcome.values:
        raise ApplicationError("Choose whether the use was justified", field="outcome")
    note = (note or "").strip()
    if not note:
        raise ApplicationError("Write a note on your review", field="note")
    before = snapshot(use)
    use.outcome = outcome
    use.review_note = note
    use.reviewed_by = by
    use.reviewed_at = timezone.now()
    use.updated_by = by
    use.version += 1
    use.save()
    record_change(by=by, verb=ChangeVerb.UPDATED, obj=use, before=before, person_id=use.person_id)
    return use
