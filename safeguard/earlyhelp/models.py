"""Early help: support for a child and family below the threshold for children's social care,
given with the family's consent. A child comes here when the front door diverts a contact
(outcome "early help") or when a case steps down.

An early help assessment (EHA, formerly the CAF) records what Ofsted's Annex A list 2 asks
for (start date, completion date, the organisation completing it) and who leads the work.
A team around the family (TAF) is the multi-agency group that then supports the family under
a lead professional, reviewed every few weeks until it ends.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguard.core.models import BaseModel, DatedSpan
from safeguard.earlyhelp.codes import AssessmentOutcome, HandoverDirection, TAFEndReason

# The common assessment framework's domains and their elements (CAF, as published in 2006):
# what each domain's strengths and needs are written about.
CAF_DOMAINS = (
    (
        "child_development",
        "The child's development",
        "Health; emotional and social development; behavioural development; identity and "
        "self-esteem; family and social relationships; self-care skills and independence; "
        "learning (understanding, reasoning, progress and achievement, aspirations)",
    ),
    (
        "parents_carers",
        "Parents and carers",
        "Basic care; ensuring safety and protection; emotional warmth and stability; "
        "guidance, boundaries and stimulation",
    ),
    (
        "family_environment",
        "Family and environment",
        "Family history, functioning and well-being; wider family; housing, employment and "
        "financial considerations; social and community elements and resources, including "
        "education",
    ),
)


class LeadProfessional(models.Model):
    """Who leads the early help work: a name, agency and role as written at the time, and the
    Safeguard user when the lead professional has an account."""

    lead_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="lead professional (user)",
    )
    lead_name = models.CharField("lead professional", max_length=200)
    lead_agency = models.CharField("lead professional's agency", max_length=200)
    lead_role = models.CharField("lead professional's role", max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def lead_professional(self) -> str:
        parts = [self.lead_name, self.lead_role, self.lead_agency]
        return ", ".join(p for p in parts if p)


class EarlyHelpAssessment(BaseModel, LeadProfessional):
    """An early help assessment of a child (Annex A list 2)."""

    child = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="early_help_assessments"
    )
    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(help_text="Annex A list 2: assessment start date")
    completed_date = models.DateField(
        null=True, blank=True, help_text="Annex A list 2: assessment completion date"
    )
    organisation = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Annex A list 2: organisation completing the assessment",
    )
    organisation_other = models.CharField(
        "other organisation",
        max_length=200,
        blank=True,
        help_text="The organisation completing the assessment, when it is not a listed agency",
    )
    consent_given = models.BooleanField("consent given", default=False)
    consent_date = models.DateField(null=True, blank=True)
    consent_by = models.CharField("consent given by", max_length=200, blank=True)
    consent_not_sought_reason = models.TextField("why consent was not sought", blank=True)
    needs = models.TextField("summary of needs", blank=True)
    # The common assessment framework's three domains, each with its strengths and needs.
    child_development_strengths = models.TextField("the child's development: strengths", blank=True)
    child_development_needs = models.TextField("the child's development: needs", blank=True)
    parents_carers_strengths = models.TextField("parents and carers: strengths", blank=True)
    parents_carers_needs = models.TextField("parents and carers: needs", blank=True)
    family_environment_strengths = models.TextField("family and environment: strengths", blank=True)
    family_environment_needs = models.TextField("family and environment: needs", blank=True)
    # The needs identified, as codes of the directory's list (directory.codes.Need): what
    # suggestions of services are matched against.
    identified_needs = models.JSONField("needs identified", default=list, blank=True)
    outcome = models.CharField(max_length=20, choices=AssessmentOutcome.choices, blank=True)
    contact = models.OneToOneField(
        "referrals.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="early_help_assessment",
        help_text="The contact the front door diverted to early help",
    )
    stepped_down_from = models.ForeignKey(
        "casework.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="early_help_assessments",
        help_text="The children's social care case this stepped down from",
    )

    class Meta:
        ordering = ["-start_date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_date__isnull=True)
                | Q(completed_date__gte=models.F("start_date")),
                name="eha_completed_after_start",
            ),
            models.CheckConstraint(
                condition=(Q(completed_date__isnull=True) & Q(outcome=""))
                | (Q(completed_date__isnull=False) & ~Q(outcome="")),
                name="eha_completion_and_outcome_together",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(organisation_other=""),
                name="eha_organisation_named",
            ),
            models.CheckConstraint(
                condition=Q(consent_given=False) | Q(consent_date__isnull=False),
                name="eha_consent_dated",
            ),
            models.CheckConstraint(
                condition=Q(consent_given=True) | ~Q(consent_not_sought_reason=""),
                name="eha_consent_or_reason",
            ),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(completed_date__isnull=True),
                name="eha_one_open_per_child",
            ),
        ]

    def __str__(self) -> str:
        return f"Early help assessment started {self.start_date:%d %b %Y}"

    @property
    def is_complete(self) -> bool:
        return self.completed_date is not None

    @property
    def organisation_name(self) -> str:
        """Annex A's "organisation completing assessment"."""
        return self.organisation.name if self.organisation_id else self.organisation_other

    def domains(self) -> list[dict]:
        """The three CAF domains with their elements, strengths and needs, for the page."""
        return [
            {
                "key": key,
                "label": label,
                "elements": elements,
                "strengths": getattr(self, f"{key}_strengths"),
                "needs": getattr(self, f"{key}_needs"),
            }
            for key, label, elements in CAF_DOMAINS
        ]


