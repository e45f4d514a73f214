"""Reads for data protection. A person's page here goes through ``people.selectors``'s access
function first (so opening the access history is itself logged), then this app's policy."""

from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from safeguard.accounts.models import Role
from safeguard.audit.models import AccessEvent, AccessPurpose
from safeguard.people import selectors as people
from safeguard.people.models import Person
from safeguard.privacy import permissions
from safeguard.privacy.models import LegalHold, RecordMark, SubjectAccessRequest
from safeguard.privacy.permissions import Action

PAGE_LIMIT = 500


def person_for(*, user, person_id, action: Action, request=None, reason: str = "") -> Person:
    """The person, read through the access function, if ``user`` may do ``action`` to them."""
    person = people.access_person(
        user=user, person_id=person_id, purpose=AccessPurpose.VIEW, request=request, reason=reason
    )
    if not permissions.can(user, action, person):
        raise PermissionDenied("You cannot see this")
    return person


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def access_events(
    person: Person, *, from_date: date | None = None, to_date: date | None = None
) -> QuerySet[AccessEvent]:
    """Who accessed ``person``'s record, newest first, between two dates (inclusive)."""
    qs = AccessEvent.objects.filter(person_id=person.pk).select_related("user")
    if from_date:
        qs = qs.filter(at__gte=_day_start(from_date))
    if to_date:
        qs = qs.filter(at__lt=_day_start(to_date + timedelta(days=1)))
    return qs.order_by("-at", "-id")


ACCESS_HEADER = ["When (UTC)", "Who", "Username", "Role", "What", "Reason", "Page", "From"]


def access_rows(events):
    purposes, roles = dict(AccessPurpose.choices), dict(Role.choices)
    for e in events:
        yield [
            e.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            str(e.user),
            e.user.username,
            roles.get(e.role, e.role),
            purposes.get(e.purpose, e.purpose),
            e.reason,
            e.route,
            e.ip_address or "",
        ]


def sar_for(*, user, sar_id) -> SubjectAccessRequest:
    sar = permissions.visible_to(user).select_related("person").filter(pk=sar_id).first()
    if sar is None:
        raise Http404("No such request")
    return sar


def sar_list(user) -> QuerySet[SubjectAccessRequest]:
    return permissions.visible_to(user).select_related("person").order_by("status", "due_date")


def legal_holds(person: Person) -> QuerySet[LegalHold]:
    return person.legal_holds.select_related("created_by", "lifted_by")


def record_marks(person: Person) -> QuerySet[RecordMark]:
    return person.record_marks.all()


def open_legal_hold(person: Person, hold_id) -> LegalHold | None:
    """The hold ``hold_id`` on ``person``'s record, if it has not been lifted."""
    return legal_holds(person).filter(pk=hold_id, lifted_on__isnull=True).first()


def people_named(person: Person, person_ids) -> list[Person]:
    """The people of ``person_ids`` in ``person``'s authority: the third parties named in
    ``person``'s subject access export. The caller shows them through ``access_people``."""
    return list(
        people.person_queryset().filter(pk__in=person_ids, authority_id=person.authority_id)
    )
