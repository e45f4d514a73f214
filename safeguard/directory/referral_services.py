"""Referrals of a child to a service in the directory (issue 19 item 3): sent, then accepted or
declined (with the reason), started, ended with an outcome; or withdrawn before it starts.

Each write checks the directory policy (``REFER`` on the child), the order of the steps (a
declined referral cannot start; no step dated before the one before it, nor in the future),
the version the user saw, and saves with its change event and an entry on the child's
chronology (each step its own entry, linking to the referral's page)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from safeguard.audit.models import ChangeVerb
from safeguard.audit.services import save_change, save_new, snapshot
from safeguard.casework.services import chronology_add
from safeguard.core.concurrency import expect_version
from safeguard.core.errors import ApplicationError
from safeguard.directory import permissions
from safeguard.directory.codes import ReferralOutcome, ReferralStatus
from safeguard.directory.models import Service, ServiceReferral
from safeguard.directory.permissions import Action


class StepMarker:
    """Lets each status change have its own chronology entry, apart from the sending's
    (``"<id>:<status>"``: the chronology links it to the referral's page)."""

    def __init__(self, referral: ServiceReferral, status: str):
        self.pk = f"{referral.pk}:{status}"
        self._meta = referral._meta


def _require(user, child) -> None:
    if not permissions.can(user, Action.REFER, child):
        raise PermissionDenied("You cannot refer this child to a service")


def _agency(user) -> str:
    return user.agency.name if user.agency_id else ""


def _check_day(day: date | None, *, label: str, field: str, after: date, after_what: str):
    if day is None:
        raise ApplicationError(f"Enter the {label}", field=field)
    if day > timezone.localdate():
        raise ApplicationError(f"The {label} cannot be in the future", field=field)
    if day < after:
        raise ApplicationError(
            f"The {label} cannot be before the referral was {after_what} ({after:%-d %B %Y})",
            field=field,
        )


def _chronology(by, referral: ServiceReferral, day: date, what: str, status: str | None):
    chronology_add(
        by=by,
        child=referral.child,
        case=referral.case,
        event_date=day,
        what=what,
        source_agency=_agency(by),
        source=referral if status is None else StepMarker(referral, status),
    )


@transaction.atomic
def service_referral_send(
    *,
    by,
    child,
    service: Service,
    reason: str,
    consent: bool,
    no_consent_reason: str = "",
    case=None,
) -> ServiceReferral:
    """Refer ``child`` to ``service`` today. The service must be the child's authority's,
    current (not lapsed or ended) and taking referrals; the family's consent, or why it was not
    sought, is recorded. ``case``: the child's case it is made from, when there is one."""
    _require(by, child)
    today = timezone.localdate()
    if service.authority_id != child.authority_id:
        raise ApplicationError("Choose a service of the child's local authority", field="service")
    if not service.is_current(today):
        raise ApplicationError(
            f"{service.name} is out of date in the directory or has ended: choose another "
            "service, or ask a directory editor to check it",
            field="service",
        )
    if not service.accepting_referrals:
        raise ApplicationError(f"{service.name} is not taking referrals now", field="service")
    if not reason.strip():
        raise ApplicationError("Enter the reason for the referral", field="reason")
    if not consent and not no_consent_reason.strip():
        raise ApplicationError(
            "Enter why the family's consent was not sought", field="no_consent_reason"
        )
    if case is not None and case.child_id != child.pk:
        raise ApplicationError("That case is not this child's")
    referral = ServiceReferral(
        service=service,
        child=child,
        authority_id=child.authority_id,
        case=case,
        reason=reason.strip(),
        consent=consent,
        no_consent_reason="" if consent else no_consent_reason.strip(),
        status=ReferralStatus.SENT,
        sent_on=today,
        sent_by=by,
    )
    save_new(referral, by=by, person_id=child.pk)
    _chronology(by, referral, today, f"Referred to {service.name} ({service.organisation})", None)
    return referral


def _change(by, referral: ServiceReferral, version: int | None, allowed: tuple, refusal: str):
    _require(by, referral.child)
    expect_version(referral, version)
    if referral.status not in allowed:
        raise ApplicationError(refusal.format(status=referral.get_status_display().lower()))
    return snapshot(referral)


@transaction.atomic
def service_referral_accept(
    *, by, referral: ServiceReferral, decided_on: date | None, version: int | None = None
) -> ServiceReferral:
    """The service accepted the referral on ``decided_on`` (not before it was sent)."""
    before = _change(
        by, referral, version, (ReferralStatus.SENT,), "The referral is already {status}"
    )
    _check_day(
        decided_on, label="date accepted", field="decided_on", after=referral.sent_on,
        after_what="sent",
    )  # fmt: skip
    referral.status, referral.decided_on = ReferralStatus.ACCEPTED, decided_on
    save_change(referral, by=by, before=before, person_id=referral.child_id)
    _chronology(
        by, referral, decided_on, f"{referral.service.name} accepted the referral", "accepted"
    )
    return referral


@transaction.atomic
def service_referral_decline(
    *,
    by,
    referral: ServiceReferral,
    decided_on: date | None,
    reason: str,
    version: int | None = None,
) -> ServiceReferral:
    """The service declined the referral on ``decided_on``, for ``reason`` (required)."""
    before = _change(
        by, referral, version, (ReferralStatus.SENT,), "The referral is already {status}"
    )
    _check_day(
        decided_on, label="date declined", field="decided_on", after=referral.sent_on,
        after_what="sent",
    )  # fmt: skip
    if not reason.strip():
        raise ApplicationError("Enter why the service declined the referral", field="reason")
    referral.status, referral.decided_on = ReferralStatus.DECLINED, decided_on
    referral.declined_reason = reason.strip()
    save_change(referral, by=by, before=before, person_id=referral.child_id)
    _chronology(
        by, referral, decided_on, f"{referral.service.name} declined the referral", "declined"
    )
    return referral


@transaction.atomic
def service_referral_start(
    *, by, referral: ServiceReferral, started_on: date | None, version: int | None = None
) -> ServiceReferral:
    """The child started with the service on ``started_on``: only once it was accepted, and
    not before that."""
    before = _change(
        by,
        referral,
        version,
        (ReferralStatus.ACCEPTED,),
        "Only an accepted referral can start: this one is {status}",
    )
    _check_day(
        started_on, label="start date", field="started_on", after=referral.decided_on,
        after_what="accepted",
    )  # fmt: skip
    referral.status, referral.started_on = ReferralStatus.STARTED, started_on
    save_change(referral, by=by, before=before, person_id=referral.child_id)
    _chronology(by, referral, started_on, f"Started with {referral.service.name}", "started")
    return referral


@transaction.atomic
def service_referral_end(
    *,
    by,
    referral: ServiceReferral,
    ended_on: date | None,
    outcome: str,
    notes: str = "",
    version: int | None = None,
) -> ServiceReferral:
    """The service's work with the child ended on ``ended_on`` (not before it started), with
    an outcome of ``ReferralOutcome``."""
    before = _change(
        by,
        referral,
        version,
        (ReferralStatus.STARTED,),
        "Only a referral that started can end: this one is {status}",
    )
    _check_day(
        ended_on, label="end date", field="ended_on", after=referral.started_on,
        after_what="started",
    )  # fmt: skip
    if outcome not in ReferralOutcome.values:
        raise ApplicationError("Choose the outcome", field="outcome")
    referral.status, referral.ended_on = ReferralStatus.ENDED, ended_on
    referral.outcome, referral.outcome_notes = outcome, notes.strip()
    save_change(referral, by=by, before=before, verb=ChangeVerb.ENDED, person_id=referral.child_id)
    _chronology(
        by,
        referral,
        ended_on,
        f"Ended with {referral.service.name}: {ReferralOutcome(outcome).label.lower()}",
        "ended",
    )
    return referral


@transaction.atomic
def service_referral_withdraw(
    *, by, referral: ServiceReferral, reason: str, version: int | None = None
) -> ServiceReferral:
    """The referral is withdrawn today, for ``reason``: only before the child started."""
    before = _change(
        by,
        referral,
        version,
        (ReferralStatus.SENT, ReferralStatus.ACCEPTED),
        "Only a referral not yet started or decided against can be withdrawn: this one is {status}",
    )
    if not reason.strip():
        raise ApplicationError("Enter why the referral is withdrawn", field="withdrawn_reason")
    referral.status, referral.withdrawn_reason = ReferralStatus.WITHDRAWN, reason.strip()
    save_change(referral, by=by, before=before, verb=ChangeVerb.ENDED, person_id=referral.child_id)
    _chronology(
        by,
        referral,
        timezone.localdate(),
        f"Referral to {referral.service.name} withdrawn",
        "withdrawn",
    )
    return referral
