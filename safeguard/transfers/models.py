"""A transfer of a case from its team to another (issue 14 item 5, decision 0046): the
handover the sending worker or manager writes, and the receiving manager's acceptance or
return. Until it is accepted the case stays with the sending team (``casework.Case.team``);
a case has at most one transfer waiting."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safeguard.core.models import BaseModel
from safeguard.core.workdays import working_days_between


class TransferStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the receiving manager"
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned"


class Transfer(BaseModel):
    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="transfers")
    from_team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="+", verbose_name="sending team"
    )
    to_team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="+", verbose_name="receiving team"
    )
    requested_on = models.DateField()
    # The handover.
    summary = models.TextField("summary of the case")
    risks = models.TextField("the risks")
    outstanding_work = models.TextField("outstanding work")
    next_due = models.TextField("next due dates", blank=True)
    # The receiving manager's decision.
    status = models.CharField(
        max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    return_reason = models.TextField("reason for returning it", blank=True)
    allocated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-requested_on", "-created_at"]
        verbose_name = "transfer between teams"
        verbose_name_plural = "transfers between teams"
        indexes = [
            models.Index(fields=["to_team", "status"], name="transfer_to_team"),
            models.Index(fields=["from_team", "status"], name="transfer_from_team"),
        ]
        constraints = [
            # Never in two places: at most one transfer of a case waits at a time.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="pending"),
                name="transfer_one_pending_per_case",
            ),
            models.CheckConstraint(
                condition=~Q(from_team=models.F("to_team")), name="transfer_between_two_teams"
            ),
            models.CheckConstraint(
                condition=(Q(status="pending") & Q(decided_on__isnull=True))
                | (~Q(status="pending") & Q(decided_on__isnull=False)),
                name="transfer_decided_has_a_date",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("requested_on")),
                name="transfer_decided_after_request",
            ),
        ]

    def __str__(self) -> str:
        return f"Transfer requested {self.requested_on:%d %b %Y}"

    @property
    def is_pending(self) -> bool:
        return self.status == TransferStatus.PENDING

    @property
    def working_days(self) -> int:
        """The transfer time in working days: from the request to the decision, or to today
        while it waits."""
        end = self.decided_on or timezone.localdate()
        return working_days_between(self.requested_on, end)
