"""Procedures and learning summaries (issue 15 item 6): what the authority publishes to its
staff, to whom, and who has read and understood which version of it."""

from django.conf import settings
from django.db import models

from safeguard.accounts.models import LocalAuthority, Team
from safeguard.accounts.roles import Role
from safeguard.core.models import BaseModel


class Kind(models.TextChoices):
    PROCEDURE = "procedure", "Procedure"
    LEARNING = "learning", "Learning summary"


class Step(models.TextChoices):
    """The steps of the work a procedure may apply to; each step's form links to it."""

    CONTACT_DECISION = "contact_decision", "Contact decision"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    SECTION_47 = "section_47", "Section 47 enquiry"
    INITIAL_CONFERENCE = "initial_conference", "Initial child protection conference"
    REVIEW_CONFERENCE = "review_conference", "Review child protection conference"
    CORE_GROUP = "core_group", "Core group"
    VISIT = "visit", "Visit"
    ASSESSMENT = "assessment", "Assessment"
    CLOSURE = "closure", "Case closure"


# The roles a procedure may be published to: the authority's social care staff.
AUDIENCE_ROLES = [
    Role.SOCIAL_WORKER,
    Role.TEAM_MANAGER,
    Role.SERVICE_MANAGER,
    Role.PERFORMANCE_ANALYST,
    Role.CONFERENCE_CHAIR,
]


class Procedure(BaseModel):
    """One procedure or learning summary, at its current ``edition``. Publishing a new
    version raises ``edition`` (the old text stays in the change history), and everyone in the
    audience is asked to acknowledge it again. ``version`` is the row's concurrency counter."""

    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PROCEDURE)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Plain text; a blank line starts a new paragraph")
    step = models.CharField(max_length=30, choices=Step.choices, blank=True)
    edition = models.PositiveIntegerField(default=1)
    change_summary = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField()
    # The audience: staff with one of these roles (all social care roles if empty) and, if
    # any teams are named, in one of them.
    roles = models.JSONField(default=list, blank=True)
    teams = models.ManyToManyField(Team, related_name="+", blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["authority", "step"], name="procedure_step")]

    def __str__(self) -> str:
        return f"{self.title} (version {self.edition})"


class Acknowledgement(BaseModel):
    """A member of staff has read and understood one version (``edition``) of a procedure."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    edition = models.PositiveIntegerField()
    acknowledged_at = models.DateTimeField()

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "user", "edition"], name="acknowledgement_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.procedure_id} v{self.edition}"