class TeamAroundFamily(BaseModel, LeadProfessional, DatedSpan):
    """A team around the family: agencies supporting the family together under a lead
    professional, from its first meeting to its end."""

    child = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="teams_around_family"
    )
    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    assessment = models.ForeignKey(
        EarlyHelpAssessment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="teams_around_family",
    )
    stepped_down_from = models.ForeignKey(
        "casework.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="teams_around_family",
        help_text="The children's social care case this stepped down from",
    )
    end_reason = models.CharField(max_length=20, choices=TAFEndReason.choices, blank=True)
    end_notes = models.TextField("about the ending", blank=True)
    plan = models.TextField("the family's plan", blank=True)
    # Who is in the team: [{"agency": ..., "name": ..., "role": ...}], the lead included.
    members = models.JSONField(default=list, blank=True)

    class Meta(DatedSpan.Meta):
        ordering = ["-start_date", "-created_at"]
        verbose_name = "team around the family"
        verbose_name_plural = "teams around the family"
        constraints = [
            *DatedSpan.Meta.constraints,
            models.CheckConstraint(
                condition=(Q(end_date__isnull=True) & Q(end_reason=""))
                | (Q(end_date__isnull=False) & ~Q(end_reason="")),
                name="taf_end_date_and_reason_together",
            ),
            models.UniqueConstraint(
                fields=["child"], condition=Q(end_date__isnull=True), name="taf_one_open_per_child"
            ),
        ]

    def __str__(self) -> str:
        return f"Team around the family from {self.start_date:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None

    @property
    def last_review_date(self) -> date | None:
        if "reviewed_last" in self.__dict__:  # read with the team (selectors.with_last_review)
            return self.reviewed_last
        # Read through .all() so that a page that prefetched the reviews asks no more.
        dates = [r.review_date for r in self.reviews.all()]
        return max(dates) if dates else None

    @property
    def review_weeks(self) -> int:
        """The authority's weeks between reviews (``LocalAuthority.taf_review_weeks``)."""
        if "authority_review_weeks" in self.__dict__:  # read with the team (with_last_review)
            return self.authority_review_weeks
        return self.authority.taf_review_weeks

    @property
    def next_review_due(self) -> date | None:
        """The authority's review interval after the last review (or the start); None once it
        has ended."""
        if not self.is_open:
            return None
        return (self.last_review_date or self.start_date) + timedelta(weeks=self.review_weeks)


class TAFReview(BaseModel):
    """A review meeting of the team around the family."""

    taf = models.ForeignKey(TeamAroundFamily, on_delete=models.CASCADE, related_name="reviews")
    review_date = models.DateField()
    progress = models.TextField("progress and outcome")

    class Meta:
        ordering = ["review_date", "created_at"]
        verbose_name = "TAF review"

    def __str__(self) -> str:
        return f"TAF review {self.review_date:%d %b %Y}"


class Handover(BaseModel):
    """What one side hands the other when a child steps up from early help to the front door,
    or down from children's social care to early help, and the receiving side's
    acknowledgement (decision 0081).

    A step-up hands over the early help assessment and the team around the family's plan;
    the front door links it to the contact it decides. A step-down hands over the case's
    latest assessment of risk and plan, to the early help lead.
    """

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="handovers")
    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    direction = models.CharField(max_length=10, choices=HandoverDirection.choices)
    handover_date = models.DateField()
    from_side = models.CharField("from", max_length=300)
    to_side = models.CharField("to", max_length=300)
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="to (user)",
    )
    handed_over = models.TextField("what was handed over")
    assessment = models.ForeignKey(
        EarlyHelpAssessment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handovers",
    )
    taf = models.ForeignKey(
        TeamAroundFamily,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handovers",
        verbose_name="team around the family",
    )
    case = models.ForeignKey(
        "casework.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="early_help_handovers",
    )
    contact = models.ForeignKey(
        "referrals.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="early_help_handovers",
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-handover_date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True, acknowledged_by__isnull=True)
                | Q(acknowledged_at__isnull=False, acknowledged_by__isnull=False),
                name="handover_acknowledged_by_and_at",
            ),
            models.CheckConstraint(
                condition=~Q(direction="step_down") | Q(case__isnull=False),
                name="handover_step_down_from_a_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} handover of {self.handover_date:%d %b %Y}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None
