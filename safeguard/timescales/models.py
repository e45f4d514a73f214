"""The outstanding items, kept as a table: a projection of the recorded steps through the rule
table (decision 0028).

Nobody types a due date: every row is worked out by the engine (``timescales.engine``) from the
records, in the same transaction as the step that changed them (``timescales.projection``), and
the whole table is worked out again every night and on demand (``safeguard rebuild-due``).
``safeguard check-due`` works everything out afresh and reports any row that differs. The table
exists so that the lists of what is due can be SQL: paged, sorted, filtered and counted by the
database at any size of borough, instead of the engine running over every open case on every
page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DueEntry(models.Model):
    """One outstanding item (due or overdue) of one clock: ``rule_id`` on ``subject_id`` (the
    referral, assessment, plan or contact it runs on), started on ``start_date``.

    Whether it is overdue is not stored: it is ``due_date`` against the day the list is read.
    ``worker`` and ``team`` hold the case's allocation when the row was worked out (for a
    contact's next step: who decided it and their team); ``priority_rank`` and ``stage`` are
    the case's (or contact's) at the same time, so that lists sort and filter in SQL.
    """

    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.CASCADE, related_name="+"
    )
    child = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(
        "casework.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    contact = models.ForeignKey(
        "referrals.Contact", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    rule_id = models.CharField(max_length=40)
    subject_id = models.CharField(max_length=64)
    start_date = models.DateField()
    due_date = models.DateField()
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    priority_rank = models.PositiveSmallIntegerField()
    stage = models.CharField(max_length=20)
    next_step = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["authority", "priority_rank", "due_date"], name="due_authority"),
            models.Index(fields=["worker", "priority_rank", "due_date"], name="due_worker"),
            models.Index(fields=["team", "priority_rank", "due_date"], name="due_team"),
            # "Decided but not started", by priority then due date (and filtered by priority).
            models.Index(
                fields=["authority", "next_step", "priority_rank", "due_date"],
                name="due_next_steps",
            ),
            models.Index(fields=["child"], name="due_child"),
            models.Index(fields=["case"], name="due_case"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_id", "subject_id", "start_date"], name="due_one_row_per_clock"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} due {self.due_date}"


class SeenClock(models.Model):
    """When an open case's child was last seen, and the stage whose standard applies: one row
    per open case, kept by ``timescales.projection`` beside ``DueEntry`` (in the step's
    transaction, in bulk, nightly, and compared by ``safeguard check-due``; decision 0049).

    ``seen_since`` is the day the clock runs from before birth is taken into account: the last
    sighting of the child on any of their cases, or the referral if they have not been seen
    since it. The child's date of birth is read with the list, so that a birth recorded later
    moves the clock without a refresh. ``stage``, ``holder`` and ``holder_team`` are the case's
    when the row was worked out, as ``DueEntry``'s are. Whether the child is past their
    standard is not stored: it is ``seen_since`` against the stage's standard on the day the
    list is read, so that a change of standard moves every row at once.
    """

    case = models.OneToOneField(
        "casework.Case", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.CASCADE, related_name="+"
    )
    child = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    referral_date = models.DateField()
    seen_since = models.DateField()
    last_seen = models.DateField(null=True, blank=True)
    last_seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    stage = models.CharField(max_length=20)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    holder_team = models.ForeignKey(
        "accounts.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [
            # The unseen list: each stage's rows past its cut-off, longest unseen first.
            models.Index(fields=["authority", "stage", "seen_since"], name="seen_stage_since"),
            models.Index(fields=["holder_team", "stage", "seen_since"], name="seen_team_since"),
            models.Index(fields=["child"], name="seen_child"),
        ]

    def __str__(self) -> str:
        return f"{self.stage} seen since {self.seen_since}"
