"""The people policy: the one place that says who may see and change a person's record.

Children's social care staff see the people of their own authority. Partner staff (police,
health, education, voluntary sector, unscheduled care) see only people with whom they, or a
team they belong to, have an open involvement. System administrators manage accounts and see
no one's record.

A sealed record (``Seal``; docs/decisions/0005-sealed-records.md) narrows this: only staff
named on the seal, and social care staff holding an unexpired break-glass grant, see it.
Other social care staff of the authority may learn that a restricted record exists
(``restricted_to``) but see nothing of it; partners and other authorities see nothing.
"""

from enum import StrEnum

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from safeguard.accounts.roles import (
    MANAGER_ROLES,
    RECORDING_ROLES,
    Role,
    is_social_care_staff,
    leads_early_help,
)
from safeguard.people.models import BreakGlass, Involvement, Person, Seal, SealMember


class Action(StrEnum):
    VIEW = "view"
    SEARCH = "search"
    CREATE = "create"
    EDIT = "edit"
    SEAL = "seal"
    MANAGE_SEAL = "manage_seal"
    BREAK_GLASS = "break_glass"
    # Review break-glass uses: the queue (no person), or the uses on one person's record.
    REVIEW_BREAK_GLASS = "review_break_glass"
    # Alert flags on adults (decision 0048): seen by children's social care staff who see the
    # person; raised and ended by those who record. Partners do not see them.
    SEE_ALERTS = "see_alerts"
    RAISE_ALERT = "raise_alert"
    # A partner practitioner of an agency that leads early help creates a child's record to
    # start early help, their own involvement recorded with it (decision 0081); or, with the
    # family's consent, records a lead practitioner's involvement with a child they see.
    CREATE_INVOLVED = "create_involved"
    ADD_LEAD = "add_lead"


def _open_involvement(user) -> Q:
    """The people ``user`` or one of their teams (of their agency) is involved with today.
    The user's teams are a subquery of the same statement, not a list read first: a page asks
    this several times (decision 0059)."""
    today = timezone.localdate()
    by_whom = Q(involvements__worker=user) | Q(
        involvements__team_id__in=user.teams.values("id"), involvements__agency_id=user.agency_id
    )
    return by_whom & Involvement.open_on(today, prefix="involvements__")


# Read-only grants registered by higher apps (decision 0042): each is a pair of functions,
# ``ids(user)``, a query of the person ids ``user`` may read today through that grant (None,
# without a query, when it grants ``user`` nothing), and ``reasons(user, person_ids)``, what
# the access log says of each such read ({person id: reason}).
_GRANTS: list[tuple] = []


def register_grant(ids, reasons) -> None:
    """Let a higher app grant sight of some people to users who hold no role that sees them
    (an inspector reads the children of their inspection's sample). A grant only adds people
    to see: it never unseals a record and never allows a change (``Action.EDIT``)."""
    if (ids, reasons) not in _GRANTS:
        _GRANTS.append((ids, reasons))


def _granted(user):
    """The person ids the registered grants give ``user`` now, or None if they give none."""
    queries = [q for q in (ids(user) for ids, _ in _GRANTS) if q is not None]
    if not queries:
        return None
    q = Q(pk__in=queries[0])
    for more in queries[1:]:
        q |= Q(pk__in=more)
    return q


def grant_reasons(user, person_ids) -> dict:
    """Why ``user`` reads each of ``person_ids`` through a grant: {person id: reason}, so
    that each access event says which grant (which inspection) the read was made under."""
    found: dict = {}
    for _, reasons in _GRANTS:
        found.update(reasons(user, person_ids) or {})
    return found


def _base_visible(user) -> QuerySet[Person]:
    """Every person ``user`` could see if no record were sealed."""
    if not (user.is_authenticated and user.is_active and user.agency_id):
        return Person.objects.none()
    if is_social_care_staff(user):
        return Person.objects.filter(authority_id=user.agency.authority_id)
    if user.is_partner:
        ids = Person.objects.filter(_open_involvement(user)).values("id")
        return Person.objects.filter(id__in=ids)
    granted = _granted(user)
    if granted is not None:
        return Person.objects.filter(granted, authority_id=user.agency.authority_id)
    return Person.objects.none()


def _sealed_ids():
    return Seal.objects.filter(unsealed_at__isnull=True).values("person_id")


