"""The "this record changed while you were editing" page: both versions side by side.

Views hand a service's refusal to ``core.submission.form_error`` (usually through ``submit``).
For a ``StaleRecord`` that puts on the form (``form.conflict``, built here by ``describe``,
which the audit app registers) what the user typed and what is stored now, field by field,
and who made the changes since the version the user saw, and when (from the change history);
it moves the form's hidden version on to the current one, so that saving again is a
deliberate choice over the current record; and it marks the response 409. The user's entries
stay in the form, so nothing they typed is lost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone

from safeguard.audit.models import ChangeEvent
from safeguard.core.concurrency import StaleRecord


@dataclass
class ConflictRow:
    label: str
    yours: str
    stored: str

    @property
    def differs(self) -> bool:
        return self.yours != self.stored


@dataclass
class OtherChange:
    who: str
    at: dt.datetime
    verb: str
    fields: list[str]


@dataclass
class Conflict:
    record: str
    seen_version: int
    current_version: int | None
    rows: list[ConflictRow]
    changes: list[OtherChange]


def _show(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "j F Y H:i")
    if isinstance(value, dt.date):
        return formats.date_format(value, "j F Y")
    if isinstance(value, (list, tuple, set, models.QuerySet)):
        return ", ".join(sorted(str(v) for v in value)) or "–"
    return str(value)


def _stored(obj: models.Model, name: str, form_field) -> str:
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return "(not part of this record)"
    if field.many_to_many:
        return _show(list(getattr(obj, name).all()))
    if field.choices and not field.is_relation:
        return _show(getattr(obj, f"get_{name}_display")())
    return _show(getattr(obj, name))


def _yours(form, name: str) -> str:
    value = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
    field = form.fields[name]
    choices = dict(getattr(field, "choices", []) or [])
    if isinstance(value, (list, tuple)):
        return _show([choices.get(v, v) for v in value])
    if isinstance(value, (str, int)) and value in choices:
        return _show(choices[value])
    return _show(value)


def _label(obj: models.Model, name: str) -> str:
    try:
        return str(obj._meta.get_field(name).verbose_name).capitalize()
    except FieldDoesNotExist:
        return name.replace("_", " ").capitalize()


def describe(form, error: StaleRecord) -> Conflict:
    current = error.current
    rows, changes = [], []
    if current is not None:
        for name, field in form.fields.items():
            if name == "version" or field.widget.is_hidden:
                continue
            label = str(field.label or _label(current, name))
            rows.append(ConflictRow(label, _yours(form, name), _stored(current, name, field)))
        since = max(current.version - error.seen_version, 1)
        events = (
            ChangeEvent.objects.filter(
                target_type=current._meta.label_lower, target_id=str(current.pk)
            )
            .select_related("user")
            .order_by("-sequence")[:since]
        )
        for event in events:
            who = (event.user.get_full_name() or event.user.username) if event.user else "system"
            fields = [_label(current, f) for f in event.changed_fields]
            changes.append(OtherChange(who, event.at, event.get_verb_display(), fields))
    record = str(current._meta.verbose_name) if current is not None else "record"
    version = current.version if current is not None else None
    return Conflict(record, error.seen_version, version, rows, changes)
