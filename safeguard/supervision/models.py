"""Supervision: sessions between a worker and their line manager, the cases discussed in
them, the decisions made (each also written on the child's file as management oversight)
and the actions agreed; each worker's required frequency, and each case stage's.

The frequencies follow domain.md §6 (the employer standards): weekly for the first 6 weeks
after qualifying, fortnightly to 6 months, then monthly; a worker's frequency can be set
otherwise from a date (``WorkerFrequency``), and how often each case is discussed is an
authority setting per stage of the case (``CaseStageFrequency``).
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from safeguard.core.models import BaseModel
from safeguard.core.workdays import add_months


class Interval(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Fortnightly"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Every 3 months"


# Calendar days, or months moved by ``add_months`` (kpis.md: "calendar days: 7, 14; months
# by add_months").
DAYS = {Interval.WEEKLY: 7, Interval.FORTNIGHTLY: 14}
MONTHS = {Interval.MONTHLY: 1, Interval.QUARTERLY: 3}


def interval_before(day: date, interval: str) -> date:
    """``day`` minus one ``interval``: the earliest date a session may have been held and
    still be within the interval on ``day``."""
    if interval in DAYS:
        return day - timedelta(days=DAYS[interval])
    return add_months(day, -MONTHS[interval])


def interval_after(day: date, interval: str) -> date:
    """``day`` plus one ``interval``: when the next session is due after one on ``day``."""
    if interval in DAYS:
        return day + timedelta(days=DAYS[interval])
    return add_months(day, MONTHS[interval])


# A worker's own frequency: the newly qualified schedule unless set otherwise.
SCHEDULE = "schedule"
WORKER_INTERVALS = [(SCHEDULE, "The standard schedule (by date qualified)")] + [
    (i.value, i.label) for i in (Interval.WEEKLY, Interval.FORTNIGHTLY, Interval.MONTHLY)
]


class WorkerFrequency(BaseModel):
    """From ``start_date``, ``worker`` is supervised at ``interval`` (or back on the standard
    schedule): the newest setting that has started applies, so a change keeps the history
    that figures for an earlier day are worked out from."""

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervision_frequencies"
    )
    start_date = models.DateField("from")
    interval = models.CharField(max_length=12, choices=WORKER_INTERVALS)
    reason = models.TextField()

    class Meta:
        ordering = ["worker", "-start_date", "-created_at"]
        indexes = [models.Index(fields=["worker", "start_date"], name="supervision_freq_worker")]


class CaseStageFrequency(models.Model):
    """How often a case at ``stage`` (``timescales.selectors.STAGES``) is discussed in
    supervision, for ``authority``: a local standard (domain.md §6, [L])."""

    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.CASCADE, related_name="+"
    )
    stage = models.CharField(max_length=20)
    interval = models.CharField(max_length=12, choices=Interval.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "stage"], name="supervision_one_frequency_per_stage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stage}: {self.get_interval_display()}"


class Session(BaseModel):
    """A supervision session: recorded and signed by the supervisor, then signed by the
    supervisee. Nobody supervises themselves, so nobody signs as both."""

    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sessions_given"
    )
    supervisee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sessions_received"
    )
    session_date = models.DateField("date of the session")
    duration_minutes = models.PositiveSmallIntegerField("length (minutes)")
    wellbeing = models.TextField("wellbeing, workload and development", blank=True)
    supervisor_signed_at = models.DateTimeField()
    supervisee_signed_at = models.DateTimeField(null=True, blank=True)
    supervisee_comment = models.TextField("supervisee's comment", blank=True)

    class Meta:
        ordering = ["-session_date", "-created_at"]
        indexes = [
            models.Index(fields=["supervisee", "session_date"], name="supervision_session_worker")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(supervisor=F("supervisee")), name="supervision_not_oneself"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="supervision_has_length"
            ),
        ]

    def __str__(self) -> str:
        return f"Supervision of {self.supervisee} on {self.session_date:%d %b %Y}"

    @property
    def is_signed(self) -> bool:
        """Signed by both: only then does it count (kpis.md ``supervision_on_time``)."""
        return self.supervisee_signed_at is not None


class CaseDiscussion(BaseModel):
    """A case discussed in a session, with the reflection on it."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="discussions")
    case = models.ForeignKey(
        "casework.Case", on_delete=models.PROTECT, related_name="supervision_discussions"
    )
    reflection = models.TextField("reflection and analysis")

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "case"], name="supervision_case_once")
        ]


class SessionDecision(BaseModel):
    """A decision on a case made in supervision, with its rationale; the same decision is on
    the child's file as a management decision (``management_decision``)."""

    discussion = models.ForeignKey(
        CaseDiscussion, on_delete=models.CASCADE, related_name="decisions"
    )
    decision = models.TextField()
    rationale = models.TextField()
    management_decision = models.OneToOneField(
        "casework.ManagementDecision", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]


class SessionAction(BaseModel):
    """An action agreed in a session, on a case or not: carried forward into every later
    session with the same supervisee until it is marked done."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="actions")
    discussion = models.ForeignKey(
        CaseDiscussion, on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    action = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    done_in = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions_done"
    )

    class Meta:
        ordering = ["due_date", "created_at"]
