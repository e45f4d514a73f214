"""Writes: subject access requests, legal holds and record marks. Each takes ``by=``, runs in
one transaction and keeps its before and after in a ``ChangeEvent``."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from safeguard.audit.models import ChangeVerb
from safeguard.audit.services import record_change, save_change, save_new, snapshot
from safeguard.core.errors import ApplicationError
from safeguard.people.models import Person
from safeguard.privacy.models import (
    SAR_EXTENSION_MONTHS,
    SAR_MONTHS,
    LegalHold,
    RecordMark,
    RecordType,
    RetentionRule,
    SARStatus,
    SubjectAccessRequest,
    add_months,
)
from safeguard.privacy.retention import DEFAULT_RULES


def _text(value: str, *, field: str, label: str, required: bool = True, limit: int = 5000) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ApplicationError(f"{label} contains a character that cannot be stored", field=field)
    if required and not value:
        raise ApplicationError(f"Enter {label.lower()}", field=field)
    if len(value) > limit:
        raise ApplicationError(f"{label} must be {limit} characters or fewer", field=field)
    return value


def _not_future(day: date, *, field: str, label: str) -> None:
    if day > timezone.localdate():
        raise ApplicationError(f"{label} must be today or in the past", field=field)


@transaction.atomic
def sar_create(
    *, by, person: Person, requester: str, received_date: date, notes: str = ""
) -> SubjectAccessRequest:
    requester = _text(requester, field="requester", label="Who made the request", limit=300)
    notes = _text(notes, field="notes", label="Notes", required=False)
    _not_future(received_date, field="received_date", label="The date received")
    sar = SubjectAccessRequest(
        person=person,
        authority_id=person.authority_id,
        requester=requester,
        received_date=received_date,
        due_date=add_months(received_date, SAR_MONTHS),
        notes=notes,
    )
    save_new(sar, by=by, person_id=person.pk)
    return sar


@transaction.atomic
def sar_extend(*, by, sar: SubjectAccessRequest, reason: str) -> SubjectAccessRequest:
    """Extend once, by two further months, for a complex request (UK GDPR Art 12(3))."""
    reason = _text(reason, field="reason", label="The reason for the extension")
    sar = SubjectAccessRequest.objects.select_for_update().get(pk=sar.pk)
    if not sar.is_open:
        raise ApplicationError("This request is closed")
    if sar.extended_to:
        raise ApplicationError("This request has already been extended")
    before = snapshot(sar)
    sar.extended_to = add_months(sar.received_date, SAR_MONTHS + SAR_EXTENSION_MONTHS)
    sar.extension_reason = reason
    sar.status = SARStatus.EXTENDED
    save_change(sar, by=by, before=before, person_id=sar.person_id)
    return sar


@transaction.atomic
def sar_close(
    *, by, sar: SubjectAccessRequest, status: str, closed_date: date
) -> SubjectAccessRequest:
    if status not in (SARStatus.COMPLETED, SARStatus.WITHDRAWN):
        raise ApplicationError("Choose completed or withdrawn", field="status")
    sar = SubjectAccessRequest.objects.select_for_update().get(pk=sar.pk)
    if not sar.is_open:
        raise ApplicationError("This request is already closed")
    _not_future(closed_date, field="closed_date", label="The date")
    if closed_date < sar.received_date:
        raise ApplicationError(
            "The date cannot be before the request was received", field="closed_date"
        )
    before = snapshot(sar)
    sar.status, sar.closed_date = status, closed_date
    save_change(sar, by=by, before=before, person_id=sar.person_id)
    return sar


@transaction.atomic
def legal_hold_place(*, by, person: Person, reason: str, placed_on: date) -> LegalHold:
    reason = _text(reason, field="reason", label="The reason for the hold")
    _not_future(placed_on, field="placed_on", label="The date the hold starts")
    hold = LegalHold(person=person, reason=reason, placed_on=placed_on)
    save_new(hold, by=by, person_id=person.pk)
    return hold


@transaction.atomic
def legal_hold_lift(*, by, hold: LegalHold, reason: str, lifted_on: date) -> LegalHold:
    reason = _text(reason, field="lift_reason", label="The reason for lifting the hold")
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.lifted_on is not None:
        raise ApplicationError("This hold has already been lifted")
    _not_future(lifted_on, field="lifted_on", label="The date the hold ends")
    if lifted_on < hold.placed_on:
        raise ApplicationError("A hold cannot end before it starts", field="lifted_on")
    before = snapshot(hold)
    hold.lifted_on, hold.lifted_by, hold.lift_reason = lifted_on, by, reason
    save_change(hold, by=by, before=before, verb=ChangeVerb.ENDED, person_id=hold.person_id)
    return hold


@transaction.atomic
def record_mark_add(
    *, by, person: Person, record_type: str, order_date: date | None = None
) -> RecordMark:
    marks = {RecordType.LOOKED_AFTER, RecordType.CARE_LEAVER, RecordType.ADOPTION}
    if record_type not in marks:
        raise ApplicationError("Choose a type of record", field="record_type")
    if record_type == RecordType.ADOPTION:
        if order_date is None:
            raise ApplicationError("Enter the date of the adoption order", field="order_date")
        _not_future(order_date, field="order_date", label="The date of the adoption order")
    else:
        order_date = None
    if RecordMark.objects.filter(person=person, record_type=record_type).exists():
        raise ApplicationError("The record is already marked so", field="record_type")
    mark = RecordMark(person=person, record_type=record_type, order_date=order_date)
    save_new(mark, by=by, person_id=person.pk)
    return mark


@transaction.atomic
def retention_rule_set(
    *, by, authority_id, record_type: str, years: int, years_after_death: int | None = None
):
    """Change an authority's retention period for one type of record (a local choice)."""
    if record_type not in RecordType.values:
        raise ApplicationError(f"{record_type!r} is not a type of record", field="record_type")
    if not 1 <= years <= 150:
        raise ApplicationError("A retention period is between 1 and 150 years", field="years")
    if years_after_death is not None and not 1 <= years_after_death <= 150:
        raise ApplicationError("A period after death is between 1 and 150 years")
    rule = (
        RetentionRule.objects.select_for_update()
        .filter(authority_id=authority_id, record_type=record_type)
        .first()
    )
    before = snapshot(rule) if rule else None
    if rule is None:
        rule = RetentionRule(authority_id=authority_id, record_type=record_type)
    rule.years = years
    if years_after_death is not None:
        rule.years_after_death = years_after_death
    if before is not None and snapshot(rule) == before:
        return rule  # nothing changed: no change event
    rule.save()
    record_change(
        by=by, verb=ChangeVerb.UPDATED if before else ChangeVerb.CREATED, obj=rule, before=before
    )
    return rule


@transaction.atomic
def retention_rules_adopt_defaults(*, by, authority_id) -> list[RetentionRule]:
    """Write the default retention rules (``retention.DEFAULT_RULES``) as the authority's own
    rows, so that the rules in force are on record from its first day; a type of record
    that already has a row keeps it. Returns the rows written (none the second time)."""
    have = set(
        RetentionRule.objects.filter(authority_id=authority_id).values_list(
            "record_type", flat=True
        )
    )
    made = []
    for record_type, rule in DEFAULT_RULES.items():
        if record_type in have:
            continue
        row = RetentionRule(
            authority_id=authority_id,
            record_type=record_type,
            years=rule.years,
            years_after_death=rule.years_after_death,
            source=rule.source,
        )
        row.save()
        record_change(by=by, verb=ChangeVerb.CREATED, obj=row, before=None)
        made.append(row)
    return made
