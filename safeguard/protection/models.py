"""Child protection: strategy discussions, section 47 enquiries, conferences, plans and
core groups (Working Together; CIN census Section47 and ChildProtectionPlans)."""

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguard.core.models import BaseModel, DatedSpan
from safeguard.protection.codes import CategoryOfAbuse, PlanEndReason


class StrategyDecision(models.TextChoices):
    SECTION_47 = "s47", "Start a section 47 enquiry"
    NO_SECTION_47 = "no_s47", "No section 47 enquiry: continue as child in need or close"


class EmergencyProtection(models.TextChoices):
    """Whether the child was under an emergency protection order (Children Act 1989 s44) or in
    police protection (s46) when the strategy discussion was held (Ofsted's Annex A list 7)."""

    NEITHER = "none", "Neither"
    POLICE = "police", "Police protection (section 46)"
    EPO = "epo", "Emergency protection order (section 44)"
    BOTH = "both", "Police protection, then an emergency protection order"


class StrategyDiscussion(BaseModel):
    case = models.ForeignKey(
        "casework.Case", on_delete=models.CASCADE, related_name="strategy_discussions"
    )
    discussion_date = models.DateField()
    # [{"agency": "Police", "name": "DC Ash", "role": "Investigating officer"}, ...]
    attendees = models.JSONField(default=list)
    decision = models.CharField(max_length=10, choices=StrategyDecision.choices)
    notes = models.TextField(blank=True)
    chaired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Blank: not recorded (discussions recorded before the question was asked).
    emergency_protection = models.CharField(
        max_length=6, choices=EmergencyProtection.choices, blank=True
    )

    class Meta:
        ordering = ["-discussion_date"]


class Section47Outcome(models.TextChoices):
    NOT_SUBSTANTIATED_NFA = "nfa", "Concerns not substantiated: no further action"
    NOT_SUBSTANTIATED_CIN = "cin", "Concerns not substantiated: child in need"
    SUBSTANTIATED_ICPC = "icpc", "Concerns substantiated: initial child protection conference"
    SUBSTANTIATED_NO_ICPC = "no_icpc", "Concerns substantiated: conference not required"


class Section47Enquiry(BaseModel, DatedSpan):
    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="section47s")
    strategy_discussion = models.ForeignKey(
        StrategyDiscussion, on_delete=models.PROTECT, related_name="section47s"
    )
    start_date = models.DateField(help_text="S47ActualStartDate")
    end_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Section47Outcome.choices, blank=True)
    # Working Together 2006 and 2010: the enquiry is carried out through a core assessment,
    # which may start straight from the strategy discussion.
    core_assessment = models.OneToOneField(
        "assessments.Assessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="section47",
    )

    class Meta(DatedSpan.Meta):
        ordering = ["-start_date"]
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"

    def strategy_discussions_held(
        self, discussions: Iterable[StrategyDiscussion]
    ) -> list[StrategyDiscussion]:
        """Of ``discussions`` (the case's), the ones held for this enquiry, in date order: the
        one that started it and any reconvened after it, up to the day the enquiry ended (an
        initial conference ends it). The initial conference is due 15 working days after the
        last of them (domain.md §2)."""
        discussions = list(discussions)
        first = (
            next((d for d in discussions if d.pk == self.strategy_discussion_id), None)
            or self.strategy_discussion
        )
        held = [
            d
            for d in discussions
            if d.pk == first.pk
            or (
                d.discussion_date >= first.discussion_date
                and (self.end_date is None or d.discussion_date <= self.end_date)
            )
        ]
        return sorted(held, key=lambda d: (d.discussion_date, d.created_at))

    @property
    def icpc_not_required(self) -> bool:
        """CIN census ICPCnotRequired: the enquiry ended without needing a conference."""
        return self.end_date is not None and self.outcome != Section47Outcome.SUBSTANTIATED_ICPC


class ConferenceKind(models.TextChoices):
    INITIAL = "initial", "Initial child protection conference"
    REVIEW = "review", "Review child protection conference"
    TRANSFER_IN = "transfer_in", "Transfer-in conference"


class ConferenceDecision(models.TextChoices):
    PLAN = "plan", "Child protection plan"
    NO_PLAN = "no_plan", "No child protection plan"
    CONTINUE = "continue", "Plan continues"
    END = "end", "Plan ends"


class ChildProtectionConference(BaseModel):
    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="conferences")
    kind = models.CharField(max_length=12, choices=ConferenceKind.choices)
    conference_date = models.DateField()
    section47 = models.ForeignKey(
        Section47Enquiry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conferences",
    )
    plan = models.ForeignKey(
        "protection.ChildProtectionPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conferences",
    )
    # {"Police": true, "Health": true, "Education": false, ...}: who attended, by agency.
    attendance = models.JSONField(default=dict)
    decision = models.CharField(max_length=10, choices=ConferenceDecision.choices)
    category = models.CharField(max_length=3, choices=CategoryOfAbuse.choices, blank=True)
    outline_plan = models.TextField(blank=True)
    core_group_members = models.JSONField(default=list, blank=True)
    chaired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # When the chair circulated the minutes (issue 15 item 3): due within the authority's
    # ``conference_minutes_wd`` working days of the conference (the ``conference_minutes``
    # clock); empty until they are.
    minutes_circulated_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-conference_date"]


