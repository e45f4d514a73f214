"""What the census import remembers: for each child, the newest census it has applied.

Files are applied in order of their reference date (kpis.md §6). Within one import that is
done by merging the files before anything is written; across imports this record lets a later
import tell that a child's stored values came from a newer census than the file in hand.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone


class CensusImportedChild(models.Model):
    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="census_import"
    )
    reference_date = models.DateField(help_text="ReferenceDate of the newest census applied")

    class Meta:
        verbose_name = "child imported from a CIN census"

    def __str__(self) -> str:
        return f"{self.person_id} from the census of {self.reference_date}"


class ImportedRecord(models.Model):
    """A record the census import created, and the version it left it at (decision 0017).

    A row exists for every record an import created, and only for those. The record is the
    import's own while its ``version`` and ``updated_at`` are still the ones stored here:
    every change made elsewhere (a service's ``save_change``, any ``save()``) moves one of
    them, and then a later import reports a conflict instead of writing over it. Looked up
    by child (one indexed query per child), so an import of 50,000 children stays linear.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    model = models.CharField(max_length=60, help_text="app_label.model_name")
    object_id = models.UUIDField()
    version = models.PositiveIntegerField(help_text="0: changed outside an import since")
    updated_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "record made by the census import"
        constraints = [
            models.UniqueConstraint(fields=["model", "object_id"], name="imported_record_once")
        ]
        indexes = [models.Index(fields=["person"], name="imported_record_person")]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id} (version {self.version})"


class JobKind(models.TextChoices):
    CIN_EXPORT = "cin_export", "CIN census export"
    ANNEX_A_EXPORT = "annex_a_export", "Annex A export"
    CIN_IMPORT = "cin_import", "CIN census import"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    REFUSED = "refused", "Refused"
    FAILED = "failed", "Failed"


class ReturnJob(models.Model):
    """One statutory return started from the web: an export or an import, run by the worker.

    The result file (and, for an import, the uploaded files) live in the job's folder under
    ``settings.SAFEGUARD_RETURNS_DIR``; they are served only through the permission-checked
    download view, never as static files.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=JobKind.choices)
    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # What was asked: {"year": "2025-26"}, {"as_of": "2026-03-31"}, or the import's file
    # names and {"skip_invalid": true}.
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # One line saying how it ended, and the detail: for a refused CIN export one row per
    # failed rule ({"child", "record", "rule", "level", "message", "detail"}); for an import
    # the command's report lines ({"text"}).
    summary = models.TextField(blank=True)
    report = models.JSONField(default=list, blank=True)
    # The file made, relative to the job's folder, and the name it is downloaded as.
    result_file = models.CharField(max_length=200, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    # The people whose records are in the result file: each download logs an access event
    # for each of them (docs/decisions/0012-returns-in-the-background.md).
    people = models.JSONField(default=list, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def folder(self) -> Path:
        return Path(settings.SAFEGUARD_RETURNS_DIR) / str(self.pk)

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.REFUSED, JobStatus.FAILED}

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return 0 if not self.total else min(100, 100 * self.done // self.total)
