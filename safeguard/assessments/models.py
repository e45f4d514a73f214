"""Assessments of a child's needs: the single (child and family) assessment of Working
Together 2013 on, or the initial then core assessment of the 2006 and 2010 editions."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguard.casework.codes import PrimaryNeed
from safeguard.core.models import BaseModel


class AssessmentKind(models.TextChoices):
    SINGLE = "single", "Child and family assessment"
    INITIAL = "initial", "Initial assessment"
    CORE = "core", "Core assessment"


class AssessmentOutcome(models.TextChoices):
    NO_FURTHER_ACTION = "nfa", "No further action"
    EARLY_HELP = "early_help", "Early help"
    CIN_PLAN = "cin_plan", "Child in need plan"
    STRATEGY_DISCUSSION = "strategy", "Strategy discussion"
    CORE_ASSESSMENT = "core", "Core assessment (2006 and 2010 rule sets)"


class AssessmentStage(models.TextChoices):
    """Where the worker's part stands. An authorised assessment is told by its completion
    date (``Assessment.is_complete``), which the census import also sets."""

    WRITING = "writing", "Being written"
    SUBMITTED = "submitted", "Submitted for authorisation"
    RETURNED = "returned", "Returned to the worker"


# The worker's written sections, in the order of the Assessment Framework (the child's
# developmental needs, parenting capacity, family and environmental factors), then the
# history, the child's own words, the analysis and the recommendation. Each is required to
# submit (``services.assessment_submit``).
WRITTEN_SECTIONS = (
    "developmental_needs",
    "parenting_capacity",
    "family_environment",
    "history",
    "wishes_and_feelings",
    "analysis",
    "recommendation",
)


class Assessment(BaseModel):
    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField("kind of assessment", max_length=10, choices=AssessmentKind.choices)
    start_date = models.DateField("date started", help_text="AssessmentActualStartDate")
    child_seen_date = models.DateField("date the child was seen", null=True, blank=True)
    child_seen_alone = models.BooleanField("the child was seen alone", default=False)
    internal_review_date = models.DateField(null=True, blank=True)
    # Completion: the manager's authorisation (AssessmentAuthorisationDate).
    completed_date = models.DateField(
        "date authorised", null=True, blank=True, help_text="AssessmentAuthorisationDate"
    )
    # The worker's assessment, written over several sittings and then submitted.
    developmental_needs = models.TextField("the child's developmental needs", blank=True)
    parenting_capacity = models.TextField("parenting capacity", blank=True)
    family_environment = models.TextField("family and environmental factors", blank=True)
    history = models.TextField("history", blank=True)
    wishes_and_feelings = models.TextField(
        "the child's wishes and feelings, in their own words", blank=True
    )
    analysis = models.TextField("analysis", blank=True)
    recommendation = models.TextField("recommendation", blank=True)
    factors = models.JSONField("factors identified", default=list, blank=True)
    primary_need = models.CharField(
        "primary need", max_length=2, choices=PrimaryNeed.choices, blank=True
    )
    outcome = models.CharField(
        "recommended outcome", max_length=20, choices=AssessmentOutcome.choices, blank=True
    )
    stage = models.CharField(
        "stage", max_length=10, choices=AssessmentStage.choices, default=AssessmentStage.WRITING
    )
    submitted_at = models.DateTimeField("submitted", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="submitted by",
    )
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="authorised by",
    )

    class Meta:
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["completed_date"], name="assessment_completed")]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_date__isnull=True)
                | Q(completed_date__gte=models.F("start_date")),
                name="assessment_completed_after_start",
            )
        ]

    @property
    def is_complete(self) -> bool:
        return self.completed_date is not None

    @property
    def is_submitted(self) -> bool:
        return not self.is_complete and self.stage == AssessmentStage.SUBMITTED

    @property
    def is_editable(self) -> bool:
        """The worker may still write: not submitted, not authorised."""
        return not self.is_complete and self.stage != AssessmentStage.SUBMITTED

    @property
    def status_label(self) -> str:
        return "Authorised" if self.is_complete else AssessmentStage(self.stage).label

    @property
    def factor_labels(self) -> list[str]:
        """The factors in words (the census code list's own labels), never bare codes."""
        from safeguard.assessments.codes import factor_label

        return [factor_label(code) for code in self.factors or ()]


class AuthorisationDecision(models.TextChoices):
    AGREE = "agree", "Agree and authorise"
    RETURN = "return", "Return to the worker"


class AssessmentAuthorisation(BaseModel):
    """A manager's decision on a submitted assessment: the countersignature (agree, which
    completes the assessment on ``decided_on``) or a return to the worker with reasons. Each
    decision is its own record, so the returns and the final agreement are all kept."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="authorisations"
    )
    decision = models.CharField("decision", max_length=10, choices=AuthorisationDecision.choices)
    decided_on = models.DateField("date of the decision")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="manager",
    )
    comments = models.TextField("manager's comments", blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = "manager's decision on an assessment"

    @property
    def is_agreement(self) -> bool:
        return self.decision == AuthorisationDecision.AGREE