class ChildProtectionPlan(BaseModel, DatedSpan):
    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="cp_plans")
    start_date = models.DateField(help_text="CPPstartDate")
    end_date = models.DateField(null=True, blank=True, help_text="CPPendDate")
    initial_category = models.CharField(max_length=3, choices=CategoryOfAbuse.choices)
    latest_category = models.CharField(max_length=3, choices=CategoryOfAbuse.choices)
    end_reason = models.CharField(max_length=20, choices=PlanEndReason.choices, blank=True)
    previous_plans_elsewhere = models.PositiveSmallIntegerField(
        default=0, help_text="Plans the child had in other authorities, for NumberOfPreviousCPP"
    )
    # What the plan is for and what happens if it is not working (issue 16 item 2).
    outcomes = models.TextField(
        blank=True, help_text="What must change for the child to be safe, one outcome a line"
    )
    contingency = models.TextField(
        blank=True, help_text="What will happen if the plan is not followed or not working"
    )

    class Meta(DatedSpan.Meta):
        ordering = ["-start_date"]
        verbose_name = "child protection plan"
        indexes = [models.Index(fields=["start_date"], name="cp_plan_start")]
        constraints = [
            *DatedSpan.Meta.constraints,
            models.CheckConstraint(
                condition=(Q(end_date__isnull=True) & Q(end_reason=""))
                | (Q(end_date__isnull=False) & ~Q(end_reason="")),
                name="cp_plan_end_date_and_reason_together",
            ),
        ]


class CoreGroupMeeting(BaseModel):
    plan = models.ForeignKey(
        ChildProtectionPlan, on_delete=models.CASCADE, related_name="core_groups"
    )
    meeting_date = models.DateField()
    attendees = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting_date"]


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    NOT_DONE = "not_done", "No longer needed"


# An action is still to do while it is one of these.
OPEN_ACTION_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


class PlanAction(BaseModel):
    """One action of a child protection plan (``plan``) or of a child in need plan
    (``cin_plan``; exactly one of the two, decision 0068): what, who (a person or an agency)
    and by when. Its status changes only through a ``PlanActionProgress`` row, so its history
    is kept."""

    plan = models.ForeignKey(
        ChildProtectionPlan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="actions",
    )
    cin_plan = models.ForeignKey(
        "casework.CINPlan",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name="child in need plan",
    )
    description = models.TextField()
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name="owner (a person)",
    )
    # A real agency, so that partner agencies can later see and update their own actions.
    owner_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name="owner (an agency)",
    )
    due_date = models.DateField()
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    # The day progress closed it (done, or no longer needed): what stops its clock on the
    # owner's due list (decision 0043).
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "created_at"]
        indexes = [
            models.Index(fields=["owner_user", "status", "due_date"], name="plan_action_owner")
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(owner_user__isnull=False) & Q(owner_agency__isnull=True))
                | (Q(owner_user__isnull=True) & Q(owner_agency__isnull=False)),
                name="plan_action_one_owner",
            ),
            models.CheckConstraint(
                condition=(Q(plan__isnull=False) & Q(cin_plan__isnull=True))
                | (Q(plan__isnull=True) & Q(cin_plan__isnull=False)),
                name="plan_action_one_plan",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def owner(self):
        return self.owner_user or self.owner_agency

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    def is_overdue(self, today) -> bool:
        return self.is_open and self.due_date < today

    @property
    def on_plan(self):
        """The plan the action belongs to: the child protection plan or the child in need
        plan (read through whichever foreign key is set, so a CIN action never reads
        ``plan``)."""
        return self.cin_plan if self.cin_plan_id is not None else self.plan

    @property
    def is_cin(self) -> bool:
        return self.cin_plan_id is not None


class PlanActionProgress(BaseModel):
    """Progress on an action, as recorded at a core group (``core_group``, a child protection
    plan's action), at a child in need plan's review (``cin_review``, decision 0068) or
    between them: the status it moved to and a note. Every row is kept: the action's
    history."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="progress")
    core_group = models.ForeignKey(
        CoreGroupMeeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_progress",
    )
    cin_review = models.ForeignKey(
        "casework.CINPlanReview",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_progress",
        verbose_name="child in need plan review",
    )
    recorded_on = models.DateField()
    status = models.CharField(max_length=12, choices=ActionStatus.choices)
    note = models.TextField()

    class Meta:
        ordering = ["recorded_on", "created_at"]
        verbose_name = "progress on a plan action"
        verbose_name_plural = "progress on plan actions"
        constraints = [
            models.CheckConstraint(
                condition=Q(core_group__isnull=True) | Q(cin_review__isnull=True),
                name="plan_action_progress_one_meeting",
            ),
        ]


class ChallengeKind(models.TextChoices):
    CHALLENGE = "challenge", "Challenge"
    ESCALATION = "escalation", "Escalation"


class ChairChallenge(BaseModel):
    """A conference chair's challenge to the case's practice, or an escalation under the
    authority's dispute resolution procedure (issue 15 item 3; decision 0043): what, raised
    with whom and when, and when and how it was resolved. Open until ``resolved_on``."""

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="challenges")
    conference = models.ForeignKey(
        ChildProtectionConference,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="challenges",
    )
    kind = models.CharField(max_length=12, choices=ChallengeKind.choices)
    concern = models.TextField("what the concern is")
    raised_with = models.CharField("raised with (name and role)", max_length=200)
    raised_on = models.DateField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="challenges_raised"
    )
    resolved_on = models.DateField(null=True, blank=True)
    resolution = models.TextField("how it was resolved", blank=True)

    class Meta:
        ordering = ["-raised_on", "-created_at"]
        verbose_name = "challenge or escalation by a conference chair"
        verbose_name_plural = "challenges and escalations by conference chairs"
        indexes = [
            models.Index(fields=["raised_by", "resolved_on", "raised_on"], name="challenge_chair")
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(resolved_on__isnull=True) & Q(resolution=""))
                | (Q(resolved_on__isnull=False) & ~Q(resolution="")),
                name="challenge_resolved_with_how",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} raised {self.raised_on}"

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None
