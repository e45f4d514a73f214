"""The establishment: each team's posts, and who fills each post when (issue 14 item 7,
decision 0044).

A post is a job a team is funded for, open from ``start_date`` to ``end_date`` (the day it no
longer exists), worth ``fte`` of a full-time job. Each spell a worker fills it is a
``PostHolder`` (from the day they start to the day after they leave), permanent or agency. A
post with nobody in it on a day is vacant that day. Capacity, vacancy, agency and turnover
rates are all worked out from these two tables.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from safeguard.core.models import BaseModel, DatedSpan


class PostGrade(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    SENIOR_PRACTITIONER = "senior_practitioner", "Senior practitioner"
    ADVANCED_PRACTITIONER = "advanced_practitioner", "Advanced practitioner"
    TEAM_MANAGER = "team_manager", "Team manager"


class Post(BaseModel, DatedSpan):
    """A funded post in a team."""

    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="posts")
    grade = models.CharField(max_length=30, choices=PostGrade.choices)
    fte = models.DecimalField(
        "full-time equivalent",
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("1"))],
    )

    class Meta(DatedSpan.Meta):
        ordering = ["team", "start_date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_grade_display()} ({self.fte} FTE)"


class PostHolder(BaseModel, DatedSpan):
    """A worker in a post from ``start_date`` to the day after they left it (``end_date``;
    empty while they are in it). ``agency``: an agency (locum) worker, not the authority's
    own employee."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="holders")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts_held"
    )
    agency = models.BooleanField(default=False)

    class Meta(DatedSpan.Meta):
        ordering = ["post", "start_date", "pk"]
        constraints = [
            *DatedSpan.Meta.constraints,
            models.UniqueConstraint(
                fields=["post"], condition=models.Q(end_date__isnull=True), name="post_one_holder"
            ),
        ]
        indexes = [models.Index(fields=["worker", "end_date"], name="post_holder_worker")]

    def __str__(self) -> str:
        return f"In post from {self.start_date:%d %b %Y}"
