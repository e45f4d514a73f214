"""Relationships between people (parent of, sibling of, ...)."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from safeguard.audit.models import ChangeVerb
from safeguard.audit.services import record_change, save_new
from safeguard.core.errors import ApplicationError
from safeguard.people import permissions
from safeguard.people.codes import PARENTAL_RESPONSIBILITY_KINDS, RelationshipKind
from safeguard.people.models import Person, Relationship
from safeguard.people.permissions import Action
from safeguard.people.services.common import check_dates, refusing_clashes

# Kinds that read the same from both sides: one row records both.
SYMMETRIC_RELATIONSHIPS = {RelationshipKind.SIBLING, RelationshipKind.HOUSEHOLD_MEMBER}


@transaction.atomic
def relationship_add(
    *,
    by,
    person: Person,
    other: Person,
    kind: str,
    start_date: date | None = None,
    end_date: date | None = None,
    parental_responsibility: bool = False,
) -> Relationship:
    """Record that ``person`` is the ``kind`` of ``other`` (for example, parent of), and
    whether they hold parental responsibility for them."""
    if not (permissions.can(by, Action.EDIT, person) and permissions.can(by, Action.EDIT, other)):
        raise PermissionDenied("You cannot change these records")
    if person.pk == other.pk:
        raise ApplicationError("A person cannot be related to themselves", field="other")
    check_dates(today=timezone.localdate(), start_date=start_date, end_date=end_date)
    if start_date and end_date and end_date < start_date:
        raise ApplicationError("The end date cannot be before the start date", field="end_date")
    if parental_responsibility and kind not in PARENTAL_RESPONSIBILITY_KINDS:
        raise ApplicationError(
            "Only a parent, step-parent or carer can hold parental responsibility",
            field="parental_responsibility",
        )
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
        parental_responsibility=parental_responsibility,
    )
    with refusing_clashes():
        save_new(rel, by=by, person_id=person.pk)
    # The same change, in the other person's history too.
    record_change(by=by, verb=ChangeVerb.CREATED, obj=rel, before=None, person_id=other.pk)
    return rel
