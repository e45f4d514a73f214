"""Reads of people. Every read that returns a person goes through ``access_person`` or
``access_people``, which check the policy and log the access in the same transaction."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from safeguard.audit.models import AccessEvent, AccessPurpose
from safeguard.audit.services import record_access
from safeguard.people import names, permissions
from safeguard.people.identifiers import clean_la_child_id, clean_nhs_number
from safeguard.people.models import (
    BreakGlass,
    Involvement,
    Person,
    PersonName,
    Relationship,
    Residence,
)
from safeguard.people.permissions import Action


class RecordRestricted(Http404):
    """The person exists and the user may know it, but the record is sealed to them. Pages
    answer with the "This record is restricted" page (``people.middleware``); anything that
    treats it as a plain ``Http404`` (the API) shows nothing either."""

    def __init__(self, person: Person):
        super().__init__("This record is restricted")
        self.person = person


def _client_ip(request) -> str | None:
    from safeguard.core.client_ip import client_ip

    return client_ip(request)


def _route(request) -> str:
    if request is None:
        return ""
    return f"{request.method} {request.get_full_path()}"


def person_queryset() -> QuerySet[Person]:
    return Person.objects.select_related("authority")


@transaction.atomic
def access_person(*, user, person_id: UUID, purpose: str, request=None, reason: str = "") -> Person:
    """Fetch one person for ``user``, check the policy and log the access, or raise.

    Raises ``Http404`` when there is no such person or the user may not know of them, and
    ``AccessLogUnavailable`` when the access event cannot be written.
    """
    person = person_queryset().filter(pk=person_id).first()
    if person is None:
        raise Http404("No such person")
    if not permissions.can(user, Action.VIEW, person):
        if permissions.restricted_to(user).filter(pk=person.pk).exists():
            raise RecordRestricted(person)
        raise Http404("No such person")
    glass = permissions.break_glass_reasons(user, [person.pk]).get(person.pk)
    if glass:
        reason = f"Break-glass: {glass}" + (f" ({reason})" if reason else "")
    record_access(
        by=user,
        person_ids=[person.pk],
        purpose=purpose,
        route=_route(request),
        ip_address=_client_ip(request),
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
    ids = {p.pk for p in people}
    allowed = visible_ids(user, ids)
    hidden = ids - allowed
    for person in people:
        if person.pk in hidden:
            person.withhold()
    glass = permissions.break_glass_reasons(user, allowed)
    plain = [pid for pid in dict.fromkeys(p.pk for p in people) if pid in allowed - set(glass)]
    if plain:
        record_access(
            by=user,
            person_ids=plain,
            purpose=purpose,
            route=_route(request),
            ip_address=_client_ip(request),
            reason=reason,
        )
    for pid, why in glass.items():
        record_access(
            by=user,
            person_ids=[pid],
            purpose=purpose,
            route=_route(request),
            ip_address=_client_ip(request),
            reason=f"Break-glass: {why}" + (f" ({reason})" if reason else ""),
        )
    if hidden:
        record_access(
            by=user,
            person_ids=sorted(hidden, key=str),
            purpose=purpose,
            route=_route(request),
            ip_address=_client_ip(request),
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
) -> ShownRows:
    """The one way to show a list of rows about children (due items, quality issues,
    unallocated cases, the children behind a figure) assembled from another app's records.

    ``child(row)`` is the row's child (a ``Person``; select it with the rows). Rows whose child
    ``user`` may not see (a sealed record, another authority's child) are dropped and only
    counted, never named; each child shown is logged once, however many rows they have, in
    one transaction with the rest of the read (``access_people``).
    """
    rows = list(rows)
    allowed = visible_ids(user, {child(row).pk for row in rows})
    shown = [row for row in rows if child(row).pk in allowed]
    children = list({child(row).pk: child(row) for row in shown}.values())
    access_people(user=user, people=children, purpose=purpose, request=request, reason=reason)
    return ShownRows(rows=shown, hidden=len(rows) - len(shown))


def person_for_edit(*, user, person_id: UUID, request=None) -> Person:
    person = access_person(user=user, person_id=person_id, purpose="edit", request=request)
    if not permissions.can(user, Action.EDIT, person):
        raise PermissionDenied("You cannot change this record")
    return person


# --- Search ---------------------------------------------------------------------------------

SEARCH_LIMIT = 50
# A one-word search must match that word closely; a two-word search may be looser on each.
NAME_MATCH_THRESHOLD = 0.84
SINGLE_WORD_THRESHOLD = 0.88
CANDIDATE_LIMIT = 5000


def person_search(
    *,
    user,
    name: str = "",
    date_of_birth: date | None = None,
    nhs_number: str = "",
    local_id: str = "",
) -> list[Person]:
    """People visible to ``user`` that match, best first. Does not log: the caller shows the
    results through ``access_people``.

    A name matches when its words sound like, or are spelled close to, the person's given and
    family names in either order ("Jon Smyth" finds John Smith, and so does "Smith John").
    """
    return _search(
        permissions.visible_to(user),
        name=name,
        date_of_birth=date_of_birth,
        nhs_number=nhs_number,
        local_id=local_id,
    )


def restricted_matches(
    *,
    user,
    name: str = "",
    date_of_birth: date | None = None,
    nhs_number: str = "",
    local_id: str = "",
    request=None,
) -> list[Person]:
    """Sealed records that match the same search but that ``user`` may not see: the page
    says only that a restricted record matches, with its neutral reference. Each match is
    logged as found in a search, saying nothing was shown."""
    found = _search(
        permissions.restricted_to(user),
        name=name,
        date_of_birth=date_of_birth,
        nhs_number=nhs_number,
        local_id=local_id,
    )
    if found:
        record_access(
            by=user,
            person_ids=[p.pk for p in found],
            purpose="search",
            route=_route(request),
            ip_address=_client_ip(request),
            reason="Restricted record matched a search; nothing of it was shown",
        )
    return found


def _search(
    qs: QuerySet[Person],
    *,
    name: str = "",
    date_of_birth: date | None = None,
    nhs_number: str = "",
    local_id: str = "",
) -> list[Person]:
    filters = Q()
    if nhs_number:
        filters &= Q(nhs_number=clean_nhs_number(nhs_number))
    if local_id:
        filters &= Q(la_child_id__iexact=clean_la_child_id(local_id))
    if date_of_birth:
        filters &= Q(date_of_birth=date_of_birth) | Q(expected_date_of_birth=date_of_birth)
    tokens = names.name_tokens(name)
    if tokens:
        keys = names.token_keys(name)
        # Keys differ when a misspelling changes a sound ("Smtih"): also keep names that start
        # the same way as a typed word, and let the scorer decide.
        # One word must start alike for three letters; with two words that must both match,
        # two letters are enough ("Jonh Smith" still finds John Smith).
        prefixes = {t[: 3 if len(tokens) == 1 else 2] for t in tokens}

        def like(path: str, key_field: str, name_field: str) -> Q:
            q = Q(**{f"{path}{key_field}__in": keys})
            for prefix in prefixes:
                q |= Q(**{f"{path}{name_field}__istartswith": prefix})
            return q

        def given(path: str) -> Q:
            return like(path, "given_key", "given_names")

        def family(path: str) -> Q:
            return like(path, "family_key", "family_name")

        if len(tokens) == 1:
            loose = given("") | family("") | given("other_names__") | family("other_names__")
        else:
            # Two or more words: one must be like the given name and one like the family
            # name (in either order), on the record itself or on one of its other names.
            loose = (given("") & family("")) | (given("other_names__") & family("other_names__"))
        filters &= loose
    elif not (nhs_number or local_id or date_of_birth):
        return []
    candidates = list(
        qs.filter(filters)
        .distinct()
        .select_related("authority")
        .prefetch_related(Prefetch("other_names", queryset=PersonName.objects.all()))[
            :CANDIDATE_LIMIT
        ]
    )
    if not tokens:
        return candidates[:SEARCH_LIMIT]
    threshold = SINGLE_WORD_THRESHOLD if len(tokens) == 1 else NAME_MATCH_THRESHOLD
    scored = []
    for person in candidates:
        score = names.name_score(name, person.given_names, person.family_name)
        for other in person.other_names.all():
            score = max(score, names.name_score(name, other.given_names, other.family_name))
        if score >= threshold:
            scored.append((score, person))
    scored.sort(key=lambda pair: (-pair[0], pair[1].family_name, pair[1].given_names))
    return [person for _, person in scored[:SEARCH_LIMIT]]


def duplicate_groups(people: list[Person]) -> dict:
    """Map each person to the others in ``people`` who may be the same person.

    Two records are possible duplicates when their family names sound alike and they share a
    date of birth (or expected date of birth), or when they share an NHS number.
    """
    flagged: dict = {}
    for i, a in enumerate(people):
        for b in people[i + 1 :]:
            if _may_be_same(a, b):
                flagged.setdefault(a.pk, []).append(b)
                flagged.setdefault(b.pk, []).append(a)
    return flagged


def _birth(p: Person):
    return p.date_of_birth or p.expected_date_of_birth


def _may_be_same(a: Person, b: Person) -> bool:
    if a.nhs_number and a.nhs_number == b.nhs_number:
        return True
    return bool(_birth(a)) and _birth(a) == _birth(b) and a.family_key == b.family_key


def possible_duplicates_of(
    *, user, family_name: str, date_of_birth: date | None, exclude_id=None
) -> QuerySet[Person]:
    """People visible to ``user`` with a family name that sounds the same and the same date of
    birth: candidates to check before creating a new record, or to flag on a record."""
    if not (family_name and date_of_birth):
        return Person.objects.none()
    qs = permissions.visible_to(user).filter(
        Q(date_of_birth=date_of_birth) | Q(expected_date_of_birth=date_of_birth),
        family_key=names.phonetic_key(family_name),
    )
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return qs


def restricted_duplicates_of(*, user, family_name: str, date_of_birth: date | None) -> list:
    """Sealed records the user may not see that could be the same person: creating a new
    record for them would copy a sealed child's details into an unsealed record."""
    if not (family_name and date_of_birth):
        return []
    return list(
        permissions.restricted_to(user).filter(
            Q(date_of_birth=date_of_birth) | Q(expected_date_of_birth=date_of_birth),
            family_key=names.phonetic_key(family_name),
        )
    )


# --- The person page ------------------------------------------------------------------------


def person_relationships(person: Person) -> list[dict]:
    """Both directions of the person's relationships, read from this person's side."""
    from safeguard.people.codes import RELATIONSHIP_INVERSE_LABEL, RelationshipKind

    rows = []
    outgoing = Relationship.objects.filter(person=person).select_related("other")
    for rel in outgoing:
        # "person is parent of other": from here, other is this person's child.
        rows.append({"other": rel.other, "label": RELATIONSHIP_INVERSE_LABEL[rel.kind], "rel": rel})
    incoming = Relationship.objects.filter(other=person).select_related("person")
    for rel in incoming:
        rows.append({"other": rel.person, "label": RelationshipKind(rel.kind).label, "rel": rel})
    rows.sort(key=lambda r: (r["rel"].end_date is not None, r["label"], r["other"].family_name))
    return rows


def person_residences(person: Person) -> QuerySet[Residence]:
    return person.residences.select_related("address").order_by("-start_date")


def household_on(person: Person, on: date) -> list[Person]:
    """Other people living at the person's current address on ``on``."""
    current = [r for r in person_residences(person) if r.is_open_on(on)]
    if not current:
        return []
    address_ids = [r.address_id for r in current]
    others = (
        Residence.objects.filter(Residence.open_on(on), address_id__in=address_ids)
        .exclude(person=person)
        .select_related("person")
    )
    return sorted({r.person for r in others}, key=lambda p: (p.family_name, p.given_names))


def person_involvements(person: Person) -> QuerySet[Involvement]:
    return person.involvements.select_related("agency", "team", "worker").order_by(
        "end_date", "-start_date"
    )


def person_timeline(person: Person, visible_ids=None) -> list[dict]:
    """Dated events in the person's life and record, newest first. With ``visible_ids``, a
    relationship to anyone else (a sealed sibling, say) is left out."""
    events: list[dict] = []
    if person.date_of_birth:
        events.append({"date": person.date_of_birth, "what": "Born", "source": ""})
    elif person.expected_date_of_birth:
        events.append(
            {"date": person.expected_date_of_birth, "what": "Expected date of birth", "source": ""}
        )
    if person.date_of_death:
        events.append({"date": person.date_of_death, "what": "Died", "source": ""})
    for res in person_residences(person):
        events.append({"date": res.start_date, "what": f"Moved to {res.address}", "source": ""})
        if res.end_date:
            events.append({"date": res.end_date, "what": f"Left {res.address}", "source": ""})
    for inv in person_involvements(person):
        who = inv.worker or inv.team or inv.agency
        events.append(
            {"date": inv.start_date, "what": f"{inv.role}: {who} involved", "source": inv.agency}
        )
        if inv.end_date:
            events.append(
                {"date": inv.end_date, "what": f"{inv.role}: {who} ended", "source": inv.agency}
            )
    for row in person_relationships(person):
        rel = row["rel"]
        if visible_ids is not None and row["other"].pk not in visible_ids:
            continue
        if rel.start_date:
            events.append(
                {"date": rel.start_date, "what": f"{row['label']}: {row['other']}", "source": ""}
            )
    events.sort(key=lambda e: e["date"], reverse=True)
    return events


def person_history(*, user, person: Person, limit: int = 50) -> list:
    """The record history ``user`` may see, in plain words (``people.history``)."""
    from safeguard.people import history

    return history.visible_history(user=user, person=person, limit=limit)


def person_recent_access(person: Person, limit: int = 20) -> QuerySet[AccessEvent]:
    return AccessEvent.objects.filter(person_id=person.pk).select_related("user")[:limit]


def people_involved_with(*, user) -> QuerySet[Person]:
    """People with an open involvement naming ``user``: the worker's own caseload."""
    from django.utils import timezone

    today = timezone.localdate()
    return (
        permissions.visible_to(user)
        .filter(
            Involvement.open_on(today, prefix="involvements__"),
            involvements__worker=user,
        )
        .distinct()
        .order_by("family_name", "given_names")
    )


# --- Break-glass review queue ---------------------------------------------------------------


def break_glass_awaiting_review(*, user) -> QuerySet[BreakGlass]:
    """Break-glass uses in the user's authority awaiting a manager's review, oldest due first.
    Empty for anyone who may not review."""
    if not permissions.can_review_break_glass(user):
        return BreakGlass.objects.none()
    return (
        BreakGlass.objects.filter(
            reviewed_at__isnull=True, person__authority_id=user.agency.authority_id
        )
        .select_related("user", "person")
        .order_by("review_due", "granted_at")
    )


def break_glass_reviewed(*, user, limit: int = 50) -> QuerySet[BreakGlass]:
    if not permissions.can_review_break_glass(user):
        return BreakGlass.objects.none()
    return (
        BreakGlass.objects.filter(
            reviewed_at__isnull=False, person__authority_id=user.agency.authority_id
        )
        .select_related("user", "reviewed_by", "person")
        .order_by("-reviewed_at")[:limit]
    )


def break_glass_for_review(*, user, use_id: UUID) -> BreakGlass:
    """One break-glass use on the reviewer's authority's records, reviewed or not."""
    if not permissions.can_review_break_glass(user):
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
    from safeguard.people.models import BreakGlassRefusal

    if not permissions.can_review_break_glass(user):
        return BreakGlassRefusal.objects.none()
    ids = Person.objects.filter(authority_id=user.agency.authority_id).values("id")
    return BreakGlassRefusal.objects.filter(person_id__in=ids).select_related("user")[:limit]
