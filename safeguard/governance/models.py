"""Improvement plans, their objectives and actions, each action's RAG history, and the risk and
issue register (issue 20 items 1 and 3). Nothing here is about any child."""

from django.conf import settings
from django.db import models

from safeguard.accounts.models import Agency, LocalAuthority
from safeguard.core.models import BaseModel


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "In progress"
    CLOSED = "closed", "Closed"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    DELAYED = "delayed", "Delayed"
    AWAITING_SIGN_OFF = "awaiting_sign_off", "Done, waiting for the plan owner's sign-off"
    DONE = "done", "Done"


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class Plan(BaseModel):
    """An improvement plan of the authority or of one of its agencies. An agency's plan (the
    borough police plan) is incorporated into a partnership plan through ``incorporated_into``,
    and its actions are then monitored in both; plans nest at any depth (a team's plan under
    the police plan under the partnership plan), never in a cycle (decision 0086). ``lead`` is
    the plan's owner: the officer who answers for it and signs off its actions as done."""

    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    owner_body = models.CharField("Owned by", max_length=200)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name="Plan owner",
    )  # fmt: skip
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="Agency (for an agency's own plan)",
    )  # fmt: skip
    start_date = models.DateField("Starts")
    end_date = models.DateField("Ends")
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    incorporated_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="incorporated",
        verbose_name="Incorporated into",
    )  # fmt: skip

    class Meta:
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")), name="plan_dates_in_order"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Objective(BaseModel):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="objectives")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="objective_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Action(BaseModel):
    """One action, owned by a member of staff and their agency. It serves one objective or
    more, of one plan or several (``objectives``)."""

    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="Owner"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name="Owning agency"
    )
    due_date = models.DateField("Due")
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    rag = models.CharField("RAG rating", max_length=10, choices=Rag.choices, default=Rag.GREEN)
    rag_reason = models.TextField("Reason for the rating", blank=True)
    # Performance indicators (``performance.indicators.INDICATORS`` ids) it should move.
    indicators = models.JSONField("Indicators it should move", default=list, blank=True)
    completed_on = models.DateField("Done on", null=True, blank=True)
    # Who asked for the action to be signed off as done: never the one who signs it off.
    done_asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name="Sign-off asked for by",
    )  # fmt: skip
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name="Signed off by",
    )  # fmt: skip
    objectives = models.ManyToManyField(
        Objective, related_name="actions", verbose_name="Objectives served"
    )

    class Meta:
        ordering = ["due_date", "title"]

    def __str__(self) -> str:
        return self.title

    def is_late(self, on) -> bool:
        """Past its due date and not done (waiting for sign-off counts as not yet done)."""
        return self.due_date < on and self.status != ActionStatus.DONE


class ActionRating(models.Model):
    """One RAG rating given to an action, with its reason: the action's RAG history. Written
    once, never changed."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="ratings")
    rating = models.CharField(max_length=10, choices=Rag.choices)
    reason = models.TextField(blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField()

    class Meta:
        ordering = ["-rated_at"]

    def __str__(self) -> str:
        return f"{self.rating} at {self.rated_at:%Y-%m-%d}"


class Evidence(BaseModel):
    """The evidence of an action's progress: a link (a report, minutes, a published page), an
    uploaded file (a report, a spreadsheet, a photograph of a poster), or both. The file lives
    outside the database (``evidence_files``, decision 0086) under a random key; the record
    keeps its key, the name it was uploaded as, its kind (read from its content), size and
    SHA-256. At least one of the link and the file (a check constraint)."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="evidence")
    title = models.CharField(max_length=200)
    url = models.URLField("Link", max_length=500, blank=True)
    file_key = models.CharField(max_length=32, blank=True, editable=False)
    file_name = models.CharField("File", max_length=200, blank=True)
    extension = models.CharField(max_length=10, blank=True, editable=False)
    media_type = models.CharField(max_length=100, blank=True, editable=False)
    size = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(url="") | ~models.Q(file_key=""),
                name="evidence_link_or_file",
            ),
            models.CheckConstraint(
                condition=models.Q(file_key="", size__isnull=True)
                | (~models.Q(file_key="") & models.Q(size__isnull=False)),
                name="evidence_file_has_size",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_file(self) -> bool:
        return bool(self.file_key)

    @property
    def download_name(self) -> str:
        """The uploaded name with the extension of what the content is (made safe again by
        ``core.downloads``). Governance evidence is about no child, so its name may be kept."""
        stem = self.file_name.rsplit(".", 1)[0] if "." in self.file_name else self.file_name
        return f"{stem or 'evidence'}.{self.extension}"


class RiskKind(models.TextChoices):
    RISK = "risk", "Risk"
    ISSUE = "issue", "Issue"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


def risk_band(score: int) -> str:
    """The band of a likelihood × impact score on the usual five-by-five grid."""
    if score >= 15:
        return "Very high"
    if score >= 10:
        return "High"
    if score >= 5:
        return "Medium"
    return "Low"


class Risk(BaseModel):
    """A risk (or an issue: a risk that has happened) to the plans it threatens."""

    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("Risk or issue", max_length=10, choices=RiskKind.choices)
    title = models.CharField(max_length=300)
    likelihood = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="Owner"
    )
    mitigation = models.TextField("What is being done about it")
    review_date = models.DateField("Review by")
    status = models.CharField(max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    plans = models.ManyToManyField(Plan, related_name="risks", verbose_name="Plans it threatens")

    class Meta:
        ordering = ["review_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5
                ),
                name="risk_scores_one_to_five",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> str:
        return risk_band(self.score)

    def review_overdue(self, on) -> bool:
        return self.status == RiskStatus.OPEN and self.review_date < on
