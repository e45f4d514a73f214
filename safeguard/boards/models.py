"""Boards and panels, their packs and the questions they raise (issue 20, decision 0084).

A ``Body`` (the Children's Trust, the safeguarding partnership, Cabinet...) has members (who
read its packs), named officers (who write the commentary) and a monthly pack: the chosen
indicators against target and the registered sections. A ``Pack`` is one edition of a
body's pack for one period: a draft while officers write ``Commentary``; published, its
content is frozen as HTML and PDF with their hashes and never changed (``Pack.save`` and a
database trigger refuse); a correction is a new edition that supersedes it, both kept.
A ``Challenge`` is a question the body raised at a meeting, assigned to an officer,
answered by a due date and closed (accepted, or challenged further by a new question).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from safeguard.core.models import BaseModel


class Body(BaseModel):
    authority = models.ForeignKey("accounts.LocalAuthority", on_delete=models.PROTECT)
    name = models.CharField(max_length=200)
    purpose = models.TextField(blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="boards", blank=True)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="boards_served", blank=True
    )
    pack_day = models.PositiveSmallIntegerField(
        default=10, help_text="The day of each month the last month's pack is drafted"
    )
    indicators = models.JSONField(default=list, help_text="The indicators its pack shows")
    sections = models.JSONField(
        default=list, help_text="The registered sections its pack holds, by key"
    )
    ended_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day it was stood down: no more packs are drafted; its packs are kept",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "bodies"
        constraints = [
            models.CheckConstraint(
                condition=Q(pack_day__gte=1, pack_day__lte=28), name="body_pack_day_in_month"
            ),
            models.UniqueConstraint(fields=["authority", "name"], name="body_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_ended(self) -> bool:
        return self.ended_on is not None


class PackStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Pack(BaseModel):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="packs")
    period_start = models.DateField()
    period_end = models.DateField()
    edition = models.PositiveSmallIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    correction_reason = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=PackStatus.choices, default=PackStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    html = models.TextField(blank=True)
    pdf = models.BinaryField(blank=True, default=b"")
    html_sha256 = models.CharField(max_length=64, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["body", "-period_end", "-edition"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "period_start", "period_end", "edition"],
                name="pack_edition_unique",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="pack_period_in_order"
            ),
            # A published pack holds its frozen content and its hashes.
            models.CheckConstraint(
                condition=Q(status=PackStatus.DRAFT)
                | (
                    Q(published_at__isnull=False)
                    & ~Q(html="")
                    & ~Q(html_sha256="")
                    & ~Q(pdf_sha256="")
                ),
                name="pack_published_frozen",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body}: {self.period_start:%B %Y} pack, edition {self.edition}"

    def save(self, *args, **kwargs):
        """Refuse any change to a published pack (decision 0084); the database refuses too."""
        if self.pk is not None and not self._state.adding:
            stored = Pack.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == PackStatus.PUBLISHED:
                raise ValidationError("A published pack is never changed: correct it instead.")
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == PackStatus.PUBLISHED


class Commentary(BaseModel):
    """A named officer's words on one section of a draft pack (one per section; rewritten
    while the pack is a draft)."""

    pack = models.ForeignKey(Pack, on_delete=models.PROTECT, related_name="commentary")
    section = models.CharField(max_length=60)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["pack", "section"]
        constraints = [
            models.UniqueConstraint(fields=["pack", "section"], name="commentary_one_a_section")
        ]

    def __str__(self) -> str:
        return f"Commentary on {self.section}"


class ChallengeStatus(models.TextChoices):
    OPEN = "open", "Waiting for an answer"
    ANSWERED = "answered", "Answered, waiting for the body"
    ACCEPTED = "accepted", "Answer accepted: closed"
    FURTHER = "further", "Challenged further: closed, followed by a new question"


class Challenge(BaseModel):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="challenges")
    raised_on = models.DateField(help_text="The meeting at which the body raised it")
    question = models.TextField()
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField()
    answer = models.TextField(blank=True)
    answered_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ChallengeStatus.choices, default=ChallengeStatus.OPEN
    )
    closed_on = models.DateField(null=True, blank=True)
    follows = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="followed_by"
    )

    class Meta:
        ordering = ["-raised_on", "due_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__gte=F("raised_on")), name="challenge_due_after_raised"
            ),
        ]

    def __str__(self) -> str:
        return f"Question of {self.raised_on}"

    def is_overdue(self, today) -> bool:
        return self.status == ChallengeStatus.OPEN and self.due_date < today
