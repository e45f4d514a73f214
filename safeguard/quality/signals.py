"""After a save (or delete) of any of a child's records, recheck that child once the
transaction commits. Lower apps cannot import this app, so the hook is Django's model
signals, connected in ``QualityConfig.ready``. A check never makes a save fail: it runs after
the commit, and ``recheck_quietly`` logs instead of raising."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from safeguard.assessments.models import Assessment
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


def connect() -> None:
    for model in (*CHILD_OF, *CASE_STEPS):
        uid = f"quality-{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
