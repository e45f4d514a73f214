"""Reads about sealed records and break-glass: the record behind the seal and break-glass
pages, and the review queue."""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.people import permissions
from safeguard.people.models import BreakGlass, BreakGlassRefusal, Person, Seal
from safeguard.people.permissions import Action
from safeguard.people.selectors.access import access_person, person_queryset


def _in_authority(user) -> Exists:
    """Break-glass uses on people of the user's authority, asked of each use (there are few)
    rather than by joining every person of the authority first: SQLite keeps no statistics for
    an empty table and would start from the people."""
    return Exists(
        Person.objects.filter(pk=OuterRef("person_id"), authority_id=user.agency.authority_id)
    )


def break_glass_awaiting_review(*, user) -> QuerySet[BreakGlass]:
    """Break-glass uses in the user's authority awaiting a manager's review, oldest due first.
    Empty for anyone who may not review."""
    if not permissions.can(user, Action.REVIEW_BREAK_GLASS):
        return BreakGlass.objects.none()
    return (
        BreakGlass.objects.filter(reviewed_at__isnull=True)
        .filter(_in_authority(user))
        .select_related("user", "person")
        .order_by("review_due", "granted_at")
    )


def break_glass_reviewed(*, user, limit: int = 50) -> QuerySet[BreakGlass]:
    if not permissions.can(user, Action.REVIEW_BREAK_GLASS):
        return BreakGlass.objects.none()
    return (
        BreakGlass.objects.filter(reviewed_at__isnull=False)
        .filter(_in_authority(user))
        .select_related("user", "reviewed_by", "person")
        .order_by("-reviewed_at")[:limit]
    )


def break_glass_for_review(*, user, use_id: UUID) -> BreakGlass:
    """One break-glass use on the reviewer's authority's records, reviewed or not."""
    if not permissions.can(user, Action.REVIEW_BREAK_GLASS):
        raise Http404("No such break-glass use")
    use = (
        BreakGlass.objects.filter(pk=use_id, person__authority_id=user.agency.authority_id)
        .select_related("user", "person", "reviewed_by")
        .first()
    )
    if use is None:
        raise Http404("No such break-glass use")
    return use


def person_for_break_glass(*, user, person_id: UUID) -> Person | None:
    """The sealed person ``user`` may break glass on (nothing of it is shown: not logged as an
    access), ``None`` when they already see the record, or ``Http404``."""
    person = person_queryset().filter(pk=person_id).first()
    if person is None:
        raise Http404("No such person")
    if permissions.can(user, Action.VIEW, person):
        return None
    if not permissions.can(user, Action.BREAK_GLASS, person):
        raise Http404("No such person")
    return person


def person_for_seal(*, user, person_id: UUID, request=None) -> tuple[Person, bool]:
    """The person whose seal ``user`` may set or manage, and whether they see the record.
    A service manager who is not named manages the seal without seeing the record."""
    person = person_queryset().filter(pk=person_id).first()
    if person is None:
        raise Http404("No such person")
    if permissions.can(user, Action.VIEW, person):
        if not (
            permissions.can(user, Action.SEAL, person)
            or permissions.can(user, Action.MANAGE_SEAL, person)
        ):
            raise PermissionDenied("You cannot seal this record")
        access_person(user=user, person_id=person.pk, purpose="view", request=request)
        return person, True
    if permissions.can(user, Action.MANAGE_SEAL, person):
        return person, False
    # Restricted page or not found, as for any page about the person.
    access_person(user=user, person_id=person.pk, purpose="view", request=request)
    raise Http404("No such person")  # pragma: no cover - access_person has raised


def break_glass_refusals(*, user, limit: int = 20):
    """Recent refused break-glass attempts on the authority's records, for reviewers."""
    if not permissions.can(user, Action.REVIEW_BREAK_GLASS):
        return BreakGlassRefusal.objects.none()
    ids = Person.objects.filter(authority_id=user.agency.authority_id).values("id")
    return BreakGlassRefusal.objects.filter(person_id__in=ids).select_related("user")[:limit]


def running_grant(*, user, person: Person) -> BreakGlass | None:
    """``user``'s break-glass grant on ``person`` still running, the latest to expire."""
    return (
        BreakGlass.objects.filter(user=user, person=person, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .first()
    )


def named_on_seal(seal: Seal, user_id):
    """The member of staff ``user_id`` (as posted) if they are named on ``seal``, else None."""
    return User.objects.filter(pk__in=seal.members.values("user_id"), pk=user_id or 0).first()
