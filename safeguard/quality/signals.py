"""After a change to any of a child's records, recheck that child once the transaction
commits. Lower apps cannot import this app, so the hooks are Django's model signals, connected
in ``QualityConfig.ready``. A check never makes a save fail: it runs after the commit, and
``recheck_quietly`` logs instead of raising.

Two hooks, one check per child per transaction:

- **Every service write** records a ``ChangeEvent`` naming the person it concerns, in the
  same transaction (architecture.md, "Writes go through services"), whether the record was
  saved with ``save()`` or with the conditional ``UPDATE`` of ``save_versioned`` (which sends
  no ``post_save``). The event's ``post_save`` is therefore the one signal every service
  write sends, whatever record it changed (decision 0019).
- ``post_save``/``post_delete`` of the child's records themselves, for writes made outside a
  service (tests, the shell).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from safeguard.assessments.models import Assessment
from safeguard.audit.models import ChangeEvent
from safeguard.casework.models import Allocation, Case, CINPlan, Visit
from safeguard.people.models import Person
from safeguard.protection.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    Section47Enquiry,
    StrategyDiscussion,
)

# Model -> how to get the child's id from an instance without a query.
CHILD_OF = {
    Person: lambda obj: obj.pk,
    Case: lambda obj: obj.child_id,
}
CASE_STEPS = (
    Allocation, Assessment, CINPlan, Visit, StrategyDiscussion, Section47Enquiry,
    ChildProtectionConference, ChildProtectionPlan,
)  # fmt: skip


class _Recheck:
    """The on-commit callback for one child; it carries the id so that a transaction that
    saves many of a child's records registers one check."""

    def __init__(self, person_id):
        self.person_id = person_id
        self.done = False

    def __call__(self):
        from safeguard.quality.services import recheck_quietly

        self.done = True
        recheck_quietly(self.person_id)


def _person_id(sender, instance):
    if sender in CHILD_OF:
        return CHILD_OF[sender](instance)
    case_id = getattr(instance, "case_id", None)
    if case_id is None:
        return None
    return Case.objects.filter(pk=case_id).values_list("child_id", flat=True).first()


def schedule(person_id) -> None:
    connection = transaction.get_connection()
    pending = getattr(connection, "run_on_commit", [])
    for entry in pending:
        callback = entry[1]
        if getattr(callback, "person_id", None) == person_id and not callback.done:
            return
    transaction.on_commit(_Recheck(person_id), robust=True)


def _changed(sender, instance, raw=False, **kwargs):
    if raw or not getattr(settings, "QUALITY_CHECK_ON_SAVE", True):
        return
    try:
        person_id = _person_id(sender, instance)
    except Exception:  # noqa: BLE001 - never let the hook break the save
        return
    if person_id is not None:
        schedule(person_id)


def _change_recorded(sender, instance, created=False, raw=False, **kwargs):
    """A service recorded a change concerning ``instance.person_id``: recheck them."""
    if raw or not created or not getattr(settings, "QUALITY_CHECK_ON_SAVE", True):
        return
    if instance.person_id is not None:
        schedule(instance.person_id)


def connect() -> None:
    for model in (*CHILD_OF, *CASE_STEPS):
        uid = f"quality-{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
    post_save.connect(
        _change_recorded, sender=ChangeEvent, dispatch_uid="quality-audit.changeevent-save"
    )
