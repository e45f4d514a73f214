"""Documents on a child's record: letters, reports, court papers and photographs.

The file lives outside the database, in ``SAFEGUARD_DOCUMENTS_DIR`` (``store.py``), under a
random key; the row holds what is known about it: the title, date and source the uploader
gave, the kind its content was found to be (``filetypes.py``), its size and digest. It is
attached to a child and, optionally, to one of their cases and to one step of the work (a
visit, an assessment, a conference: any record of the case, by content type and id).
"""

from django.db import models
from django.db.models import Q

from safeguard.core.models import BaseModel


class Category(models.TextChoices):
    LETTER = "letter", "Letter"
    REPORT = "report", "Report"
    COURT = "court", "Court paper"
    PHOTOGRAPH = "photograph", "Photograph"
    PLAN = "plan", "Plan or minutes"
    OTHER = "other", "Other"


class Source(models.TextChoices):
    SCHOOL = "school", "School or nursery"
    HEALTH = "health", "Health"
    POLICE = "police", "Police"
    FAMILY = "family", "The family"
    CHILD = "child", "The child"
    COURT = "court", "Court"
    SOCIAL_CARE = "social_care", "Children's social care"
    OTHER_AUTHORITY = "other_authority", "Another local authority"
    VOLUNTARY = "voluntary", "Voluntary sector"
    OTHER = "other", "Other"


class Document(BaseModel):
    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="documents")
    case = models.ForeignKey(
        "casework.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    # The step of the work the document belongs to, if any (a visit, an assessment...).
    step_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="attached to",
    )
    step_id = models.UUIDField(null=True, blank=True)
    step_label = models.CharField("step", max_length=200, blank=True)
    title = models.CharField(max_length=200)
    document_date = models.DateField("date of the document")
    category = models.CharField("kind", max_length=20, choices=Category.choices)
    source = models.CharField(max_length=20, choices=Source.choices)
    source_detail = models.CharField("from (name of the sender)", max_length=200, blank=True)
    description = models.TextField(blank=True, max_length=2_000)
    # What the content was found to be, never what the uploader's browser said.
    extension = models.CharField(max_length=10)
    media_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField("size in bytes")
    sha256 = models.CharField("SHA-256 digest", max_length=64)
    # The file's name in the store: random, never the uploaded name.
    file_key = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["-document_date", "-created_at"]
        indexes = [models.Index(fields=["child", "document_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(step_type__isnull=True, step_id__isnull=True)
                | Q(step_type__isnull=False, step_id__isnull=False),
                name="document_step_type_and_id_together",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.document_date:%d %b %Y})"

    @property
    def download_name(self) -> str:
        """The name a download is saved as: its kind, date and the start of its id, with the
        extension of what the content is. Never the title or the uploaded name: either may
        name the child, and a downloads folder is not confidential (made safe again by
        ``core.downloads``)."""
        return f"{self.category}-{self.document_date:%Y-%m-%d}-{str(self.pk)[:8]}.{self.extension}"
