"""The front door: contacts, the authority's threshold of need, and referrals.

The continuum of need (levels and their indicators) is data each authority keeps, not code:
the front-door decision records the level judged, the indicators that led to it and the
rationale, and a decision that departs from what the level implies needs a manager's reason.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safeguard.casework.codes import Priority, ReferralSource
from safeguard.casework.models import Prioritised
from safeguard.core.models import BaseModel


class ContactOutcome(models.TextChoices):
    NO_FURTHER_ACTION = "nfa", "No further action"
    ADVICE = "advice", "Advice and information"
    EARLY_HELP = "early_help", "Early help"
    REFERRAL = "referral", "Referral to children's social care"
    # A contact about a child whose case is open goes to the case holder (issue 16 item 9).
    PASSED_TO_WORKER = "passed", "Passed to the allocated worker"


class ThresholdLevel(models.Model):
    """One level of the authority's continuum of need, e.g. "3: Child in need"."""

    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="threshold_levels"
    )
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    implied_outcome = models.CharField(max_length=20, choices=ContactOutcome.choices)
    # The day this version stopped being offered: a change of wording retires the row and
    # makes a new one, so a contact decided against it keeps the words it was decided under.
    disabled_on = models.DateField(null=True, blank=True)
    # Why a whole level was retired by an administrator (decision 0077); empty when a
    # version was replaced by a new wording, or is current.
    disabled_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            # One current version of each level; retired versions keep their number.
            models.UniqueConstraint(
                fields=["authority", "number"],
                condition=Q(disabled_on__isnull=True),
                name="threshold_level_current_unique",
            )
        ]

    def __str__(self) -> str:
        return f"Level {self.number}: {self.name}"


class ThresholdIndicator(models.Model):
    level = models.ForeignKey(ThresholdLevel, on_delete=models.CASCADE, related_name="indicators")
    text = models.CharField(max_length=300)
    disabled_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["level__number", "id"]

    def __str__(self) -> str:
        return self.text


class ContactGroup(BaseModel):
    """One approach to the front door about several children of a family (issue 16 item 7,
    decision 0065): what was said once, by whom and when. Each child has a contact of their
    own (``Contact.group``), decided on its own, so that the census, Annex A and every
    decision stay one row per child; the group only says that they came together."""

    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    contact_date = models.DateField()
    source = models.CharField(max_length=3, choices=ReferralSource.choices)
    reason = models.TextField("reason for contact")

    class Meta:
        ordering = ["-contact_date", "-created_at"]

    def __str__(self) -> str:
        return f"Contact about several children, {self.contact_date.day} {self.contact_date:%B %Y}"


class Contact(BaseModel, Prioritised):
    """An approach to children's social care about a child, and the front door's decision.

    Its priority (RAG) is set when it is recorded and may be changed, with a reason, when it
    is decided. A red contact is decided within the authority's standard in clock hours from
    its receipt (``LocalAuthority.red_contact_decision_hours``), nights and weekends counted;
    other contacts keep the working-day rule (``decision_due_at``).
    """

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="contacts")
    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    # The contact about several children of a family this one is part of, if any.
    group = models.ForeignKey(
        ContactGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts"
    )
    contact_date = models.DateField()
    # The moment it was received; empty for contacts recorded before times were kept, whose
    # clock then starts at the start of ``contact_date`` (never later than the truth).
    received_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=3, choices=ReferralSource.choices)
    reason = models.TextField("reason for contact")
    # The decision, made by a named person.
    level = models.ForeignKey(
        ThresholdLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    indicators = models.ManyToManyField(ThresholdIndicator, blank=True, related_name="+")
    rationale = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=ContactOutcome.choices, blank=True)
    suggested_outcome = models.CharField(max_length=20, choices=ContactOutcome.choices, blank=True)
    manager_reason = models.TextField(
        blank=True, help_text="Why the outcome departs from what the threshold suggests"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-contact_date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision_date__isnull=True)
                | Q(decision_date__gte=models.F("contact_date")),
                name="contact_decided_after_received",
            )
        ]

    @property
    def is_decided(self) -> bool:
        return bool(self.outcome)

    @property
    def received(self) -> datetime:
        """When the contact was received: ``received_at``, or the start of its date."""
        if self.received_at is not None:
            return self.received_at
        return timezone.make_aware(datetime.combine(self.contact_date, time.min))

    def decision_due_at(self, hours: int) -> datetime | None:
        """When a red contact's decision is due: ``hours`` clock hours after its receipt
        (the authority's ``red_contact_decision_hours``). None for other contacts, which keep
        the working-day rule."""
        if self.priority != Priority.RED:
            return None
        return self.received + timedelta(hours=hours)

    @property
    def departs_from_threshold(self) -> bool:
        return bool(
            self.outcome
            and self.suggested_outcome
            and self.outcome != self.suggested_outcome
            and self.outcome != ContactOutcome.PASSED_TO_WORKER
        )


class ReferralDecision(models.TextChoices):
    ASSESSMENT = "assessment", "Assessment"
    STRATEGY_DISCUSSION = "strategy", "Strategy discussion (risk of significant harm)"
    NO_FURTHER_ACTION = "nfa", "No further action"


class Referral(BaseModel):
    """A referral: it opens the child-in-need episode (``case``) on the date it was received."""

    case = models.OneToOneField("casework.Case", on_delete=models.CASCADE, related_name="referral")
    contact = models.OneToOneField(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="referral"
    )
    received_date = models.DateField()
    decision = models.CharField(max_length=20, choices=ReferralDecision.choices)
    decision_date = models.DateField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("reason for decision", blank=True)

    class Meta:
        indexes = [models.Index(fields=["decision_date"], name="referral_decided")]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision_date__gte=models.F("received_date")),
                name="referral_decided_after_received",
            )
        ]
