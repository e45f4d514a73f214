"""How long free text may be: one rule for every form, service and API input.

Three kinds of free text, each with its own limit:

- ``LINE``: one line (a name, an agency, a subject): single-line text inputs;
- ``REASON``: a reason or a short note (why a hold is placed, a break-glass reason), given to
  the form field as its ``max_length``;
- ``NARRATIVE``: a case note, an analysis, a plan: every multi-line text box.

Forms built on ``core.forms.GovukForm`` give every text field without a ``max_length`` the
limit of its kind, refuse longer text with the GOV.UK message, and show the limit (the GOV.UK
character count, which is a hint without JavaScript). Services are held to the same limits
when they save: every record of the apps in ``CHECKED_APPS`` is checked before it is written
(``check_lengths``, run on ``pre_save`` and by ``core.concurrency.save_versioned``), so a
service refuses over-long text with an ``ApplicationError`` naming the field, and its
transaction stores nothing. A model ``CharField`` is held to its own ``max_length``, a
``TextField`` to its ``max_length`` if it has one and to ``NARRATIVE`` otherwise.
"""

from django.db import models
from django.db.models.signals import pre_save
from django.utils.text import capfirst

from safeguard.core.errors import ApplicationError

LINE = 200
REASON = 2_000
NARRATIVE = 20_000

# The apps whose records hold what staff type.
CHECKED_APPS = frozenset(
    {
        "people",
        "casework",
        "documents",
        "referrals",
        "earlyhelp",
        "assessments",
        "protection",
        "privacy",
        "transfers",
        "partners",
        "backlog",
    }
)


def too_long(label: str, limit: int) -> str:
    """The GOV.UK message for text over its limit."""
    return f"{capfirst(label)} must be {limit:,} characters or fewer"


def model_field_limit(field) -> int | None:
    """The most characters a model field may hold, or None if it is not text."""
    if isinstance(field, models.TextField):
        return field.max_length or NARRATIVE
    if isinstance(field, models.CharField):
        return field.max_length
    return None


def check_lengths(obj) -> None:
    """Refuse ``obj`` if any of its text fields is over its limit (``ApplicationError``)."""
    for field in obj._meta.concrete_fields:
        limit = model_field_limit(field)
        if limit is None:
            continue
        value = getattr(obj, field.attname, None)
        if isinstance(value, str) and len(value) > limit:
            raise ApplicationError(too_long(str(field.verbose_name), limit), field=field.name)


def _check_before_save(sender, instance, raw=False, **kwargs) -> None:
    if not raw and sender._meta.app_label in CHECKED_APPS:
        check_lengths(instance)


def connect() -> None:
    """Check every record of ``CHECKED_APPS`` before it is saved (``CoreConfig.ready``)."""
    pre_save.connect(_check_before_save, dispatch_uid="safeguard.core.limits")


def applies_to(obj) -> bool:
    return obj._meta.app_label in CHECKED_APPS