def _named_ids(user):
    return SealMember.objects.filter(user=user, seal__unsealed_at__isnull=True).values(
        "seal__person_id"
    )


def _granted_ids(user, now=None):
    return BreakGlass.objects.filter(user=user, expires_at__gt=now or timezone.now()).values(
        "person_id"
    )


def _unlocked(user) -> Q:
    return Q(pk__in=_named_ids(user)) | Q(pk__in=_granted_ids(user))


def visible_to(user) -> QuerySet[Person]:
    """Every person whose record ``user`` may see."""
    base = _base_visible(user)
    if not is_social_care_staff(user):
        # Partners cannot be named on a seal nor break glass: a sealed record is closed to them.
        return base.exclude(pk__in=_sealed_ids())
    return base.filter(~Q(pk__in=_sealed_ids()) | _unlocked(user))


def visible_q(user, ref: str) -> Q | None:
    """``visible_to(user)`` for social care staff, as a condition on ``ref`` (a foreign key to
    a person, such as ``"child_id"``) in a query over another table: the person's authority and
    seal asked of each row, rather than a list of every person the user may see (which SQLite
    builds in full, over the whole borough, before the first row). None for anyone else: their
    visibility depends on more than the authority and the seal (use ``visible_to``)."""
    if not (user.is_authenticated and user.is_active and user.agency_id):
        return None
    if not is_social_care_staff(user):
        return None
    person = ref.removesuffix("_id")
    return Q(**{f"{person}__authority_id": user.agency.authority_id}) & (
        ~Q(**{f"{ref}__in": _sealed_ids()})
        | Q(**{f"{ref}__in": _named_ids(user)})
        | Q(**{f"{ref}__in": _granted_ids(user)})
    )


def restricted_to(user) -> QuerySet[Person]:
    """Sealed records ``user`` may know exist but not see: social care staff of the
    authority who are neither named nor hold a grant. Empty for everyone else."""
    if not is_social_care_staff(user):
        return Person.objects.none()
    return _base_visible(user).filter(pk__in=_sealed_ids()).exclude(_unlocked(user))


def sealed_from(user, person_ids) -> set:
    """Those of ``person_ids`` under a seal that keeps ``user`` out (not named, no running
    break-glass grant). For work that writes to many children without showing them, such as
    the census import: it must leave such a child alone, whoever runs it."""
    return set(
        Person.objects.filter(pk__in=list(person_ids))
        .filter(pk__in=_sealed_ids())
        .exclude(_unlocked(user))
        .values_list("pk", flat=True)
    )


def sealed_from_q(user, ref: str) -> Q:
    """``sealed_from`` as a condition on ``ref`` (a foreign key to a person) in a query over
    another table: true where the person the row names is under a seal that keeps ``user`` out.
    A row that names nobody is not sealed from anyone."""
    sealed = Q(**{f"{ref}__in": _sealed_ids()})
    if not is_social_care_staff(user):
        return sealed
    return (
        sealed & ~Q(**{f"{ref}__in": _named_ids(user)}) & ~Q(**{f"{ref}__in": _granted_ids(user)})
    )


# Where ``seen_by`` notes, on a person read for one request, that they had no open seal.
_UNSEALED = "_safeguard_unsealed"


def open_seal(person: Person) -> Seal | None:
    if person.__dict__.get(_UNSEALED):
        return None
    return Seal.objects.filter(person=person, unsealed_at__isnull=True).first()


def seen_by(user, person_ids) -> dict:
    """Which of ``person_ids`` ``user`` may see, each with whether their record is sealed:
    ``{person id: sealed}``, in one query (the access functions' first question)."""
    return dict(
        visible_to(user)
        .filter(pk__in=list(person_ids))
        .annotate(sealed=_has_open_seal("pk"))
        .values_list("pk", "sealed")
    )


def _has_open_seal(ref: str) -> Exists:
    """Whether the person a row names (``ref``) has an open seal: ``seen_by``'s second answer."""
    return Exists(Seal.objects.filter(person=OuterRef(ref), unsealed_at__isnull=True))


def seen_annotations(user, ref: str = "pk") -> dict:
    """``seen_by``'s question asked inside another query (for ``QuerySet.annotate``), of the
    person each row names (``ref``): ``seen_visible`` (``user`` may see them) and
    ``seen_sealed`` (their record has an open seal). The page's first read then answers it
    with no query of its own (``seen_in``)."""
    return {
        "seen_visible": Exists(visible_to(user).filter(pk=OuterRef(ref))),
        "seen_sealed": _has_open_seal(ref),
    }


