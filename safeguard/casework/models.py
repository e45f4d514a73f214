"""The child-in-need episode (a "case") and what happens on it: allocation, visits, case
notes, child in need plans, management decisions and the chronology.

Field names follow the CIN census items they feed (domain.md §4), so that returns read them
without translation.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguard.casework.codes import (
    PRIORITY_RANK,
    ClosureReason,
    LegalStatus,
    PrimaryNeed,
    Priority,
    ReferralSource,
    VisitKind,
)
from safeguard.core.models import BaseModel, DatedSpan, Span


class Prioritised(models.Model):
    """A record that carries a priority (RAG) with the reason and who set it, and when: a
    contact (``referrals.Contact``) and a case. Empty is "not rated" (records made before
    priorities). The priority changes only through a service, with its change event."""

    priority = models.CharField(max_length=5, choices=Priority.choices, blank=True)
    priority_reason = models.TextField("reason for the priority", blank=True)
    priority_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    priority_set_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def priority_rank(self) -> int:
        """Where the record comes in a queue: red first, "not rated" just before green."""
        return PRIORITY_RANK[self.priority]

    @property
    def priority_label(self) -> str:
        return Priority(self.priority).label if self.priority else "Not rated"


def priority_rank_expression(field: str = "priority"):
    """The SQL of ``Prioritised.priority_rank``, to order a queryset by priority."""
    return models.Case(
        *(
            models.When(**{field: value}, then=models.Value(rank))
            for value, rank in PRIORITY_RANK.items()
        ),
        default=models.Value(len(PRIORITY_RANK)),
        output_field=models.IntegerField(),
    )


class Case(BaseModel, Span, Prioritised):
    """A child-in-need episode: from the referral that opens it to its closure."""

    span_start = "referral_date"
    span_end = "closure_date"

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="cases"
    )
    referral_date = models.DateField(help_text="CINreferralDate")
    referral_source = models.CharField(max_length=3, choices=ReferralSource.choices)
    referral_nfa = models.BooleanField(
        "referral: no further action", default=False, help_text="ReferralNFA"
    )
    primary_need = models.CharField(max_length=2, choices=PrimaryNeed.choices, blank=True)
    closure_date = models.DateField(null=True, blank=True, help_text="CINclosureDate")
    closure_reason = models.CharField(max_length=3, choices=ClosureReason.choices, blank=True)
    # The team answerable for the case (issue 14): set at opening (the team of whoever opened
    # it) and by each allocation, so that a case nobody holds waits in its team's unallocated
    # queue. Empty only where no team could be found (a case opened by someone in no team).
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="responsible team",
    )

    class Meta:
        ordering = ["-referral_date"]
        indexes = [
            models.Index(fields=["authority", "closure_date"], name="case_open"),
            # The unallocated cases counted by team (every manager's home page) and listed:
            # read from the index alone, without a visit to each case (docs/performance.md).
            models.Index(
                fields=["authority", "team", "referral_nfa", "closure_date", "referral_date", "id"],
                name="case_open_by_team",
            ),
            # Indicators and the demand page select referrals by date (docs/performance.md).
            models.Index(fields=["referral_date"], name="case_referral_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closure_date__isnull=True)
                | Q(closure_date__gte=models.F("referral_date")),
                name="case_closed_after_referral",
            ),
            models.CheckConstraint(
                condition=(Q(closure_date__isnull=True) & Q(closure_reason=""))
                | (Q(closure_date__isnull=False) & ~Q(closure_reason="")),
                name="case_closure_date_and_reason_together",
            ),
        ]

    def __str__(self) -> str:
        return f"Case referred {self.referral_date:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.closure_date is None


class Allocation(BaseModel, DatedSpan):
    """A case held by a worker (and team) from one date to another."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="allocations")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocations"
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    # Why this worker: every allocation and reallocation made on a page gives one (issue 14).
    # Empty only on allocations recorded before reasons were asked for.
    reason = models.TextField("reason for the allocation", blank=True)

    class Meta(DatedSpan.Meta):
        ordering = ["-start_date"]
        constraints = [
            *DatedSpan.Meta.constraints,
            models.UniqueConstraint(
                fields=["case"], condition=Q(end_date__isnull=True), name="allocation_one_open"
            ),
        ]
        indexes = [
            # Allocations open on a day (unallocated cases on the home page and the due
            # lists), and a worker's open allocations (docs/performance.md, issue 13 item 5).
            # With the case: the cases held on a day are read from the index alone.
            models.Index(fields=["end_date", "start_date", "case"], name="allocation_open"),
            models.Index(fields=["worker", "end_date"], name="allocation_worker_open"),
        ]


