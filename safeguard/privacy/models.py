"""Data protection: subject access requests, retention rules, legal holds and the facts about a
record that retention depends on but no other app records yet (looked after, care leaver,
adoption)."""

import calendar
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguard.core.models import BaseModel, Span


def add_months(day: date, months: int) -> date:
    """The same calendar date ``months`` later, or the last day of that month when it has no
    such date (31 January + 1 month = 28 or 29 February), as the ICO counts a month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    """The same date ``years`` later; a 29 February moves to 28 February in a common year
    (so a leap-day child's 18th birthday is 28 February, when the year has no 29th)."""
    return add_months(day, 12 * years)


# --- Subject access requests ----------------------------------------------------------------

SAR_MONTHS = 1
SAR_EXTENSION_MONTHS = 2


class SARStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    EXTENDED = "extended", "Extended"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class SubjectAccessRequest(BaseModel):
    """A request by or for a person to see what the authority holds about them (UK GDPR
    Article 15). Due one calendar month after receipt; extendable once by two months."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="subject_access_requests"
    )
    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    requester = models.CharField(
        "who made the request", max_length=300, help_text="For example: the person, their mother"
    )
    received_date = models.DateField("date received")
    due_date = models.DateField()
    extended_to = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=SARStatus.choices, default=SARStatus.RECEIVED)
    closed_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["due_date", "received_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("received_date")), name="sar_due_after_receipt"
            ),
            models.CheckConstraint(
                condition=Q(extended_to__isnull=True) | ~Q(extension_reason=""),
                name="sar_extension_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Subject access request received {self.received_date:%d %b %Y}"

    @property
    def answer_by(self) -> date:
        return self.extended_to or self.due_date

    @property
    def is_open(self) -> bool:
        return self.status in (SARStatus.RECEIVED, SARStatus.EXTENDED)

    def is_overdue_on(self, day: date) -> bool:
        return self.is_open and day > self.answer_by


# --- Retention ------------------------------------------------------------------------------


class RecordType(models.TextChoices):
    LOOKED_AFTER = "looked_after", "Looked-after child"
    CARE_LEAVER = "care_leaver", "Care leaver"
    ADOPTION = "adoption", "Adoption"
    CHILD_PROTECTION = "child_protection", "Child protection"
    CHILD_IN_NEED = "child_in_need", "Child in need"
    DOCUMENTS = "documents", "Documents"


class RetentionRule(models.Model):
    """An authority's retention period for one type of record. Missing rows take the defaults
    in ``retention.DEFAULT_RULES``; a row here overrides them (a local choice)."""

    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.CASCADE, related_name="+"
    )
    record_type = models.CharField(max_length=20, choices=RecordType.choices)
    years = models.PositiveSmallIntegerField()
    # Looked-after children only: how long after death, when the child died before 18.
    years_after_death = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authority", "record_type"], name="retention_rule_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()}: {self.years} years"


class RecordMark(BaseModel):
    """A fact retention depends on that no other app records yet: the person was looked
    after, is a care leaver, or was adopted (with the date of the adoption order)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="record_marks"
    )
    record_type = models.CharField(
        max_length=20,
        choices=[
            (RecordType.LOOKED_AFTER, RecordType.LOOKED_AFTER.label),
            (RecordType.CARE_LEAVER, RecordType.CARE_LEAVER.label),
            (RecordType.ADOPTION, RecordType.ADOPTION.label),
        ],
    )
    order_date = models.DateField("date of the adoption order", null=True, blank=True)

    class Meta:
        ordering = ["record_type"]
        constraints = [
            models.UniqueConstraint(fields=["person", "record_type"], name="record_mark_once"),
            models.CheckConstraint(
                condition=~Q(record_type="adoption") | Q(order_date__isnull=False),
                name="adoption_mark_has_order_date",
            ),
        ]

    def __str__(self) -> str:
        return self.get_record_type_display()


class LegalHold(BaseModel, Span):
    """A hold that stops a record being reviewed for destruction (an inquiry, litigation).
    Never deleted: lifting it keeps who lifted it, when and why. In force from the day it is
    placed up to the day it is lifted (``is_open_on``)."""

    span_start = "placed_on"
    span_end = "lifted_on"

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="legal_holds"
    )
    reason = models.TextField()
    placed_on = models.DateField()
    lifted_on = models.DateField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lift_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-placed_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lifted_on__isnull=True) | Q(lifted_on__gte=models.F("placed_on")),
                name="legal_hold_lifted_after_placed",
            ),
            models.CheckConstraint(
                condition=Q(lifted_on__isnull=True) | ~Q(lift_reason=""),
                name="legal_hold_lift_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Legal hold from {self.placed_on:%d %b %Y}"
