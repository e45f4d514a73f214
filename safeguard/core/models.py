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
