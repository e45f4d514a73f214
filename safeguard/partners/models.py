"""Keys for the partners' API, and the record of every child-protection lookup.

The answer to a lookup is never stored: it is read from the live record each time (issue 17:
nobody keeps a list). What is kept is who asked, how, and whether a child was found, so that
keys can be rate-limited and a lookup that found nobody is on record too (it has no person
for the access log).
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone


class Scope(models.TextChoices):
    CP_LOOKUP = "cp-lookup", "Child-protection lookup"


class Setting(models.TextChoices):
    """Where the clinician is working: the unscheduled-care settings of issue 17."""

    EMERGENCY_DEPARTMENT = "emergency_department", "Emergency department"
    URGENT_CARE = "urgent_care", "Urgent treatment centre or minor injuries unit"
    OUT_OF_HOURS = "out_of_hours", "GP out-of-hours service"
    MATERNITY = "maternity", "Maternity unit"
    AMBULANCE = "ambulance", "Ambulance service"


def hash_key(key: str) -> str:
    """The stored form of a key: SHA-256. A key is 256 random bits, so a fast hash is enough;
    a slow password hash would only slow every call."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ApiKey(models.Model):
    """An organisation's key to the API. Only its hash is kept; the key is shown once.

    ``account`` is the organisation's API account: the user the access log names for every
    call made with the key (it has no password and cannot sign in)."""

    organisation = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="api_keys"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_keys"
    )
    # The first characters of the key, shown in lists and the log so a key can be named
    # without revealing it.
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    rate_limit_per_minute = models.PositiveIntegerField(default=60)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.organisation})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def allows(self, scope: str) -> bool:
        return scope in self.scopes


class LookupWay(models.TextChoices):
    WEB = "web", "Lookup page"
    API = "api", "API (JSON)"
    FHIR = "fhir", "API (FHIR Flag)"


class LookupAnswer(models.TextChoices):
    CURRENT_PLAN = "current_plan", "On a child protection plan now"
    RECENT_PLAN = "recent_plan", "On a child protection plan in the last 12 months"
    NO_PLAN = "no_plan", "No plan now or in the last 12 months"
    NOT_FOUND = "not_found", "No child found"
    SEVERAL = "several", "More than one child matched"


class Lookup(models.Model):
    """One child-protection lookup: by whom, how, and what it answered. Never the search
    terms themselves (an NHS number, a name), which would make this a second index of
    children."""

    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    api_key = models.ForeignKey(
        ApiKey, on_delete=models.PROTECT, related_name="lookups", null=True, blank=True
    )
    way = models.CharField(max_length=10, choices=LookupWay.choices)
    by_nhs_number = models.BooleanField()
    setting = models.CharField(max_length=30, choices=Setting.choices, blank=True)
    answer = models.CharField(max_length=20, choices=LookupAnswer.choices)
    # Plain ids, as in the access log: the record of a lookup never blocks a lawful deletion.
    person_id = models.UUIDField(null=True, blank=True)
    notified = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-at"]
        indexes = [
            # The calls a key made in the last minute (its rate limit).
            models.Index(fields=["api_key", "at"], name="lookup_key_at"),
            models.Index(fields=["person_id", "at"], name="lookup_person_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.way} {self.answer}"
