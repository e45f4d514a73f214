"""Optimistic concurrency: a save over a newer version of a record is refused, never lost.

Every domain record carries ``version`` (``BaseModel``), raised by one on each change. A form
that changes an existing record carries, in a hidden field, the version the user saw
(``versioned``); the service compares it (``expect_version``) and saves with a conditional
update (``save_versioned``: ``UPDATE … WHERE id = %s AND version = %s``), so a change made
between the read and the write is caught as well. Either refusal raises ``StaleRecord``.

The view turns ``StaleRecord`` into HTTP 409 with both versions side by side
(``safeguard.audit.conflicts``, which reads who made the other change from the change
history), keeping what the user typed in the form.
"""

from __future__ import annotations

from contextvars import ContextVar

from django import forms
from django.db import models
from django.utils import timezone

from safeguard.core import limits
from safeguard.core.errors import ApplicationError

STALE_MESSAGE = (
    "Someone else changed this record while you were editing it. Your changes have not been "
    "saved: compare them with the record as it is now, then save again."
)

# Set when a request's form met a StaleRecord, so that the response says 409 Conflict.
stale_in_request: ContextVar[bool] = ContextVar("stale_in_request", default=False)


class StaleRecord(ApplicationError):
    """The record changed since the user (or this request) read it."""

    def __init__(self, current: models.Model | None, *, seen_version: int):
        super().__init__(STALE_MESSAGE)
        self.current = current
        self.seen_version = seen_version


def expect_version(obj: models.Model, seen: int | None) -> None:
    """Refuse if the user saw another version than ``obj`` has now (``None``: not checked)."""
    if seen is not None and obj.version != seen:
        raise StaleRecord(obj, seen_version=seen)


def save_versioned(obj: models.Model) -> None:
    """Save a changed ``obj`` only if the stored row still has ``obj.version``, raising it.

    One conditional UPDATE: two writers that read the same version cannot both succeed.
    """
    model = type(obj)
    if limits.applies_to(obj):
        # A conditional update sends no pre_save: the text limits are checked here instead.
        limits.check_lengths(obj)
    expected = obj.version
    now = timezone.now()
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if getattr(field, "auto_now", False):
            setattr(obj, field.attname, now)
        values[field.attname] = getattr(obj, field.attname)
    values["version"] = expected + 1
    if model._base_manager.filter(pk=obj.pk, version=expected).update(**values) != 1:
        current = model._base_manager.filter(pk=obj.pk).first()
        raise StaleRecord(current, seen_version=expected)
    obj.version = expected + 1


def versioned(form: forms.Form, obj: models.Model) -> forms.Form:
    """Give ``form`` a hidden ``version`` field holding the version of ``obj`` shown."""
    form.fields["version"] = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0
    )
    form.initial["version"] = obj.version
    return form


def seen_version(data: dict) -> int | None:
    """Take the version the user saw out of a form's cleaned data."""
    return data.pop("version", None)
