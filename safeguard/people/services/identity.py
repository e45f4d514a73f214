"""A person's identity, identifiers and other names."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from safeguard.audit.services import save_change, save_new, snapshot
from safeguard.core.concurrency import expect_version
from safeguard.core.errors import ApplicationError
from safeguard.people import permissions
from safeguard.people.models import Involvement, Person, PersonName
from safeguard.people.permissions import Action
from safeguard.people.services.common import check_dates, refusing_clashes

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
    check_dates(today=today, date_of_birth=person.date_of_birth, date_of_death=person.date_of_death)
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


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")


@transaction.atomic
def person_create(*, by, **fields) -> Person:
    """Create a person in ``by``'s authority."""
    if not permissions.can(by, Action.CREATE):
        raise PermissionDenied("You cannot create records")
    _check_fields(fields)
    person = Person(authority_id=by.agency.authority_id, **fields)
    _validate_person(person)
    with refusing_clashes():
        save_new(person, by=by, person_id=person.pk)
    return person


@transaction.atomic
def person_update(*, by, person: Person, version: int | None = None, **fields) -> Person:
    """Change a person's identity and identifiers.

    ``version`` is the version the user saw; a save over a newer version is refused so that
    no one's change is silently lost.
    """
    if not permissions.can(by, Action.EDIT, person):
        raise PermissionDenied("You cannot change this record")
    _check_fields(fields)
    current = Person.objects.select_for_update().get(pk=person.pk)
    expect_version(current, version)
    before = snapshot(current)
    for key, value in fields.items():
        setattr(current, key, value)
    if snapshot(current) == before:
        return current
    _validate_person(current)
    # The conditional update does not go through ``Person.save``: keep the search keys of
    # the names in step here.
    current.refresh_keys()
    with refusing_clashes():
        save_change(current, by=by, before=before, person_id=current.pk)
    return current


@transaction.atomic
def person_name_add(
    *, by, person: Person, kind: str, given_names: str, family_name: str
) -> PersonName:
    if not permissions.can(by, Action.EDIT, person):
        raise PermissionDenied("You cannot change this record")
    name = PersonName(person=person, kind=kind, given_names=given_names, family_name=family_name)
    with refusing_clashes():
        save_new(name, by=by, person_id=person.pk)
    return name


@transaction.atomic
def person_create_involved(*, by, involvement_role: str, start_date, **fields) -> Person:
    """A partner practitioner of an agency that leads early help creates a child's record,
    their own involvement recorded with it so that the people policy lets them see the child
    they are working with (decision 0081). The caller has run the duplicate check across the
    authority (``people.selectors.known_elsewhere``)."""
    if not permissions.can(by, Action.CREATE_INVOLVED):
        raise PermissionDenied("You cannot create records")
    _check_fields(fields)
    person = Person(authority_id=by.agency.authority_id, **fields)
    _validate_person(person)
    with refusing_clashes():
        save_new(person, by=by, person_id=person.pk)
        save_new(
            Involvement(
                person=person,
                agency_id=by.agency_id,
                worker=by,
                role=(involvement_role or "").strip()[:100] or "Early help",
                start_date=start_date,
            ),
            by=by,
            person_id=person.pk,
        )
    return person
