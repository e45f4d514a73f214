"""Finding people: the search (sounds-like and close spellings of names, identifiers, dates of
birth), the restricted records a search meets, and possible duplicates."""

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from safeguard.audit.services import record_access
from safeguard.core.client_ip import client_ip
from safeguard.people import names, permissions
from safeguard.people.identifiers import clean_la_child_id, clean_nhs_number
from safeguard.people.models import Person, PersonName
from safeguard.people.selectors.access import request_route

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
    # Sealed records are few: read which they are first, and match the search on those
    # alone, rather than look the name up across the borough a second time.
    sealed = list(permissions.restricted_to(user).values_list("pk", flat=True))
    if not sealed:
        return []
    found = _search(
        Person.objects.filter(pk__in=sealed),
        name=name,
        date_of_birth=date_of_birth,
        nhs_number=nhs_number,
        local_id=local_id,
        few=True,
    )
    if found:
        record_access(
            by=user,
            person_ids=[p.pk for p in found],
            purpose="search",
            route=request_route(request),
            ip_address=client_ip(request),
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
    few: bool = False,
) -> list[Person]:
    """``few``: ``qs`` is a handful of people, checked as they are (no index look-up of the
    name first)."""
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
            fields = ("given", "family")
        else:
            # Two or more words: one must be like the given name and one like the family
            # name (in either order), on the record itself or on one of its other names.
            loose = (given("") & family("")) | (given("other_names__") & family("other_names__"))
            fields = ("family",)
        # Neither database can answer the OR of these from an index, and would read every
        # person to check it: first the people any of its indexed parts finds, then the
        # whole condition on those alone.
        filters &= loose if few else loose & Q(pk__in=_name_candidates(keys, prefixes, fields))
    elif not (nhs_number or local_id or date_of_birth):
        return []
    if not tokens:
        return _shown(qs.filter(filters).distinct()[:SEARCH_LIMIT])
    # Score the candidates on their names alone (a match is a few of them), then read the
    # records of those shown.
    candidates = list(
        qs.filter(filters)
        .distinct()
        .order_by()
        .values_list("pk", "given_names", "family_name")[:CANDIDATE_LIMIT]
    )
    others: dict = {}
    for person_id, given_names, family_name in PersonName.objects.filter(
        person_id__in=[pk for pk, _, _ in candidates]
    ).values_list("person_id", "given_names", "family_name"):
        others.setdefault(person_id, []).append((given_names, family_name))
    threshold = SINGLE_WORD_THRESHOLD if len(tokens) == 1 else NAME_MATCH_THRESHOLD
    scored = []
    for pk, given_names, family_name in candidates:
        score = names.name_score(name, given_names, family_name)
        for other_given, other_family in others.get(pk, ()):
            score = max(score, names.name_score(name, other_given, other_family))
        if score >= threshold:
            scored.append((-score, family_name, given_names, pk))
    best = [pk for *_, pk in sorted(scored)[:SEARCH_LIMIT]]
    shown = {p.pk: p for p in _shown(Person.objects.filter(pk__in=best))}
    return [shown[pk] for pk in best if pk in shown]


def _shown(people: QuerySet[Person]) -> list[Person]:
    """The records a search shows, with what the results page names."""
    return list(
        people.select_related("authority").prefetch_related(
            Prefetch("other_names", queryset=PersonName.objects.all())
        )
    )


def _name_candidates(keys: set[str], prefixes: set[str], fields: tuple[str, ...]):
    """The ids of people with a name (their own or another they are known by) whose phonetic
    key is one of ``keys`` or that starts with one of ``prefixes``, in any case, on the
    ``fields`` ("given", "family") asked: a union of index look-ups (the keys' indexes and
    the lower-cased names' indexes, ``people.models``). A prefix is asked as a range of the
    lower-cased name, which both databases answer from an index where ``LIKE`` is not.

    With only "family" asked (a search of two words or more, where one word must be like
    the given name and another like the family name), each look-up of a family name also
    keeps only the names whose given name is like a word: on the same index, which holds
    the lower-cased given name and its key beside the family name, so the rows of a common
    beginning ("Ma") are never read.
    """

    def ranged(field: str, prefix: str) -> Q:
        after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return Q(**{f"lowered_{field}__gte": prefix, f"lowered_{field}__lt": after})

    given_like = Q(given_key__in=keys) if keys else Q(pk__in=[])
    for prefix in prefixes:
        given_like |= ranged("given", prefix)
    parts = []
    for model, id_field in ((Person, "pk"), (PersonName, "person_id")):
        names_of = model.objects.alias(
            lowered_given=Lower("given_names"), lowered_family=Lower("family_name")
        ).order_by()
        for field in fields:
            lookups = [Q(**{f"{field}_key__in": keys})] if keys else []
            lookups += [ranged(field, prefix) for prefix in sorted(prefixes)]
            for lookup in lookups:
                if fields == ("family",):
                    lookup &= given_like
                parts.append(names_of.filter(lookup).values(id_field))
    first, *rest = parts
    return first.union(*rest) if rest else first


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


def known_elsewhere(
    *, user, family_name: str, date_of_birth: date | None, nhs_number: str = ""
) -> bool:
    """Whether the authority of ``user`` holds a record, which ``user`` may not see, that may
    be the person about to be created (a family name that sounds the same and the same date
    of birth, or the same NHS number). For a partner creating a child (decision 0081): the
    answer is one yes or no, never who, how many, nor whether the record is sealed, so that
    the partner learns nothing of a child they are not involved with."""
    match = Q()
    if family_name and date_of_birth:
        match |= Q(
            Q(date_of_birth=date_of_birth) | Q(expected_date_of_birth=date_of_birth),
            family_key=names.phonetic_key(family_name),
        )
    if nhs_number:
        match |= Q(nhs_number=clean_nhs_number(nhs_number))
    if not match:
        return False
    return (
        Person.objects.filter(match, authority_id=user.agency.authority_id)
        .exclude(pk__in=permissions.visible_to(user).values("pk"))
        .exists()
    )