class UnallocatedReview(BaseModel):
    """A manager's review of a case left unallocated, with their decision: due every
    ``LocalAuthority.unallocated_review_wd`` working days while nobody holds the case (the
    ``unallocated_review`` timescale)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="unallocated_reviews")
    review_date = models.DateField()
    decision = models.TextField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-review_date", "-created_at"]
        verbose_name = "review of an unallocated case"
        indexes = [models.Index(fields=["case", "review_date"], name="unallocated_review_case")]


class AbsenceKind(models.TextChoices):
    ANNUAL_LEAVE = "annual_leave", "Annual leave"
    SICKNESS = "sickness", "Sickness"
    TRAINING = "training", "Training"
    OTHER = "other", "Other"


class Absence(BaseModel, DatedSpan):
    """A worker away from work (issue 14, cover; decision 0044): from ``start_date`` (the
    first day away) to ``end_date``, the day they are back (empty while nobody knows). While
    it is open, the due items of the cases they hold show to their team's manager and the
    team's duty worker, and every list marks their cases "Worker away"."""

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="absences"
    )
    kind = models.CharField(max_length=20, choices=AbsenceKind.choices)

    class Meta(DatedSpan.Meta):
        ordering = ["start_date", "pk"]
        indexes = [models.Index(fields=["worker", "end_date"], name="absence_worker_open")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.start_date:%d %b %Y}"

    @property
    def last_day(self):
        """The last day away (the day before they are back), or None if not known."""
        return self.end_date - timedelta(days=1) if self.end_date else None


class DutySpell(BaseModel, DatedSpan):
    """A worker on duty for a team from ``start_date`` to the day before ``end_date`` (the
    team's rota, set by its manager): while a colleague is away, the duty worker sees and
    acts on their due items (decision 0044)."""

    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="duty_spells")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="duty_spells"
    )

    class Meta(DatedSpan.Meta):
        ordering = ["start_date", "pk"]
        indexes = [models.Index(fields=["team", "end_date"], name="duty_team_open")]

    def __str__(self) -> str:
        return f"Duty from {self.start_date:%d %b %Y}"

    @property
    def last_day(self):
        return self.end_date - timedelta(days=1) if self.end_date else None


class VisitNotice(models.TextChoices):
    ANNOUNCED = "announced", "Announced"
    UNANNOUNCED = "unannounced", "Unannounced"


class Visit(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField(max_length=12, choices=VisitKind.choices)
    visit_date = models.DateField()
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    child_seen = models.BooleanField()
    child_seen_alone = models.BooleanField(default=False)
    bedroom_seen = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    # What the visit found (issue 16 item 3, decision 0036): blank on visits recorded before.
    present = models.TextField("who was present", blank=True)
    announced = models.CharField(
        "announced or unannounced", max_length=11, choices=VisitNotice.choices, blank=True
    )
    seen_alone_where = models.CharField(
        "where the child was seen alone", max_length=200, blank=True
    )
    observations = models.TextField(blank=True)
    child_views = models.TextField("the child's views, in their own words", blank=True)
    analysis = models.TextField("the worker's analysis", blank=True)

    class Meta:
        ordering = ["-visit_date"]
        # "The next visit after this one": the CP visits indicator and the timescales.
        indexes = [models.Index(fields=["case", "visit_date"], name="visit_case_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(child_seen=True) | Q(child_seen_alone=False),
                name="visit_seen_alone_needs_seen",
            )
        ]


class DirectWork(BaseModel):
    """A session of direct work with the child (issue 16 item 3, decision 0036): what was
    done and how, the child's views in their own words, and the worker's analysis. A record
    of its own, not a visit: it may happen at school or in an office, by another worker."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="direct_work")
    work_date = models.DateField("date")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    where = models.CharField(max_length=200)
    purpose = models.TextField("what the session was for and how it was done")
    child_views = models.TextField("the child's views, in their own words")
    analysis = models.TextField("the worker's analysis", blank=True)

    class Meta:
        ordering = ["-work_date"]
        verbose_name = "direct work with the child"
        verbose_name_plural = "direct work with the child"


class CaseNote(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    note_date = models.DateField()
    subject = models.CharField(max_length=200)
    text = models.TextField()
    significant = models.BooleanField(
        "significant event", default=False, help_text="Significant events go on the chronology"
    )

    class Meta:
        ordering = ["-note_date", "-created_at"]


class ManagementDecision(BaseModel):
    """A manager's decision on a case, written on the child's file (management oversight)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    decision_date = models.DateField()
    decision = models.TextField()
    rationale = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-decision_date", "-created_at"]


class CINPlan(BaseModel, DatedSpan):
    """A child in need plan under section 17 (CINPlanStartDate, CINPlanEndDate)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="cin_plans")
    summary = models.TextField(blank=True)
    # What the plan is for and what happens if it is not working, as on a child protection
    # plan (issue 16 item 2, decision 0068). Its actions are ``protection.PlanAction`` rows
    # naming it (``actions``): the action's model lives above both plans (decision 0043).
    outcomes = models.TextField(
        blank=True, help_text="What must change for the child, one outcome a line"
    )
    contingency = models.TextField(
        blank=True, help_text="What will happen if the plan is not followed or not working"
    )

    class Meta(DatedSpan.Meta):
        ordering = ["-start_date"]


class LookedAfterPeriod(BaseModel, DatedSpan):
    """A period of care: the child looked after by the authority on this case, from the day
    they became looked after (SSDA903 "date started to be looked after") to the day the
    period ceased (empty while they are looked after), under a legal status (decision 0076).

    Only what the child-protection lookup and the case page need: no placements, no
    episodes within the period, no reviews. A child's periods never overlap (the services
    check it across all the child's cases)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="looked_after_periods")
    legal_status = models.CharField(max_length=2, choices=LegalStatus.choices)
    # Free text: the SSDA903 reasons episode ceased are not in the project's standards.
    reason_ended = models.CharField("reason the period ended", max_length=500, blank=True)

    class Meta(DatedSpan.Meta):
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return f"Looked after from {self.start_date:%d %B %Y}"


class CINPlanReview(BaseModel):
    plan = models.ForeignKey(CINPlan, on_delete=models.CASCADE, related_name="reviews")
    review_date = models.DateField()
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["review_date"]


class ChronologyEntry(BaseModel):
    """A significant event in a child's life, in date order: the child's chronology.

    Entries made by a step (a referral, a conference) name it in ``source_type`` and
    ``source_id``, so that the step and its entry stay one; workers add their own entries
    too, and annotate any entry.
    """

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="chronology")
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="chronology"
    )
    event_date = models.DateField()
    what = models.CharField("what happened", max_length=500)
    source_agency = models.CharField(max_length=200, blank=True)
    impact = models.TextField("impact on the child", blank=True)
    outcome = models.TextField("action or outcome", blank=True)
    source_type = models.CharField(max_length=100, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    # Someone other than the child whom ``what`` names (the adult or sibling who joined or
    # left the household), and the words shown instead to a reader that person's seal keeps
    # out. Asked when the entry is read, not when it is written: a seal placed later closes
    # the name too (decision 0067).
    names = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    what_restricted = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["event_date", "created_at"]
        verbose_name_plural = "chronology entries"
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id"],
                condition=~Q(source_type=""),
                name="chronology_one_entry_per_source",
            )
        ]

    @property
    def is_manual(self) -> bool:
        return not self.source_type

    @property
    def shown_what(self) -> str:
        """What happened, as the reader may see it: with the person it names withheld when
        that person's seal keeps the reader out. An entry that names someone and was read
        without asking (no ``names_hidden``) withholds the name: it fails closed."""
        if self.names_id is None:
            return self.what
        if self.__dict__.get("names_hidden", True):
            return self.what_restricted
        return self.what


