"""Agencies', teams' and workers' involvement with a person (what grants partners sight)."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from safeguard.audit.models import ChangeVerb
from safeguard.audit.services import save_change, save_new, snapshot
from safeguard.core.errors import ApplicationError
from safeguard.people import permissions
from safeguard.people.models import Involvement, Person
from safeguard.people.permissions import Action
from safeguard.people.services.common import check_dates, refusing_clashes


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
    check_dates(today=timezone.localdate(), start_date=start_date)
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
    )
    with refusing_clashes():
        save_new(inv, by=by, person_id=person.pk)
    return inv


@transaction.atomic
def involvement_end(*, by, involvement: Involvement, end_date: date) -> Involvement:
    if not permissions.can(by, Action.EDIT, involvement.person):
        raise PermissionDenied("You cannot change this record")
    check_dates(today=timezone.localdate(), end_date=end_date)
    if end_date < involvement.start_date:
        raise ApplicationError("The end date cannot be before the start date", field="end_date")
    before = snapshot(involvement)
    involvement.end_date = end_date
    with refusing_clashes():
        save_change(
            involvement,
            by=by,
            before=before,
            verb=ChangeVerb.ENDED,
            person_id=involvement.person_id,
        )
    return involvement


EARLY_HELP_LEAD_ROLE = "Early help lead practitioner"


@transaction.atomic
def lead_involvement_add(*, by, person: Person, worker, start_date: date) -> Involvement | None:
    """Record that ``worker`` (a partner practitioner of an agency that leads early help)
    leads early help for ``person``, so that they may see the child whose work they lead
    (decision 0081). Asked by someone who may name the lead (``Action.ADD_LEAD``), once the
    family has consented (the caller's rule). Nothing is added if ``worker`` is already
    involved today. Returns the new involvement, or None."""
    if not permissions.can(by, Action.ADD_LEAD, person):
        raise PermissionDenied("You cannot change this record")
    if not permissions.leads_early_help(worker) or (
        worker.agency.authority_id != person.authority_id
    ):
        raise ApplicationError(
            "Only a practitioner of a school, health or voluntary sector agency of this "
            "authority can be added as the lead",
            field="lead_user",
        )
    today = timezone.localdate()
    if Involvement.objects.filter(
        Involvement.open_on(today), person=person, worker=worker
    ).exists():
        return None
    check_dates(today=today, start_date=start_date)
    inv = Involvement(
        person=person,
        agency_id=worker.agency_id,
        worker=worker,
        role=EARLY_HELP_LEAD_ROLE,
        start_date=start_date,
    )
    with refusing_clashes():
        save_new(inv, by=by, person_id=person.pk)
    return inv
