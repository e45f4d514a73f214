"""Reads of cases. ``access_case`` is the only way a page or API call gets a case: it logs the
access to the child through the people access function, then checks the casework policy."""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from safeguard.casework import permissions
from safeguard.casework.models import Case, ChronologyEntry
from safeguard.casework.permissions import Action
from safeguard.people import selectors as people


@transaction.atomic
def access_case(
    *, user, case_id: UUID, purpose: str, request=None, action: Action = Action.VIEW
) -> Case:
    """The case, for ``user`` to ``action``; its child's access is logged. Raises Http404 when
    the user may not know of it, PermissionDenied when they may see but not act."""
    case = Case.objects.select_related("child", "authority").filter(pk=case_id).first()
    if case is None or not permissions.can(user, Action.VIEW, case):
        raise Http404("No such case")
    people.access_person(user=user, person_id=case.child_id, purpose=purpose, request=request)
    if action != Action.VIEW and not permissions.can(user, action, case):
        raise PermissionDenied("You cannot do this on this case")
    return case


def cases_of_child(*, user, child) -> list[Case]:
    """The child's cases the user may see, newest first (the child is already accessed)."""
    return list(permissions.visible_to(user).filter(child=child).order_by("-referral_date"))


def chronology_of(child) -> list[ChronologyEntry]:
    """The child's chronology in event-date order, with annotations."""
    return list(
        ChronologyEntry.objects.filter(child=child)
        .select_related("created_by", "case")
        .prefetch_related("annotations__created_by")
        .order_by("event_date", "created_at")
    )


def open_case_of(child) -> Case | None:
    return Case.objects.filter(child=child, closure_date__isnull=True).first()


__all__ = ["access_case", "cases_of_child", "chronology_of", "open_case_of", "PermissionDenied"]
