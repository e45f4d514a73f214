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
    clashes = {
        "nhs_number": ("nhs_number", "Another record already has this NHS number"),
        "upn": ("upn", "Another record already has this UPN"),
        "la_child_id": ("la_child_id", "Another record already has this local child id"),
    }
    for field, (lookup, message) in clashes.items():
        value = getattr(person, field)
        if value:
            others = Person.objects.filter(**{lookup: value}).exclude(pk=person.pk)
            if field == "la_child_id":
                others = others.filter(authority_id=person.authority_id)
            if others.exists():
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
