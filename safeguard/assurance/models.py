"""Case-file audits (issue 15 item 4): a manager audits a sampled child's case under the
headings of the authority's audit tool, each graded on Ofsted's four-point scale with
evidence; a second manager moderates the completed audit (docs/decisions/0032)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguard.core.models import BaseModel


class Grade(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement to be good"
    INADEQUATE = "inadequate", "Inadequate"


class Heading(models.TextChoices):
    """The headings of the case-file audit tool (domain.md §5)."""

    PROFILE = "profile", "Case profile"
    HISTORY = "history", "History, chronology and genogram"
    THRESHOLD = "threshold", "Early help and threshold decisions"
    ASSESSMENT = "assessment", "Assessment"
    PLANNING = "planning", "Planning"
    PROCESS = "process", "CP/CIN process compliance"
    VISITS = "visits", "Visits"
    VOICE = "voice", "Voice and lived experience of the child"
    MULTI_AGENCY = "multi_agency", "Multi-agency working"
    OVERSIGHT = "oversight", "Management oversight and supervision"
    RECORDING = "recording", "Recording quality"
    IMPACT = "impact", "Impact and outcomes"


class Stratum(models.TextChoices):
    RANDOM = "", "At random"
    TEAM = "team", "By team"
    WORKER = "worker", "By worker"
    STAGE = "stage", "By stage of the case"


class ProgrammeLine(BaseModel):
    """One line of the authority's audit programme: a manager audits so many case files each
    month (from each team, worker or stage when stratified), from one month to another or
    until the line is ended. A service manager sets it; each month's draw is a
    ``ProgrammeRun`` (decision 0062)."""

    authority = models.ForeignKey("accounts.LocalAuthority", on_delete=models.PROTECT)
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cases_per_month = models.PositiveSmallIntegerField("case files a month")
    stratum = models.CharField(max_length=10, choices=Stratum.choices, blank=True)
    # The first days of the first and last months the line draws for.
    first_month = models.DateField()
    last_month = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["first_month", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_month__isnull=True) | Q(last_month__gte=models.F("first_month")),
                name="programme_line_months_in_order",
            ),
            models.CheckConstraint(
                condition=Q(cases_per_month__gte=1), name="programme_line_at_least_one_case"
            ),
        ]

    def draws_in(self, month) -> bool:
        return self.first_month <= month and (self.last_month is None or month <= self.last_month)


class ProgrammeRun(BaseModel):
    """A programme line's draw for one month, with the seed it was drawn with: at most one a
    month, so that drawing the month again changes nothing."""

    line = models.ForeignKey(ProgrammeLine, on_delete=models.PROTECT, related_name="runs")
    month = models.DateField()
    seed = models.IntegerField()

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["line", "month"], name="programme_run_once_a_month")
        ]


class Audit(BaseModel):
    class Status(models.TextChoices):
        STARTED = "started", "To audit"
        COMPLETED = "completed", "Completed"
        MODERATED = "moderated", "Moderated"

    case = models.ForeignKey("casework.Case", on_delete=models.PROTECT, related_name="+")
    authority = models.ForeignKey("accounts.LocalAuthority", on_delete=models.PROTECT)
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The team holding the case when it was sampled: the results are counted by it.
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sample_seed = models.IntegerField(help_text="The seed the sample was drawn with")
    # The audit programme's draw that gave it, if any (decision 0062).
    programme_run = models.ForeignKey(
        ProgrammeRun, on_delete=models.PROTECT, null=True, blank=True, related_name="audits"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.STARTED)
    overall_grade = models.CharField(max_length=20, choices=Grade.choices, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    moderated_grade = models.CharField(max_length=20, choices=Grade.choices, blank=True)
    moderation_note = models.TextField(blank=True)
    # The worker holding the case when it was sampled: they see the findings and respond.
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    practitioner_response = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(moderator__isnull=True) | ~Q(moderator=models.F("auditor")),
                name="audit_not_moderated_by_auditor",
            ),
        ]

    @property
    def final_grade(self) -> str:
        return self.moderated_grade or self.overall_grade


class Finding(BaseModel):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings")
    heading = models.CharField(max_length=20, choices=Heading.choices)
    grade = models.CharField(max_length=20, choices=Grade.choices)
    evidence = models.TextField()

    class Meta:
        ordering = ["heading"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "heading"], name="finding_one_per_heading")
        ]


class AuditAction(BaseModel):
    """An action an audit sets on the child's case file: what, who owns it, by when; tracked
    until its owner (or a manager) records it done."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_date"]


class Inspection(BaseModel):
    """An inspection of the authority's case files (issue 15 item 5, decision 0042): the named
    inspectors read, read-only, the case files of its sample, from its first day to its last."""

    authority = models.ForeignKey("accounts.LocalAuthority", on_delete=models.PROTECT)
    name = models.CharField(max_length=200)
    start_date = models.DateField()
    end_date = models.DateField()
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="inspections")

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="inspection_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_running_on(self, day) -> bool:
        return self.start_date <= day <= self.end_date


class InspectedCase(BaseModel):
    """One case file of an inspection's sample: chosen in advance (named, or by the inspectors'
    criteria) or drawn at random from a seed, kept with it so the draw can be repeated."""

    class How(models.TextChoices):
        CHOSEN = "chosen", "Chosen in advance"
        RANDOM = "random", "Drawn at random"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="sample")
    case = models.ForeignKey("casework.Case", on_delete=models.PROTECT, related_name="+")
    how = models.CharField(max_length=10, choices=How.choices)
    seed = models.IntegerField(null=True, blank=True, help_text="The seed of a random draw")

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "case"], name="inspected_case_once")
        ]


class DipSample(BaseModel):
    """A dip sample of the front door's decisions (decision 0063): ``size`` contacts of each
    kind (no further action; a departure from the threshold) decided from ``first_day`` to
    ``last_day``, drawn at random from ``seed`` by a service manager."""

    authority = models.ForeignKey("accounts.LocalAuthority", on_delete=models.PROTECT)
    first_day = models.DateField()
    last_day = models.DateField()
    size = models.PositiveSmallIntegerField("how many of each kind")
    seed = models.IntegerField(help_text="The seed the sample was drawn with")
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField()

    class Meta:
        ordering = ["-drawn_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")),
                name="dip_sample_days_in_order",
            ),
            models.CheckConstraint(condition=Q(size__gte=1), name="dip_sample_at_least_one"),
        ]


class DipItem(BaseModel):
    """One front-door decision drawn into a dip sample, why it could be drawn, and a
    manager's check of it: agreeing or not with the decision (a note when not). Nobody checks
    a decision they made or authorised."""

    class Why(models.TextChoices):
        NO_FURTHER_ACTION = "nfa", "No further action"
        DEPARTURE = "departure", "Threshold departure"

    sample = models.ForeignKey(DipSample, on_delete=models.CASCADE, related_name="items")
    contact = models.ForeignKey("referrals.Contact", on_delete=models.PROTECT, related_name="+")
    why = models.CharField("why eligible", max_length=10, choices=Why.choices)
    agrees = models.BooleanField(null=True, blank=True)
    note = models.TextField(blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["why", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "contact"], name="dip_item_once"),
            models.CheckConstraint(
                condition=Q(agrees__isnull=True)
                | Q(checked_by__isnull=False, checked_at__isnull=False),
                name="dip_item_checked_by_someone",
            ),
            models.CheckConstraint(
                condition=~Q(agrees=False) | ~Q(note=""), name="dip_item_disagreement_noted"
            ),
        ]

    @property
    def is_checked(self) -> bool:
        return self.agrees is not None
