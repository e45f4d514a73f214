"""The access function: every read that returns a person goes through ``access_person`` or
``access_people`` (or ``show_rows`` for rows about children), which check the policy and log
the access in the same transaction."""

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from safeguard.audit.models import AccessPurpose
from safeguard.audit.services import record_access
from safeguard.core.client_ip import client_ip
from safeguard.people import permissions
from safeguard.people.models import Person
from safeguard.people.permissions import Action


class RecordRestricted(Http404):
    """The person exists and the user may know it, but the record is sealed to them. Pages
    answer with the "This record is restricted" page (``people.middleware``); anything that
    treats it as a plain ``Http404`` (the API) shows nothing either."""

    def __init__(self, person: Person):
        super().__init__("This record is restricted")
        self.person = person


def request_route(request) -> str:
    """The page a read was made from, as the access log keeps it."""
    if request is None:
        return ""
    return f"{request.method} {request.get_full_path()}"


def person_queryset() -> QuerySet[Person]:
    return Person.objects.select_related("authority")


@transaction.atomic
def access_person(
    *,
    user,
    person_id: UUID,
    purpose: str,
    request=None,
    reason: str = "",
    read: Person | None = None,
    seen: dict | None = None,
) -> Person:
    """Fetch one person for ``user``, check the policy and log the access, or raise.

    Raises ``Http404`` when there is no such person or the user may not know of them, and
    ``AccessLogUnavailable`` when the access event cannot be written. ``read``: the person
    when the caller has just read them with another record (a case's child), so that they
    are not read twice; the policy is asked and the access logged all the same. ``seen``:
    what ``permissions.seen_by`` answers for them, when that record's query asked it too
    (``permissions.seen_annotations``).
    """
    if read is not None and read.pk == person_id:
        person = read
    else:
        # Who may see them is asked in the same query as the person is read.
        person = (
            person_queryset()
            .annotate(**permissions.seen_annotations(user))
            .filter(pk=person_id)
            .first()
        )
        seen = permissions.seen_in(person, person_id) if person is not None else None
    if person is None:
        raise Http404("No such person")
    if seen is None:
        seen = permissions.seen_by(user, [person.pk])
    if person.pk in seen:
        permissions.note_seen(user, person, seen[person.pk])
    # The policy's own question, answered from what seen_by found (and its checks of the
    # account itself).
    if person.pk not in seen or not permissions.can(user, Action.VIEW, person):
        if permissions.restricted_to(user).filter(pk=person.pk).exists():
            raise RecordRestricted(person)
        raise Http404("No such person")
    sealed = [person.pk] if seen[person.pk] else []
    glass = permissions.break_glass_reasons(user, [person.pk], sealed=sealed).get(person.pk)
    if glass:
        reason = f"Break-glass: {glass}" + (f" ({reason})" if reason else "")
    elif granted := permissions.grant_reasons(user, [person.pk]).get(person.pk):
        reason = granted + (f" ({reason})" if reason else "")
    record_access(
        by=user,
        person_ids=[person.pk],
        purpose=purpose,
        route=request_route(request),
        ip_address=client_ip(request),
        reason=reason,
    )
    return person


RESTRICTED_ROW_REASON = "Restricted record listed; nothing of it was shown"


@transaction.atomic
def access_people(
    *, user, people: list[Person], purpose: str, request=None, reason: str = ""
) -> list[Person]:
    """Log one access event for each person about to be shown to ``user``.

    ``people`` should come from ``permissions.visible_to(user)``. Anyone in it the user may
    not see (a sealed record met by a list assembled from another app's records: a subject
    access request, a sibling) is not refused but withheld: every copy of them in ``people``
    is emptied in place (``Person.withhold``) so the list shows that row as restricted, with
    its neutral reference, and goes on. Such a row is logged as listed with nothing shown.
    """
    if not people:
        return people
    seen = permissions.seen_by(user, {p.pk for p in people})
    return _log_people(
        user=user,
        people=people,
        allowed=set(seen),
        purpose=purpose,
        request=request,
        reason=reason,
        sealed={pk for pk, sealed in seen.items() if sealed},
    )


