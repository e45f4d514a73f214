"""Reads for the front door. A page gets a contact only through ``access_contact``, and the
child of a front-door page through ``casework.selectors.access_child`` (the front door is
part of the case file: partners are turned away before the read is logged); lists of
contacts show their children through ``people.selectors.show_rows``."""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from safeguard.audit.models import AccessPurpose
from safeguard.casework import permissions as casework_permissions
from safeguard.casework import selectors as casework
from safeguard.casework.models import Case, priority_rank_expression
from safeguard.core.workdays import add_months, working_days_between
from safeguard.people import permissions as people_permissions
from safeguard.people.selectors import family_children, seen_in_rows, show_rows
from safeguard.referrals import permissions
from safeguard.referrals.models import (
    Contact,
    ContactGroup,
    Referral,
    ThresholdIndicator,
    ThresholdLevel,
)
from safeguard.referrals.permissions import Action

FRONT_DOOR_LIMIT = 200


def access_contact(
    *, user, contact_id: UUID, request=None, action: Action = Action.VIEW, related=()
) -> Contact:
    """The contact, for ``user`` to ``action``, with its child read (and the access logged)
    through ``casework.selectors.access_child``: 404 for those who may not know of it, 403
    for those who may see it but not act. ``related``: more single records to read with it."""
    contact = (
        Contact.objects.select_related(
            "level", "decided_by", "manager", "created_by", "priority_set_by", *related
        )
        .filter(pk=contact_id)
        .first()
    )
    if contact is None:
        raise Http404("No such contact")
    contact.child = casework.access_child(
        user=user, person_id=contact.child_id, request=request, action=action
    )
    return contact


# What followed a contact, read with it on its page: the referral that opened a case, or the
# early help assessment it led to (a higher app's record, named by its reverse relation).
CONTACT_PAGE_JOINS = ("referral", "early_help_assessment")


@transaction.atomic
def contact_page(*, user, contact_id: UUID, request=None) -> Contact:
    """The contact for its page (issue 16 item 5): every field of it, what followed it, and
    its threshold indicators (one query), through ``access_contact``."""
    contact = access_contact(
        user=user, contact_id=contact_id, request=request, related=CONTACT_PAGE_JOINS
    )
    prefetch_related_objects([contact], "indicators")
    return contact


def access_contact_group(
    *, user, group_id: UUID, request=None, action: Action = Action.RECORD
) -> ContactGroup:
    """A contact about several children (decision 0065), for ``user`` to ``action``, with its
    contacts (``group.shown``) about the children ``user`` may see, each child logged, and
    the number left out (``group.hidden``: a sealed child). As ``access_contact`` answers:
    404 for those who may not know of it (partners, another authority, nobody of it shown),
    403 for those who may see it but not act. A fixed number of queries, whatever the
    number of children."""
    if not permissions.can(user, Action.VIEW, authority_id=user.authority_id):
        raise Http404("No such contact")
    group = ContactGroup.objects.filter(pk=group_id, authority_id=user.authority_id).first()
    if group is None:
        raise Http404("No such contact")
    contacts = list(
        group.contacts.select_related(
            "child__authority",
            "level",
            "decided_by",
            "manager",
            "created_by",
            "priority_set_by",
            "referral",
        )
        .annotate(**people_permissions.seen_annotations(user, "child_id"))
        .order_by("child__date_of_birth", "child__given_names")
    )
    action = casework_permissions.Action(action)
    shown = show_rows(
        user=user,
        rows=contacts,
        purpose=casework.purpose_of(action),
        request=request,
        reason=f"Contact about several children {group.pk}",
        seen=seen_in_rows(contacts, lambda contact: contact.child_id),
    )
    if not shown.rows:
        raise Http404("No such contact")
    if action != Action.VIEW and not permissions.can(user, action, group):
        raise PermissionDenied("You cannot record at the front door")
    group.shown, group.hidden = shown.rows, shown.hidden
    return group


def family_for_contact(*, user, child, on: date, request=None) -> tuple[list, int]:
    """The children a contact about ``child`` may also concern: the other children of their
    family that ``user`` may see (``people.selectors.family_children``, each logged), and how
    many were left out."""
    shown = family_children(
        user=user, child=child, on=on, request=request, purpose=AccessPurpose.EDIT
    )
    return shown.rows, shown.hidden


def contact_of_child(child, contact_id: UUID) -> Contact:
    """One of the child's contacts (the child already accessed), or 404."""
    contact = Contact.objects.filter(pk=contact_id, child_id=child.pk).first()
    if contact is None:
        raise Http404("No such contact")
    return contact


