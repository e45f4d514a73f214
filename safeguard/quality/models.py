"""The data-quality issues found by the last check of each child (rules.py).

The table holds what is wrong now: a check of a child replaces that child's rows, keeping
``first_seen`` for an issue that is still there, so a fixed record's issue disappears.
"""

from django.conf import settings
from django.db import models


class Severity(models.TextChoices):
    ERROR = "error", "Error"
    QUERY = "query", "Query"


class QualityIssue(models.Model):
    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="quality_issues"
    )
    case = models.ForeignKey(
        "casework.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # "SG..." for Safeguard's own rules, "CIN ..." for the DfE census rules.
    rule = models.CharField(max_length=20)
    severity = models.CharField(max_length=5, choices=Severity.choices)
    message = models.TextField()
    detail = models.CharField(max_length=300, blank=True)
    # The record to fix: its model ("casework.case") and id; the person when none.
    record_type = models.CharField(max_length=60)
    record_id = models.UUIDField(null=True, blank=True)
    # Who held the child's case when the issue was checked (none: unallocated).
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
    first_seen = models.DateTimeField()
    last_checked = models.DateTimeField()

    class Meta:
        ordering = ["person_id", "rule", "detail"]
        indexes = [
            models.Index(fields=["person"], name="quality_issue_person"),
            models.Index(fields=["worker"], name="quality_issue_worker"),
            models.Index(fields=["team"], name="quality_issue_team"),
            models.Index(fields=["authority", "rule"], name="quality_issue_rule"),
        ]

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"

    @property
    def key(self) -> tuple:
        return (self.rule, self.record_id, self.detail)


class QualityCheck(models.Model):
    """A completed check of every child of an authority (``safeguard check-quality``, the
    demo). Until one exists, no figure is marked validated: children never checked could have
    errors nobody has seen. After one, each save rechecks its child (signals.py)."""

    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.CASCADE, related_name="+"
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    children = models.PositiveIntegerField()
    issues = models.PositiveIntegerField()

    class Meta:
        ordering = ["-finished_at"]
        indexes = [models.Index(fields=["authority", "finished_at"], name="quality_check_done")]

    def __str__(self) -> str:
        return f"{self.children} children checked, {self.issues} issues, {self.finished_at}"
