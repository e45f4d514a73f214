"""Posting a form: the one way every view saves what a user submitted.

A view builds its form from ``posted(request)`` and hands it to ``submit`` with the service
call that saves it. ``submit`` calls the service only for a valid POST; a refusal
(``ApplicationError``) goes onto the form, on its field when the form has one, so the page
is shown again with everything the user typed; a stale save (``StaleRecord``) also gets both
versions side by side (``form.conflict``, drawn by the ``audit`` app, which registers how)
and makes the response 409 Conflict.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages

from safeguard.core.concurrency import StaleRecord, stale_in_request
from safeguard.core.errors import ApplicationError

# Set by the audit app (``audit.apps``): builds the side-by-side comparison of a stale save
# from the record's change history, which core cannot read.
_describe_conflict: Callable | None = None


def register_conflict_describer(describe: Callable) -> None:
    global _describe_conflict
    _describe_conflict = describe


def posted(request):
    """The form data of a POST, or None for any other method. An empty POST is still a
    submission: it must show what is missing, not a fresh form."""
    return request.POST if request.method == "POST" else None


def form_error(form, error: ApplicationError) -> None:
    """Put a service's refusal on ``form``; a stale save also gets the side-by-side view."""
    if isinstance(error, StaleRecord):
        if _describe_conflict is not None:
            form.conflict = _describe_conflict(form, error)
            current = form.conflict.current_version
            if form.is_bound and current is not None:
                # Saving again is a deliberate choice over the record as it is now.
                form.data = form.data.copy()
                form.data[form.add_prefix("version")] = str(current)
        stale_in_request.set(True)
        form.add_error(None, error.message)
        return
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def submit(request, form, save: Callable[[dict], object], *, success=None):
    """Save a valid POST of ``form`` with ``save(form.cleaned_data)``.

    Returns what ``save`` returned (True when it returned nothing), or None when the form
    must be shown again: not a POST, invalid, or refused by the service (the refusal is on
    the form). ``success`` is the message shown after saving: a string, or a function of what
    ``save`` returned.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        made = save(form.cleaned_data)
    except ApplicationError as error:
        form_error(form, error)
        return None
    if success is not None:
        messages.success(request, success(made) if callable(success) else success)
    return True if made is None else made