class ChronologyAnnotation(BaseModel):
    entry = models.ForeignKey(ChronologyEntry, on_delete=models.CASCADE, related_name="annotations")
    text = models.TextField()

    class Meta:
        ordering = ["created_at"]


class AuthorisationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for authorisation"
    AUTHORISED = "authorised", "Authorised"
    REFUSED = "refused", "Refused"


class AuthorisationRequest(BaseModel):
    """A decision asked for by a worker that takes effect only when the case's line manager
    authorises it (issue 15 item 2, decision 0041): closing a case, no further action on a
    referral, a step-down to early help, the conclusion of a section 47 enquiry. What is to be
    done is kept in ``payload`` and applied by the kind's hook (registered by the app that owns
    the decision) in the transaction that authorises it; a refusal changes nothing but the
    request, and both are written on the child's file."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="authorisation_requests")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=40)
    summary = models.CharField("what is asked", max_length=500)
    reasons = models.TextField("the worker's reasons", blank=True)
    payload = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=AuthorisationStatus.choices, default=AuthorisationStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField("the manager's reasons", blank=True)

    class Meta:
        ordering = ["requested_at"]
        indexes = [
            models.Index(fields=["authority", "status", "requested_at"], name="authreq_queue")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(status="pending"),
                name="authreq_one_pending_per_kind",
            )
        ]

    @property
    def is_pending(self) -> bool:
        return self.status == AuthorisationStatus.PENDING

    def excluded_ids(self) -> set:
        """Who may never authorise it: whoever asked, and whoever's work it is (the worker
        holding the case when it was asked, kept in ``payload``)."""
        return {self.requested_by_id, *(self.payload.get("authors") or [])}


class CaseSummary(BaseModel):
    """One version of the case summary at the top of the case (issue 16 item 4, decision
    0048): what we are worried about, what is working well, what needs to happen, and the
    risk statement. The worker keeps it current; each save is a new version, numbered from 1
    on each case, and every version is kept, so its history says who changed what when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="summaries")
    number = models.PositiveIntegerField("version")
    worries = models.TextField("what we are worried about")
    working_well = models.TextField("what is working well")
    next_steps = models.TextField("what needs to happen")
    risk_statement = models.TextField("risk statement")

    class Meta:
        ordering = ["-number"]
        verbose_name_plural = "case summaries"
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="case_summary_one_number")
        ]

    def __str__(self) -> str:
        return f"Case summary, version {self.number}"
