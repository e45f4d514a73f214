"""Break-glass (docs/decisions/0005-sealed-records.md): time-limited sight of a sealed record
after a typed reason and re-authentication, its notices, and its review by a manager."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts import reauth
from safeguard.audit.services import save_change, save_new, snapshot
from safeguard.core.errors import ApplicationError
from safeguard.core.workdays import add_working_days
from safeguard.notices.services import notify
from safeguard.people import permissions
from safeguard.people.models import BreakGlass, BreakGlassOutcome, BreakGlassRefusal, Person
from safeguard.people.permissions import Action
from safeguard.people.services.sealing import record_owners


class BreakGlassRefused(ApplicationError):
    """Break-glass was refused; nothing was granted and the attempt is logged."""


def _refuse(*, by, person: Person, why: str, message: str, ip_address=None, field=None):
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
    granted_on = timezone.localtime(now).date()
    use = BreakGlass(
        person=person,
        user=by,
        reason=reason,
        granted_at=now,
        expires_at=now + timedelta(minutes=settings.SAFEGUARD_BREAK_GLASS_MINUTES),
        review_due=add_working_days(granted_on, settings.SAFEGUARD_BREAK_GLASS_REVIEW_WORKING_DAYS),
    )
    save_new(use, by=by, person_id=person.pk)
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
    reviewers = [u for u in recipients if permissions.can(u, Action.REVIEW_BREAK_GLASS)]
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
    if not permissions.can(by, Action.REVIEW_BREAK_GLASS, use.person):
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
    save_change(use, by=by, before=before, person_id=use.person_id)
    return use
