"""Abstract bases for domain models. Core holds no domain models of its own."""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class BaseModel(models.Model):
    """A domain record: opaque id, who made and last changed it, and a version for edits.

    ``version`` rises by one on every change made through a service, so that a stale edit
    can be told apart from a current one.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class Span(models.Model):
    """The one rule for "open on a day", over a record's start and end dates.

    Open on ``day`` when it started on or before ``day`` and had not ended by it: the end day
    is the first day it is no longer open (a plan ended on 3 May was open on 2 May, not on
    3 May; a span that starts and ends on the same day is never open). An empty end means
    still open; an empty start, where the field allows one, means open since before records
    began. ``span_start`` and ``span_end`` name the two date fields, so that a record whose
    dates have other names (a case's referral and closure dates) keeps the same rule.
    ``DatedSpan`` is the usual base: it adds ``start_date`` and ``end_date`` themselves.
    """

    span_start = "start_date"
    span_end = "end_date"

    class Meta:
        abstract = True

    def is_open_on(self, day: date) -> bool:
        start, end = getattr(self, self.span_start), getattr(self, self.span_end)
        return (start is None or start <= day) and (end is None or end > day)

    @classmethod
    def open_on(cls, day, prefix: str = "") -> Q:
        """The ``Q`` of ``is_open_on(day)``, for a queryset of this model, or with ``prefix``
        (``"involvements__"``) for the rows of a related one. ``day`` may be an expression
        (``OuterRef("as_of")``) as well as a date."""
        start, end = prefix + cls.span_start, prefix + cls.span_end
        started = Q(**{f"{start}__lte": day})
        if cls._meta.get_field(cls.span_start).null:
            started = Q(**{f"{start}__isnull": True}) | started
        return started & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": day}))


class DatedSpan(Span):
    """A record open from ``start_date`` to ``end_date`` (empty while it is still open), ends
    on or after its start (a check constraint named for each model). A concrete model keeps
    the constraint by deriving its ``Meta`` from ``DatedSpan.Meta``, and by listing
    ``*DatedSpan.Meta.constraints`` first when it has constraints of its own. A model may
    override either field (a census help text, an optional start)."""

    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="%(app_label)s_%(class)s_dates_in_order",
            )
        ]


class Draft(models.Model):
    """What a member of staff has typed into a form but not yet saved.

    Saved as they type (``static/js/drafts.mjs``), restored when they come back to the form,
    and removed when the form is saved, so that a timeout or a lost connection never loses
    their text. A draft belongs to its author alone and is not part of any record.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=300, help_text="The address of the form")
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="draft_one_per_form")]

    def __str__(self) -> str:
        return f"Draft of {self.key}"


class ScheduledJob(models.Model):
    """One piece of scheduled work (``core.schedule``, decision 0071): its run waiting in the
    worker's queue, and how its last run went. Not a record about anyone: the worker's own
    bookkeeping, read by the administration page, ``check-setup`` and ``/health/``."""

    name = models.CharField(max_length=100, primary_key=True)
    # When it was first queued: a job that has never succeeded is late a night after this.
    first_queued_at = models.DateTimeField(auto_now_add=True)
    # The waiting run (a django-tasks result id) and when it is due.
    waiting_task_id = models.CharField(max_length=64, blank=True)
    next_run_at = models.DateTimeField(null=True, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_succeeded_at = models.DateTimeField(null=True, blank=True)
    last_failed_at = models.DateTimeField(null=True, blank=True)
    # One line: what the last run did, or why it failed.
    last_outcome = models.TextField(blank=True)
    last_run_failed = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def is_late(self, job, now) -> bool:
        """Whether ``job`` (its ``core.schedule.Job``) has not succeeded for longer than its
        schedule allows, counting from its last success or, if none, from when it was first
        queued."""
        since = self.last_succeeded_at or self.first_queued_at
        return since is not None and now - since > job.late_after
