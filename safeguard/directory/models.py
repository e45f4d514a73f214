"""The directory of local services (issue 19): what each service offers, who is eligible,
how to refer, how long the wait is, how to reach it and when it was last checked; the staff
appointed to keep it; and referrals of a child to a service, followed from sent to outcome.

Eligibility is data matched against the child (age, postcode district, the threshold level
of the authority's continuum of need, recorded needs), so that a suggestion can say why it
matched. Levels are stored by number, which stays the same when a level's words are
versioned (decision 0074).
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguard.core.models import BaseModel
from safeguard.core.workdays import add_months
from safeguard.directory.codes import ReferralOutcome, ReferralStatus, ServiceKind

# An entry not checked for this long has lapsed: it is shown as out of date and never
# suggested, until an editor checks it again.
CHECK_MONTHS = 12


class ServiceQuerySet(models.QuerySet):
    def current(self, on: date):
        """The entries that may be suggested on ``on``: not ended, checked within
        ``CHECK_MONTHS``."""
        return self.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=on),
            last_checked__gt=add_months(on, -CHECK_MONTHS),
        )


class Service(BaseModel):
    """One entry in the authority's directory of services."""

    objects = ServiceQuerySet.as_manager()

    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200)
    organisation = models.CharField("provided by", max_length=200)
    kind = models.CharField(max_length=30, choices=ServiceKind.choices)
    description = models.TextField("what it offers")
    # Eligibility. No bound is "any age"; an empty list of districts is the whole authority;
    # an empty list of levels or needs is "any".
    min_age = models.PositiveSmallIntegerField("youngest age (years)", null=True, blank=True)
    max_age = models.PositiveSmallIntegerField("oldest age (years)", null=True, blank=True)
    areas = models.JSONField("postcode districts", default=list, blank=True)
    levels = models.JSONField("threshold levels", default=list, blank=True)
    needs = models.JSONField("needs it meets", default=list, blank=True)
    eligibility_notes = models.TextField("other eligibility", blank=True)
    # Referring
    how_to_refer = models.TextField("how to refer")
    referral_email = models.EmailField(blank=True)
    accepting_referrals = models.BooleanField(default=True)
    waiting_weeks = models.PositiveSmallIntegerField("usual wait (weeks)", null=True, blank=True)
    capacity_notes = models.CharField("capacity", max_length=300, blank=True)
    # Contact
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    # Currency
    last_checked = models.DateField("last checked")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The day the service stopped (it stays in the directory's history, never suggested).
    ended_on = models.DateField(null=True, blank=True)
    ended_reason = models.CharField("why it ended", max_length=300, blank=True)
    # The service's id in Open Referral UK files (decision 0079): kept apart from the primary
    # key, so that an entry imported from another authority's directory keeps its id there.
    oruk_id = models.UUIDField("Open Referral UK id", default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "name", "organisation"], name="directory_service_unique_name"
            ),
            models.UniqueConstraint(
                fields=["authority", "oruk_id"], name="directory_service_unique_oruk_id"
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=models.F("max_age")),
                name="directory_service_ages_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_current(self, on: date) -> bool:
        """The one rule of ``ServiceQuerySet.current`` for one entry."""
        ended = self.ended_on is not None and self.ended_on <= on
        return not ended and self.last_checked > add_months(on, -CHECK_MONTHS)


class DirectoryEditor(models.Model):
    """A member of staff appointed to keep the authority's directory (from any agency: the
    family information service, an early help coordinator), by someone who may appoint."""

    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    appointed_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "user"],
                condition=Q(ended_on__isnull=True),
                name="directory_one_current_appointment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} (directory editor)"


class ServiceReferral(BaseModel):
    """A child referred to a service: sent, then accepted or declined (with the reason), started,
    ended with an outcome; or withdrawn by the sender before it starts."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    child = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="service_referrals"
    )
    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    # Where it was made from: the child's case, or none (a partner leading early help).
    case = models.ForeignKey(
        "casework.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_referrals",
    )
    reason = models.TextField("reason for referral")
    consent = models.BooleanField("family consented", default=False)
    no_consent_reason = models.TextField("why consent was not sought", blank=True)
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    sent_on = models.DateField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField("accepted or declined on", null=True, blank=True)
    declined_reason = models.TextField(blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=ReferralOutcome.choices, blank=True)
    outcome_notes = models.TextField("about the outcome", blank=True)
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-sent_on"]
        indexes = [models.Index(fields=["service", "sent_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("sent_on")),
                name="directory_referral_decided_after_sent",
            ),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True) | Q(started_on__gte=models.F("sent_on")),
                name="directory_referral_started_after_sent",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | (Q(started_on__isnull=False) & Q(ended_on__gte=models.F("started_on"))),
                name="directory_referral_ended_after_started",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} ({self.get_status_display()})"

    @property
    def waiting_days(self) -> int | None:
        """Calendar days from sent to started (the wait the family had)."""
        if self.started_on is None:
            return None
        return (self.started_on - self.sent_on).days
