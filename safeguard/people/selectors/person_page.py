"""What the person page shows: relationships, addresses and household, involvements, the
timeline and the record history."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from safeguard.audit.models import AccessEvent, AccessPurpose
from safeguard.people import history, permissions
from safeguard.people.codes import RELATIONSHIP_INVERSE_LABEL, RelationshipKind
from safeguard.people.models import Involvement, Person, Relationship, Residence
from safeguard.people.selectors.access import show_rows


def person_relationships(person: Person) -> list[dict]:
    """Both directions of the person's relationships, read from this person's side: one
    query, whatever their number."""
    rows, incoming = [], []
    both = Relationship.objects.filter(Q(person=person) | Q(other=person)).select_related(
        "person", "other"
    )
    for rel in both:
        if rel.person_id == person.pk:
            # "person is parent of other": from here, other is this person's child.
            rows.append(
                {"other": rel.other, "label": RELATIONSHIP_INVERSE_LABEL[rel.kind], "rel": rel}
            )
        else:
            incoming.append(
                {"other": rel.person, "label": RelationshipKind(rel.kind).label, "rel": rel}
            )
    rows += incoming  # as before: this person's own relationships first, at equal sort keys
    rows.sort(key=lambda r: (r["rel"].end_date is not None, r["label"], r["other"].family_name))
    return rows


def person_residences(person: Person) -> QuerySet[Residence]:
    return person.residences.select_related("address").order_by("-start_date")


def residences_around(person: Person) -> tuple[list[Residence], list[Residence]]:
    """The person's residences (newest first) and everyone else's at those addresses, in one
    query: what the person page's addresses and household are made from."""
    addresses = Residence.objects.filter(person=person).values("address_id")
    both = Residence.objects.filter(address_id__in=addresses).select_related("address", "person")
    own = sorted(
        (r for r in both if r.person_id == person.pk), key=lambda r: r.start_date, reverse=True
    )
    return own, [r for r in both if r.person_id != person.pk]


def household_on(person: Person, on: date, residences=None, others=None) -> list[Person]:
    """Other people living at the person's current address on ``on``. ``residences``: the
    person's residences, and ``others``: everyone else's at those addresses (from
    ``residences_around``), when already read."""
    if residences is None:
        residences = person_residences(person)
    current = [r for r in residences if r.is_open_on(on)]
    if not current:
        return []
    address_ids = {r.address_id for r in current}
    if others is None:
        others = (
            Residence.objects.filter(Residence.open_on(on), address_id__in=address_ids)
            .exclude(person=person)
            .select_related("person")
        )
    else:
        others = [r for r in others if r.address_id in address_ids and r.is_open_on(on)]
    return sorted({r.person for r in others}, key=lambda p: (p.family_name, p.given_names))


def person_involvements(person: Person) -> QuerySet[Involvement]:
    return person.involvements.select_related("agency", "team", "worker").order_by(
        "end_date", "-start_date"
    )


def person_timeline(
    person: Person,
    visible_ids=None,
    *,
    residences=None,
    involvements=None,
    relationships=None,
) -> list[dict]:
    """Dated events in the person's life and record, newest first. With ``visible_ids``, a
    relationship to anyone else (a sealed sibling, say) is left out. The person page passes
    the ``residences``, ``involvements`` and ``relationships`` it has already read, so that
    none is read twice."""
    if residences is None:
        residences = person_residences(person)
    if involvements is None:
        involvements = person_involvements(person)
    if relationships is None:
        relationships = person_relationships(person)
    events: list[dict] = []
    if person.date_of_birth:
        events.append({"date": person.date_of_birth, "what": "Born", "source": ""})
    elif person.expected_date_of_birth:
        events.append(
            {"date": person.expected_date_of_birth, "what": "Expected date of birth", "source": ""}
        )
    if person.date_of_death:
        events.append({"date": person.date_of_death, "what": "Died", "source": ""})
    for res in residences:
        events.append({"date": res.start_date, "what": f"Moved to {res.address}", "source": ""})
        if res.end_date:
            events.append({"date": res.end_date, "what": f"Left {res.address}", "source": ""})
    for inv in involvements:
        who = inv.worker or inv.team or inv.agency
        events.append(
            {"date": inv.start_date, "what": f"{inv.role}: {who} involved", "source": inv.agency}
        )
        if inv.end_date:
            events.append(
                {"date": inv.end_date, "what": f"{inv.role}: {who} ended", "source": inv.agency}
            )
    for row in relationships:
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
    return history.visible_history(user=user, person=person, limit=limit)


