"""Reads for the front door. A page gets a contact only through ``access_contact``, and the
child of a front-door page through ``casework.selectors.access_child`` (the front door is
part of the case file: partners are turned away before the read is logged); lists of
contacts show their children through ``people.selectors.show_rows``."""

from datetime import date
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from safeguard.casework import selectors as casework
from safeguard.core.workdays import add_months
from safeguard.people.selectors import show_rows
from safeguard.referrals.models import Contact, Referral, ThresholdLevel
from safeguard.referrals.permissions import Action

FRONT_DOOR_LIMIT = 200


def access_contact(
    *, user, contact_id: UUID, request=None, action: Action = Action.VIEW
) -> Contact:
    """The contact, for ``user`` to ``action``, with its child read (and the access logged)
    through ``casework.selectors.access_child``: 404 for those who may not know of it, 403
    for those who may see it but not act."""
    contact = (
        Contact.objects.select_related("level", "decided_by", "manager", "created_by")
        .filter(pk=contact_id)
        .first()
    )
    if contact is None:
        raise Http404("No such contact")
    contact.child = casework.access_child(
        user=user, person_id=contact.child_id, request=request, action=action
    )
    return contact


def contact_of_child(child, contact_id: UUID) -> Contact:
    """One of the child's contacts (the child already accessed), or 404."""
    contact = Contact.objects.filter(pk=contact_id, child_id=child.pk).first()
    if contact is None:
        raise Http404("No such contact")
    return contact


def awaiting_decision(*, user, request=None, limit: int = FRONT_DOOR_LIMIT) -> list[Contact]:
    """The authority's contacts awaiting a decision, oldest first, at most ``limit`` of them;
    those whose child ``user`` may not see are left out, and each child shown is logged."""
    waiting = (
        Contact.objects.filter(authority_id=user.authority_id, outcome="")
        .select_related("child", "created_by")
        .order_by("contact_date", "created_at")[:limit]
    )
    return show_rows(
        user=user, rows=waiting, request=request, reason="Awaiting a front-door decision"
    ).rows


def threshold_levels(authority) -> QuerySet[ThresholdLevel]:
    return (
        ThresholdLevel.objects.filter(authority=authority, disabled_on__isnull=True)
        .prefetch_related("indicators")
        .order_by("number")
    )


def earlier_referrals(child, *, before: date, months: int = 12) -> QuerySet[Referral]:
    """The child's referrals in the ``months`` before ``before``, newest first, with outcomes:
    shown at the decision so that a pattern of re-referral is seen."""
    since = add_months(before, -months)
    return (
        Referral.objects.filter(
            case__child=child, received_date__gte=since, received_date__lt=before
        )
        .select_related("case", "decided_by")
        .order_by("-received_date")
    )
