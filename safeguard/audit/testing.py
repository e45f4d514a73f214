"""Helpers for tests that need the audit tables in a given state.

They lift the append-only guard (``guard.lifted``) inside their own transaction, as the
``flush`` command does; nothing outside tests calls them.
"""

from django.db import transaction

from safeguard.audit import guard
from safeguard.audit.models import AccessEvent


def clear_access_log() -> None:
    """Empty the access log, so that a test counts only the reads it makes itself."""
    with transaction.atomic(), guard.lifted():
        AccessEvent.objects.all().delete()


def tamper(model, pk, **fields) -> None:
    """Change an audit row behind the application's back, as someone at the database could."""
    with transaction.atomic(), guard.lifted():
        model._base_manager.filter(pk=pk).update(**fields)


def remove(model, pk) -> None:
    with transaction.atomic(), guard.lifted():
        model._base_manager.filter(pk=pk).delete()
