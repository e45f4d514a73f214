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


class Assessment(BaseModel):
    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(max_length=10, choices=AssessmentKind.choices)
    start_date = models.DateField(help_text="AssessmentActualStartDate")
    child_seen_date = models.DateField(null=True, blank=True)
    child_seen_alone = models.BooleanField(default=False)
    internal_review_date = models.DateField(null=True, blank=True)
    # Completion: the manager's authorisation (AssessmentAuthorisationDate).
    completed_date = models.DateField(
        null=True, blank=True, help_text="AssessmentAuthorisationDate"
    )
    factors = models.JSONField(default=list, blank=True)
    primary_need = models.CharField(max_length=2, choices=PrimaryNeed.choices, blank=True)
    outcome = models.CharField(max_length=20, choices=AssessmentOutcome.choices, blank=True)
    analysis = models.TextField(blank=True)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
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