def _log_people(
    *, user, people: list[Person], allowed: set, purpose, request, reason, sealed=None
):
    """``access_people`` once ``allowed`` (those of ``people`` the user may see) is known;
    ``sealed``: those of them with an open seal, when known."""
    ids = {p.pk for p in people}
    hidden = ids - allowed
    for person in people:
        if person.pk in hidden:
            person.withhold()
    glass = permissions.break_glass_reasons(user, allowed, sealed=sealed)
    plain = [pid for pid in dict.fromkeys(p.pk for p in people) if pid in allowed - set(glass)]
    # Those read through a grant (an inspection) say which: one event each, with its reason.
    granted = permissions.grant_reasons(user, plain) if plain else {}
    plain = [pid for pid in plain if pid not in granted]
    if plain:
        record_access(
            by=user,
            person_ids=plain,
            purpose=purpose,
            route=request_route(request),
            ip_address=client_ip(request),
            reason=reason,
        )
    for pid, why in granted.items():
        record_access(
            by=user,
            person_ids=[pid],
            purpose=purpose,
            route=request_route(request),
            ip_address=client_ip(request),
            reason=why + (f" ({reason})" if reason else ""),
        )
    for pid, why in glass.items():
        record_access(
            by=user,
            person_ids=[pid],
            purpose=purpose,
            route=request_route(request),
            ip_address=client_ip(request),
            reason=f"Break-glass: {why}" + (f" ({reason})" if reason else ""),
        )
    if hidden:
        record_access(
            by=user,
            person_ids=sorted(hidden, key=str),
            purpose=purpose,
            route=request_route(request),
            ip_address=client_ip(request),
            reason=RESTRICTED_ROW_REASON,
        )
    return people


def visible_ids(user, person_ids) -> set:
    """Those of ``person_ids`` whose record ``user`` may see: for lists assembled from other
    apps' records (due lists, say) to drop what must not be shown."""
    return set(
        permissions.visible_to(user).filter(pk__in=list(person_ids)).values_list("pk", flat=True)
    )


@dataclass
class ShownRows:
    """What a list of rows about children shows one member of staff."""

    rows: list
    hidden: int  # rows left out because their child's record is closed to the viewer


def show_rows(
    *,
    user,
    rows,
    child: Callable = attrgetter("child"),
    purpose: str = AccessPurpose.LIST,
    request=None,
    reason: str = "",
    seen: dict | None = None,
) -> ShownRows:
    """The one way to show a list of rows about children (due items, quality issues,
    unallocated cases, the children behind a figure) assembled from another app's records.

    ``child(row)`` is the row's child (a ``Person``; select it with the rows). Rows whose child
    ``user`` may not see (a sealed record, another authority's child) are dropped and only
    counted, never named; each child shown is logged once, however many rows they have, in
    one transaction with the rest of the read (``access_people``). ``seen``: what
    ``permissions.seen_by`` answers for the rows' children, when the rows' own query asked it
    (``permissions.seen_annotations``; see ``seen_in_rows``).
    """
    rows = list(rows)
    if seen is None:
        seen = permissions.seen_by(user, {child(row).pk for row in rows}) if rows else {}
    shown = [row for row in rows if child(row).pk in seen]
    children = list({child(row).pk: child(row) for row in shown}.values())
    if children:
        # Every child shown is one ``user`` may see: logged as ``access_people`` would, without
        # asking the policy a second time.
        with transaction.atomic():
            _log_people(
                user=user,
                people=children,
                allowed={c.pk for c in children},
                purpose=purpose,
                request=request,
                reason=reason,
                sealed={pk for pk, sealed in seen.items() if sealed},
            )
    return ShownRows(rows=shown, hidden=len(rows) - len(shown))


def seen_in_rows(rows, child_id: Callable) -> dict:
    """``seen_by``'s answer for the children of ``rows`` read with
    ``permissions.seen_annotations`` (``child_id(row)``: the id of the row's child)."""
    return {child_id(row): row.seen_sealed for row in rows if row.seen_visible}


def person_for_edit(*, user, person_id: UUID, request=None) -> Person:
    person = access_person(user=user, person_id=person_id, purpose="edit", request=request)
    if not permissions.can(user, Action.EDIT, person):
        raise PermissionDenied("You cannot change this record")
    return person
