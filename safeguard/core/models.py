"""Abstract bases for domain models. Core holds no domain models of its own."""

import uuid

from django.conf import settings
from django.db import models


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