def person_recent_access(person: Person, limit: int = 20) -> QuerySet[AccessEvent]:
    return AccessEvent.objects.filter(person_id=person.pk).select_related("user")[:limit]


def people_involved_with(*, user) -> QuerySet[Person]:
    """People with an open involvement naming ``user``: the worker's own caseload."""
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


@dataclass
class Relatives:
    """The people the person page names beside the person: only those the reader may see."""

    household: list[Person]
    relationships: list[dict]
    hidden_relationships: int  # relationships left out: the other's record is closed
    visible_ids: set  # the relatives shown, for the timeline


def relatives_shown(
    *, user, person: Person, on: date, request=None, residences=None, others=None
) -> Relatives:
    """The household on ``on`` and the relationships of ``person`` that ``user`` may see.

    Relatives are shown by name, so each one shown is logged once (``show_rows``), however
    many times they appear; those ``user`` may not see (a sealed sibling) are left out and
    only counted.
    """
    household = household_on(person, on, residences, others)
    relationships = person_relationships(person)
    shown = show_rows(
        user=user,
        rows=[*household, *(row["other"] for row in relationships)],
        child=lambda relative: relative,
        purpose=AccessPurpose.VIEW,
        request=request,
        reason=f"Related to {person.pk}",
    )
    ids = {relative.pk for relative in shown.rows}
    return Relatives(
        household=[p for p in household if p.pk in ids],
        relationships=[r for r in relationships if r["other"].pk in ids],
        hidden_relationships=sum(1 for r in relationships if r["other"].pk not in ids),
        visible_ids=ids,
    )


# What the person page reads of other apps' records about the person, named by their reverse
# relations (people imports none of those apps): each read once, whatever its length.
PERSON_PAGE_RELATIONS = (
    "other_names",
    "cases",
    "early_help_assessments",
    "teams_around_family",
    "contacts",
)
# The single records each relation's rows name, read in the same query.
PERSON_PAGE_JOINS: dict[str, tuple[str, ...]] = {
    "early_help_assessments": ("organisation",),
    "contacts": ("level",),
}

# What the apps behind those relations read with them, in the same query (a function from a
# query of the relation's records to the same query, annotated): casework the plan status of
# each case (decision 0048), early help the date of each team's last review.
_RELATION_READS: dict[str, list] = {}


def register_person_page_read(relation: str, annotate) -> None:
    """Called from an app's ``AppConfig.ready()``: read ``annotate(records)`` for
    ``relation`` (one of ``PERSON_PAGE_RELATIONS``) on the person page."""
    if relation not in PERSON_PAGE_RELATIONS:
        raise ValueError(f"The person page does not read {relation!r}")
    reads = _RELATION_READS.setdefault(relation, [])
    if annotate not in reads:
        reads.append(annotate)


def _lookup(path: str):
    reads, joins = _RELATION_READS.get(path), PERSON_PAGE_JOINS.get(path)
    if not (reads or joins):
        return path
    records = Person._meta.get_field(path).related_model._default_manager.all()
    if joins:
        records = records.select_related(*joins)
    for annotate in reads or ():
        records = annotate(records)
    return Prefetch(path, queryset=records)


def load_person_page(person: Person) -> Person:
    """Load what the person page shows of ``person`` (already read through the access
    function), one query per relation."""
    prefetch_related_objects([person], *(_lookup(path) for path in PERSON_PAGE_RELATIONS))
    return person
