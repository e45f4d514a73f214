"""Publishing procedures and acknowledging them. Each service checks the policy and writes
its change event through ``audit.services``."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.audit.services import save_change, save_new, snapshot
from safeguard.procedures import permissions, selectors
from safeguard.procedures.models import Acknowledgement, Procedure
from safeguard.procedures.permissions import Action


@transaction.atomic
def procedure_publish(
    *, by, kind: str, title: str, body: str, step: str = "", roles=(), teams=()
) -> Procedure:
    """Publish a new procedure or learning summary to the audience chosen."""
    if not permissions.can(by, Action.PUBLISH):
        raise PermissionDenied("Only a service manager publishes procedures")
    teams = list(teams)
    if any(t.agency.authority_id != by.authority_id for t in teams):
        raise ValidationError("Choose teams of your own authority")
    procedure = Procedure(
        authority_id=by.authority_id,
        kind=kind,
        title=title,
        body=body,
        step=step,
        roles=sorted(roles),
        published_at=timezone.now(),
    )
    save_new(procedure, by=by)
    procedure.teams.set(teams)
    return procedure


@transaction.atomic
def procedure_revise(
    *, by, procedure: Procedure, title: str, body: str, change_summary: str, roles=(), teams=()
) -> Procedure:
    """Publish a new version: everyone in the audience is asked to acknowledge it again."""
    if not permissions.can(by, Action.PUBLISH, procedure):
        raise PermissionDenied("Only a service manager publishes procedures")
    teams = list(teams)
    if any(t.agency.authority_id != by.authority_id for t in teams):
        raise ValidationError("Choose teams of your own authority")
    before = snapshot(procedure)
    procedure.title = title
    procedure.body = body
    procedure.change_summary = change_summary
    procedure.roles = sorted(roles)
    procedure.edition += 1
    procedure.published_at = timezone.now()
    save_change(procedure, by=by, before=before)
    procedure.teams.set(teams)
    return procedure


@transaction.atomic
def procedure_acknowledge(*, by, procedure: Procedure) -> Acknowledgement:
    """Record that ``by`` has read and understood the current version (once per version)."""
    if not permissions.can(by, Action.ACKNOWLEDGE, procedure):
        raise PermissionDenied("Not a procedure of your authority")
    if not selectors.in_audience(procedure, by):
        raise ValidationError("This procedure is not addressed to you")
    found = Acknowledgement.objects.filter(
        procedure=procedure, user=by, edition=procedure.edition
    ).first()
    if found is not None:
        return found
    ack = Acknowledgement(
        procedure=procedure, user=by, edition=procedure.edition, acknowledged_at=timezone.now()
    )
    save_new(ack, by=by)
    return ack
