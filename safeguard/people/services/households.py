"""Addresses and who lives at them: residences, from which households are read."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from safeguard.audit.models import ChangeVerb
from safeguard.audit.services import save_change, save_new, snapshot
from safeguard.core.errors import ApplicationError
from safeguard.people import permissions
from safeguard.people.models import Address, Person, Residence
from safeguard.people.permissions import Action
from safeguard.people.services.common import check_dates, refusing_clashes
from safeguard.people.signals import JOINED, LEFT, household_changed


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
    check_dates(today=timezone.localdate(), start_date=start_date)
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
        )
        with refusing_clashes():
            save_new(address, by=by)
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
            with refusing_clashes():
                save_change(
                    open_res, by=by, before=before, verb=ChangeVerb.ENDED, person_id=person.pk
                )
            household_changed.send(
                sender=Residence, residence=open_res, change=LEFT, on=start_date, by=by
            )
    residence = Residence(person=person, address=address, start_date=start_date)
    with refusing_clashes():
        save_new(residence, by=by, person_id=person.pk)
    household_changed.send(
        sender=Residence, residence=residence, change=JOINED, on=start_date, by=by
    )
    return residence
