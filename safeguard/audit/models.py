"""Append-only records of who read and who changed what.

``AccessEvent`` is written for every person a page or API call returns, in the same
transaction as the read. ``ChangeEvent`` is written by every service that changes a domain
record, in the same transaction as the change. Neither is ever updated or deleted: database
triggers refuse it (migration 0003, docs/decisions/0006), and each row is hash-chained to the
one before it (``chain.py``), so ``safeguard verify-audit`` finds any row changed or removed
behind the application's back.
"""

from django.conf import settings
from django.db import models, router, transaction
from django.utils import timezone

from safeguard.audit.chain import ChainedManager, chain_rows


class ChainedEvent(models.Model):
    """An append-only row with its place (``sequence``) and ``hash`` in its table's chain."""

    at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    objects = ChainedManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError(f"{self._meta.label} is append-only: rows are never changed")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            chain_rows(type(self), [self], using)
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{self._meta.label} is append-only: rows are never deleted")


class AccessPurpose(models.TextChoices):
    VIEW = "view", "Viewed the record"
    SEARCH = "search", "Found in a search"
    LIST = "list", "Listed on a work page"
    EDIT = "edit", "Opened to change"
    API = "api", "Returned by the API"


class AccessEvent(ChainedEvent):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The role at the time of access: roles change, the log must not.
    role = models.CharField(max_length=40)
    # The person whose record was returned. Kept as a plain id so that the log outlives any
    # change to the record and never blocks its lawful deletion.
    person_id = models.UUIDField(db_index=True)
    purpose = models.CharField(max_length=20, choices=AccessPurpose.choices)
    route = models.CharField(max_length=300, help_text="The page or API call")
    reason = models.CharField(max_length=500, blank=True, help_text="Why, when the user gave one")
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["user", "at"], name="access_user_at"),
            # Who accessed this record, newest first (docs/performance.md, issue 13 item 5).
            models.Index(fields=["person_id", "at"], name="access_person_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.purpose} {self.person_id}"


class ChangeVerb(models.TextChoices):
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    ENDED = "ended", "Ended"


class ChangeEvent(ChainedEvent):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    role = models.CharField(max_length=40, blank=True)
    verb = models.CharField(max_length=20, choices=ChangeVerb.choices)
    target_type = models.CharField(max_length=100, help_text="app_label.model")
    target_id = models.CharField(max_length=64)
    # The person the change concerns, so a person's whole history is one query.
    person_id = models.UUIDField(null=True, db_index=True)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="change_target"),
            # The person page's record history: the kinds of record a person's events are
            # about, then their newest events (docs/performance.md, issue 13 item 5).
            models.Index(fields=["person_id", "target_type"], name="change_person_type"),
            models.Index(fields=["person_id", "at"], name="change_person_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb} {self.target_type} {self.target_id}"

    @property
    def changed_fields(self) -> list[str]:
        before, after = self.before or {}, self.after or {}
        return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
