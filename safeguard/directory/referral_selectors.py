"""Reads of referrals to services (issue 19 items 3 and 4). A page gets a child to refer, or a
referral, only through the access functions here: the child is read through the people
access function (which logs the access), then the directory policy's ``REFER`` is asked.
Waiting times are figures about services, never about a child."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber
from django.http import Http404

from safeguard.audit.models import AccessPurpose
from safeguard.core.workdays import add_months
from safeguard.directory import permissions
from safeguard.directory.codes import ReferralStatus
from safeguard.directory.models import Service, ServiceReferral
from safeguard.directory.permissions import Action
from safeguard.people import selectors as people

NOT_REFERRER = "Referrals to services are for those who record the child's early help or case file"


def _uses_directory(user) -> None:
    # Turned away before the child is read, so nothing is logged for them.
    if not permissions.can(user, Action.VIEW):
        raise Http404("No such record")


@transaction.atomic
def access_child_to_refer(*, user, person_id: UUID, request=None):
    """The child, for a new referral to a service; the access is logged. 404 for those who
    may not know of the child, 403 for those who see the child but may not refer."""
    _uses_directory(user)
    child = people.access_person(
        user=user, person_id=person_id, purpose=AccessPurpose.EDIT, request=request
    )
    if not permissions.can(user, Action.REFER, child):
        raise PermissionDenied(NOT_REFERRER)
    return child


@transaction.atomic
def access_service_referral(*, user, referral_id: UUID, request=None, edit: bool = False):
    """A referral to a service with its service, sender and case, and its child read through
    the people access function (logged as viewing, or as reading to record when ``edit``)."""
    _uses_directory(user)
    referral = (
        ServiceReferral.objects.select_related("service", "sent_by", "case")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404("No such referral")
    referral.child = people.access_person(
        user=user,
        person_id=referral.child_id,
        purpose=AccessPurpose.EDIT if edit else AccessPurpose.VIEW,
        request=request,
    )
    if not permissions.can(user, Action.REFER, referral.child):
        raise PermissionDenied(NOT_REFERRER)
    return referral


def referrable_service(user, service_id) -> Service | None:
    """A service of the user's directory, by id ("" or a bad id: None)."""
    try:
        pk = UUID(str(service_id))
    except (TypeError, ValueError):
        return None
    return permissions.visible_to(user).filter(pk=pk).first()


def referrals_of(user, child) -> list[ServiceReferral] | None:
    """The child's referrals to services, newest first, for the person page (the child
    already read through the access function): None for those who may not refer the child
    (analysts see services' counts and waits, never a child's referrals). One query."""
    if not permissions.can(user, Action.REFER, child):
        return None
    return list(
        ServiceReferral.objects.filter(child_id=child.pk)
        .select_related("service")
        .order_by("-sent_on", "-created_at")
    )


# --- Waiting times -------------------------------------------------------------------------

WAIT_MONTHS = 12
_WAIT = ExpressionWrapper(F("started_on") - F("sent_on"), output_field=DurationField())


@dataclass(frozen=True)
class ServiceWaits:
    service_id: UUID
    sent: int
    accepted: int
    declined: int
    median_days: float | None
    longest_days: int | None


def _days(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, timedelta):
        return value.days + value.seconds / 86400
    return float(value) / 86_400_000_000  # microseconds, on a backend without intervals


def _middle_wait(since: date, position):
    """The wait of the started referral at ``position`` (1-based, an expression of the
    window's count ``n``) in its service's order: one of the median's one or two middles."""
    ranked = (
        ServiceReferral.objects.filter(
            service_id=OuterRef("service_id"), sent_on__gte=since, started_on__isnull=False
        )
        .annotate(
            wait=_WAIT,
            rank=Window(RowNumber(), order_by=[_WAIT.copy(), F("pk").asc()]),
            n=Window(Count("pk")),
        )
        .filter(rank=position)
        .values("wait")[:1]
    )
    return Subquery(ranked, output_field=DurationField())


def service_waits(service_ids, *, on: date) -> dict[int, ServiceWaits]:
    """For each service of ``service_ids`` (a list, or a query of ids), its referrals sent in
    the 12 months to ``on``: how many sent, accepted (including those that went on to start,
    end or be withdrawn after acceptance), declined, and the median and longest calendar days
    from sent to started. One aggregate query; a service with no referral is not in the
    answer. A figure, not a read of any child: callers check who may see it."""
    since = add_months(on, -WAIT_MONTHS)
    rows = (
        ServiceReferral.objects.filter(
            service_id__in=service_ids, sent_on__gte=since, sent_on__lte=on
        )
        .values("service_id")
        .annotate(
            sent=Count("pk"),
            accepted=Count(
                "pk", filter=Q(decided_on__isnull=False) & ~Q(status=ReferralStatus.DECLINED)
            ),
            declined=Count("pk", filter=Q(status=ReferralStatus.DECLINED)),
            longest=Max(_WAIT),
            low=_middle_wait(since, (F("n") + 1) / 2),
            high=_middle_wait(since, (F("n") + 2) / 2),
        )
        .order_by("service_id")
    )
    answer = {}
    for row in rows:
        low, high = _days(row["low"]), _days(row["high"])
        longest = _days(row["longest"])
        answer[row["service_id"]] = ServiceWaits(
            service_id=row["service_id"],
            sent=row["sent"],
            accepted=row["accepted"],
            declined=row["declined"],
            median_days=(low + high) / 2 if low is not None and high is not None else None,
            longest_days=None if longest is None else round(longest),
        )
    return answer


@dataclass(frozen=True)
class WaitRow:
    service: Service
    waits: ServiceWaits | None

    def value(self, key: str):
        if key == "name":
            return self.service.name.lower()
        return getattr(self.waits, key, None) if self.waits else None


SORTS = {
    "name": "Service",
    "sent": "Referrals sent",
    "accepted": "Accepted",
    "declined": "Declined",
    "median_days": "Median days to start",
    "longest_days": "Longest days to start",
}


def waiting_times(user, *, on: date, sort: str = "name", descending: bool = False):
    """Every service of the user's directory with its figures (``service_waits``), sorted by
    ``sort`` (a key of ``SORTS``); services without a figure last. Two queries."""
    services = list(permissions.visible_to(user).order_by("name"))
    waits = service_waits([s.pk for s in services], on=on)
    rows = [WaitRow(service=s, waits=waits.get(s.pk)) for s in services]
    key = sort if sort in SORTS else "name"
    known = [r for r in rows if r.value(key) is not None]
    unknown = [r for r in rows if r.value(key) is None]
    known.sort(key=lambda r: (r.value(key), r.service.name.lower()), reverse=descending)
    return known + unknown