def awaiting_decision(*, user, request=None, limit: int = FRONT_DOOR_LIMIT) -> list[Contact]:
    """The authority's contacts awaiting a decision, at most ``limit`` of them: by priority
    (red, amber, not rated, green), then oldest first. Red contacts all have the same number
    of hours to their decision, so the overdue ones come first. Those whose child ``user``
    may not see are left out, and each child shown is logged."""
    waiting = (
        Contact.objects.filter(authority_id=user.authority_id, outcome="")
        .select_related("child", "created_by", "priority_set_by")
        .annotate(priority_order=priority_rank_expression())
        .order_by(
            "priority_order",
            "contact_date",
            F("received_at").asc(nulls_first=True),
            "created_at",
        )[:limit]
    )
    return show_rows(
        user=user, rows=waiting, request=request, reason="Awaiting a front-door decision"
    ).rows


@dataclass(frozen=True)
class FrontDoorRow:
    """A contact awaiting a decision, with how long it has waited and, for a red contact, its
    clock in hours: ``due_at`` (the authority's standard after its receipt) and ``clock``
    ("due by 14:30 Sat 5 December, 5 hours left" or "overdue by 3 hours")."""

    contact: Contact
    waiting: int
    due_at: datetime | None
    clock: str
    overdue: bool


def _span(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    return f"{hours} hour{'s' if hours != 1 else ''}"


def decision_clock(due_at: datetime, now: datetime) -> tuple[str, bool]:
    """The words for a red contact's clock at ``now``, and whether it is overdue."""
    left = (due_at - now).total_seconds()
    if left < 0:
        return f"overdue by {_span(-left)}", True
    local = timezone.localtime(due_at)
    return f"due by {local:%H:%M %a} {local.day} {local:%B}, {_span(left)} left", False


def front_door_rows(contacts: list[Contact], *, hours: int, now: datetime) -> list[FrontDoorRow]:
    """The front door's rows at ``now``, with each red contact's clock of ``hours`` clock
    hours (``LocalAuthority.red_contact_decision_hours``); other contacts keep the working-day
    count. No queries."""
    today = timezone.localtime(now).date()
    rows = []
    for contact in contacts:
        due_at = contact.decision_due_at(hours)
        clock, overdue = decision_clock(due_at, now) if due_at is not None else ("", False)
        waiting = working_days_between(contact.contact_date, today)
        rows.append(FrontDoorRow(contact, waiting, due_at, clock, overdue))
    return rows


def threshold_levels(authority) -> QuerySet[ThresholdLevel]:
    return (
        ThresholdLevel.objects.filter(authority=authority, disabled_on__isnull=True)
        .prefetch_related("indicators")
        .order_by("number")
    )


def threshold_level_versions(authority_id, number: int) -> list[ThresholdLevel]:
    """Every version of level ``number``, newest first (the current one, if any, first), each
    with all its indicators, retired ones too: the level's history (decision 0074)."""
    return list(
        ThresholdLevel.objects.filter(authority_id=authority_id, number=number)
        .prefetch_related(
            Prefetch("indicators", queryset=ThresholdIndicator.objects.order_by("pk"))
        )
        .order_by("-pk")
    )


def threshold_indicator(authority_id, indicator_id) -> ThresholdIndicator | None:
    """An indicator still offered, of a current level of the authority, with its level."""
    return (
        ThresholdIndicator.objects.filter(
            pk=indicator_id,
            disabled_on__isnull=True,
            level__authority_id=authority_id,
            level__disabled_on__isnull=True,
        )
        .select_related("level")
        .first()
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


def open_cases_of(children) -> dict:
    """Each of ``children``'s open case, if any (``{child id: case}``), in one query: the
    decision of a family's contact passes a child with an open case to its holder."""
    ids = [child.pk for child in children]
    return {
        case.child_id: case
        for case in Case.objects.filter(child_id__in=ids, closure_date__isnull=True)
    }


def earlier_referrals_of(children, *, before: date, months: int = 12) -> dict:
    """``earlier_referrals`` for each of ``children`` (``{child id: [referral]}``), in one
    query."""
    since = add_months(before, -months)
    found: dict = {}
    for referral in (
        Referral.objects.filter(
            case__child_id__in=[child.pk for child in children],
            received_date__gte=since,
            received_date__lt=before,
        )
        .select_related("case", "decided_by")
        .order_by("-received_date")
    ):
        found.setdefault(referral.case.child_id, []).append(referral)
    return found