def seen_in(row, person_id) -> dict:
    """``seen_by``'s answer for ``person_id`` from a row read with ``seen_annotations``."""
    return {person_id: row.seen_sealed} if row.seen_visible else {}


def note_seen(user, person: Person, sealed: bool) -> None:
    """Keep on this copy of ``person``, just read by the access function for one request,
    what ``seen_by`` found, so that the page's later questions (``can`` view by each app's
    policy, ``open_seal``) are not asked of the database again."""
    person.__dict__.setdefault(_VIEWERS, set()).add(user.pk)
    if not sealed:
        person.__dict__[_UNSEALED] = True


def forget_seen(person: Person) -> None:
    """Drop what ``note_seen`` kept: a seal has been made, lifted or changed."""
    person.__dict__.pop(_VIEWERS, None)
    person.__dict__.pop(_UNSEALED, None)


def is_named(user, person: Person) -> bool:
    return SealMember.objects.filter(
        user=user, seal__person=person, seal__unsealed_at__isnull=True
    ).exists()


def break_glass_reasons(user, person_ids, *, sealed=None) -> dict:
    """For the people of ``person_ids`` that ``user`` sees only through break-glass, the
    reason of the grant, so that every access event during it carries that reason.
    ``sealed``: those of them with an open seal, when already known (``seen_by``)."""
    if sealed is None:
        sealed = set(
            Seal.objects.filter(unsealed_at__isnull=True, person_id__in=person_ids).values_list(
                "person_id", flat=True
            )
        )
    else:
        sealed = set(sealed) & set(person_ids)
    if not sealed:
        return {}
    named = set(
        _named_ids(user)
        .filter(seal__person_id__in=sealed)
        .values_list("seal__person_id", flat=True)
    )
    grants = BreakGlass.objects.filter(
        user=user, person_id__in=sealed - named, expires_at__gt=timezone.now()
    ).order_by("granted_at")
    return {g.person_id: g.reason for g in grants}


# Where ``can`` keeps, on a person read for one request, the users it has found may view them.
_VIEWERS = "_safeguard_viewers"


def can(user, action: Action, person: Person | None = None) -> bool:
    """May ``user`` do ``action`` (to ``person``, when the action concerns one)?"""
    if not (user.is_authenticated and user.is_active and user.agency_id):
        return False
    records = is_social_care_staff(user, roles=RECORDING_ROLES)
    if action == Action.CREATE:
        return records
    if action == Action.CREATE_INVOLVED:
        return leads_early_help(user)
    if action == Action.ADD_LEAD:
        return (
            person is not None
            and (records or leads_early_help(user))
            and can(user, Action.VIEW, person)
        )
    if action == Action.SEARCH:
        return user.is_social_care or user.is_partner
    if action == Action.REVIEW_BREAK_GLASS:
        # Team and service managers of children's social care, on their authority's records.
        authority_id = person.authority_id if person is not None else None
        return is_social_care_staff(user, roles=MANAGER_ROLES, authority_id=authority_id)
    if person is None:
        return False
    if action in (Action.EDIT, Action.RAISE_ALERT):
        return records and person.authority_id == user.agency.authority_id
    if action == Action.SEE_ALERTS:
        return is_social_care_staff(user, authority_id=person.authority_id) and can(
            user, Action.VIEW, person
        )
    if action == Action.VIEW:
        # Already answered by the access function for this copy of the person, read for this
        # request (``note_seen``)? Otherwise asked of the database, and not kept.
        if user.pk in person.__dict__.get(_VIEWERS, ()):
            return True
        return visible_to(user).filter(pk=person.pk).exists()
    manager = is_social_care_staff(user, roles=MANAGER_ROLES, authority_id=person.authority_id)
    if action == Action.SEAL:
        return manager and open_seal(person) is None and can(user, Action.VIEW, person)
    if action == Action.MANAGE_SEAL:
        # A manager named on the seal, or any service manager (so that no seal is left
        # without someone who can manage it).
        if not manager or open_seal(person) is None:
            return False
        return user.role == Role.SERVICE_MANAGER or is_named(user, person)
    if action == Action.BREAK_GLASS:
        return restricted_to(user).filter(pk=person.pk).exists()
    return False
