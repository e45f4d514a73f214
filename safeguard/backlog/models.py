"""Backlog review exercises (issue 14 item 6, decision 0045): a manager opens an exercise over
a frozen list of cases chosen by filters, reviewers are assigned cases, and for each case a
reviewer records a risk rating and one or more outcomes, each of which makes the step or task
it names on the child's file."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguard.core.models import BaseModel


class Risk(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class OutcomeKind(models.TextChoices):
    """What a review decides, in the order the summary counts them."""

    CLOSE = "close", "Close the case"
    NO_FURTHER_ACTION = "nfa", "No further action"
    HOME_VISIT = "home_visit", "Home visit"
    STRATEGY = "strategy", "Strategy discussion"
    CONFERENCE = "conference", "Request an initial child protection conference"
    POLICE = "police", "Refer to the police"
    ALLOCATE = "allocate", "Allocate"


class Exercise(BaseModel):
    """A backlog review exercise: the cases it covers are frozen when it is opened
    (``ExerciseCase`` rows); the filters that chose them are kept to say how."""

    authority = models.ForeignKey("accounts.LocalAuthority", on_delete=models.PROTECT)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField()
    # {"unallocated": bool, "overdue": bool, "unseen_days": int | None,
    #  "priorities": [str], "team": int | None, "team_name": str}
    filters = models.JSONField(default=dict)
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")

    class Meta:
        ordering = ["-opened_on", "-created_at"]

    def __str__(self) -> str:
        return f"Backlog review opened {self.opened_on:%d %B %Y}"


class ExerciseCase(BaseModel):
    """One case of an exercise, its reviewer and, once reviewed, the risk rating and the
    reviewer's reasons. The outcomes are ``Outcome`` rows."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="cases")
    case = models.ForeignKey("casework.Case", on_delete=models.PROTECT, related_name="+")
    # The order the cases were chosen in (priority, then longest waiting): assignment and the
    # lists follow it.
    position = models.PositiveIntegerField()
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    risk = models.CharField(max_length=6, choices=Risk.choices, blank=True)
    rationale = models.TextField(blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["exercise", "position"]
        constraints = [
            models.UniqueConstraint(fields=["exercise", "case"], name="exercise_case_once"),
            models.CheckConstraint(
                condition=(Q(reviewed_on__isnull=True) & Q(risk=""))
                | (Q(reviewed_on__isnull=False) & ~Q(risk="")),
                name="exercise_case_reviewed_with_risk",
            ),
        ]

    @property
    def reviewed(self) -> bool:
        return self.reviewed_on is not None


class Outcome(BaseModel):
    """One outcome of a review and the record it made on the child's file (``record_type``,
    ``record_id``: a case note, an allocation or the closed case); a task (home visit,
    strategy discussion, conference request) has its owner and due date."""

    exercise_case = models.ForeignKey(
        ExerciseCase, on_delete=models.CASCADE, related_name="outcomes"
    )
    kind = models.CharField(max_length=12, choices=OutcomeKind.choices)
    record_type = models.CharField(max_length=100)
    record_id = models.CharField(max_length=64)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["exercise_case", "kind"], name="outcome_once_per_review"
            )
        ]
