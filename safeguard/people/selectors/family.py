"""The family network (issue 16 item 6, decision 0048): alert flags on adults, shown wherever
an adult appears with a child, and the genogram and household view of a person."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from safeguard.audit.models import AccessPurpose
from safeguard.people import permissions
from safeguard.people.codes import RelationshipKind
from safeguard.people.models import AdultAlert, Person, Relationship, Residence
from safeguard.people.permissions import Action
from safeguard.people.selectors.access import (
    ShownRows,
    person_for_edit,
    seen_in_rows,
    show_rows,
)
from safeguard.people.selectors.person_page import relatives_shown, residences_around


def current_alerts(person_ids) -> dict:
    """The current (not ended) alerts of each of ``person_ids``: ``{person id: [alert]}``, in
    one query. Ask ``permissions.can(user, Action.SEE_ALERTS, child)`` before showing them."""
    found: dict = {}
    ids = list(person_ids)
    if not ids:
        return found
    for alert in AdultAlert.objects.filter(person_id__in=ids, ended_on__isnull=True).order_by(
        "raised_on"
    ):
        found.setdefault(alert.person_id, []).append(alert)
    return found


def alerts_for_page(person: Person, relative_ids) -> tuple[list, dict]:
    """For the person page, in one query: every alert on ``person`` (current first, then
    ended) and the current alerts of ``relative_ids`` (``{person id: [alert]}``)."""
    own, relatives = [], {}
    found = AdultAlert.objects.filter(
        Q(person_id=person.pk) | Q(person_id__in=list(relative_ids), ended_on__isnull=True)
    ).select_related("created_by", "updated_by")
    for alert in found.order_by("ended_on", "-raised_on"):
        if alert.person_id == person.pk:
            own.append(alert)
            if alert.ended_on is not None:
                continue
        relatives.setdefault(alert.person_id, []).append(alert)
    relatives.pop(person.pk, None)
    return own, relatives


def alerts_of(person: Person):
    """Every alert raised on ``person``, current first (read through the access function
    first: the person page)."""
    return person.alerts.select_related("created_by", "updated_by").order_by(
        "ended_on", "-raised_on"
    )


def alert_for_edit(*, user, alert_id, request=None) -> AdultAlert:
    """An alert, for ending it: its person read through the access function first."""
    person_id = AdultAlert.objects.filter(pk=alert_id).values_list("person_id", flat=True).first()
    if person_id is None:
        raise Http404
    person = person_for_edit(user=user, person_id=person_id, request=request)
    if not permissions.can(user, Action.RAISE_ALERT, person):
        raise PermissionDenied("You cannot end this alert")
    alert = AdultAlert.objects.get(pk=alert_id)
    alert.person = person
    return alert


@dataclass
class AdultWithAlerts:
    person: Person
    alerts: list = field(default_factory=list)


def _around(child: Person, on: date) -> Q:
    """The people related to ``child`` (either way, relationships not ended) or living at
    ``child``'s address on ``on``: as a condition on ``person_id``, for one query."""
    related_from = Relationship.objects.filter(other=child, end_date__isnull=True).values(
        "person_id"
    )
    related_to = Relationship.objects.filter(person=child, end_date__isnull=True).values("other_id")
    addresses = Residence.objects.filter(Residence.open_on(on), person=child).values("address_id")
    living = Residence.objects.filter(Residence.open_on(on), address_id__in=addresses).values(
        "person_id"
    )
    return (
        Q(person_id__in=related_from) | Q(person_id__in=related_to) | Q(person_id__in=living)
    ) & ~Q(person_id=child.pk)


def alerts_around(*, user, child: Person, on: date, request=None) -> list[AdultWithAlerts]:
    """The adults around ``child`` (related, or in the household) who have a current alert,
    with their alerts, for the case page and the visit form: one query, and the adults shown
    logged (``show_rows``). Empty for those who may not see alerts (partners)."""
    if not permissions.can(user, Action.SEE_ALERTS, child):
        return []
    alerts = list(
        AdultAlert.objects.filter(_around(child, on), ended_on__isnull=True)
        .select_related("person")
        # Whether the user may see each adult, asked in the same query (decision 0059).
        .annotate(**permissions.seen_annotations(user, "person_id"))
        .order_by("person__family_name", "person__given_names", "raised_on")
    )
    if not alerts:
        return []
    shown = show_rows(
        user=user,
        rows=alerts,
        child=lambda alert: alert.person,
        purpose=AccessPurpose.VIEW,
        request=request,
        reason=f"Alert on an adult around {child.pk}",
        seen=seen_in_rows(alerts, lambda alert: alert.person_id),
    )
    adults: dict = {}
    for alert in shown.rows:
        adults.setdefault(alert.person_id, AdultWithAlerts(person=alert.person)).alerts.append(
            alert
        )
    return list(adults.values())


# --- The children of a family (issue 16 item 7, decision 0065) ---------------------------------

# The relationships that make two children of one family, besides living in one household.
FAMILY_KINDS = (RelationshipKind.SIBLING, RelationshipKind.HOUSEHOLD_MEMBER)


def family_children(
    *, user, child: Person, on: date, request=None, purpose: str = AccessPurpose.VIEW
) -> ShownRows:
    """The other children of ``child``'s family on ``on``: their siblings and household
    members by a relationship not ended, and the children living at their address, oldest
    first. Those ``user`` may not see (a sealed sibling) are left out and counted
    (``show_rows``), and each one shown is logged. A fixed number of queries whatever the
    size of the family. ``child`` has been read through the access function already."""
    current = Relationship.objects.filter(kind__in=FAMILY_KINDS, end_date__isnull=True)
    related_to = current.filter(person=child).values("other_id")
    related_from = current.filter(other=child).values("person_id")
    addresses = Residence.objects.filter(Residence.open_on(on), person=child).values("address_id")
    living = Residence.objects.filter(Residence.open_on(on), address_id__in=addresses).values(
        "person_id"
    )
    found = (
        Person.objects.filter(Q(pk__in=related_to) | Q(pk__in=related_from) | Q(pk__in=living))
        .exclude(pk=child.pk)
        .select_related("authority")
        .annotate(**permissions.seen_annotations(user, "pk"))
    )
    children = sorted(
        (p for p in found if p.is_child_on(on)),
        key=lambda p: (p.date_of_birth or p.expected_date_of_birth or on, p.given_names),
    )
    return show_rows(
        user=user,
        rows=children,
        child=lambda person: person,
        purpose=purpose,
        request=request,
        reason=f"In the family of {child.pk}",
        seen=seen_in_rows(children, lambda person: person.pk),
    )


# --- The genogram ------------------------------------------------------------------------------

# Where each relative is drawn, by how they are related to the person at the centre:
# ``GENERATION[(kind, side)]``, side "to" when the relative is the ``kind`` of the person
# ("Alex is the parent of Sam") and "of" when the person is the ``kind`` of the relative.
GRANDPARENTS, PARENTS, SELF, CHILDREN, OTHERS = -1, 0, 1, 2, 9
GENERATION = {
    (RelationshipKind.GRANDPARENT, "to"): GRANDPARENTS,
    (RelationshipKind.PARENT, "to"): PARENTS,
    (RelationshipKind.STEP_PARENT, "to"): PARENTS,
    (RelationshipKind.PARENTS_PARTNER, "to"): PARENTS,
    (RelationshipKind.CARER, "to"): PARENTS,
    (RelationshipKind.SIBLING, "to"): SELF,
    (RelationshipKind.SIBLING, "of"): SELF,
    (RelationshipKind.PARENT, "of"): CHILDREN,
    (RelationshipKind.STEP_PARENT, "of"): CHILDREN,
    (RelationshipKind.PARENTS_PARTNER, "of"): CHILDREN,
    (RelationshipKind.CARER, "of"): CHILDREN,
}
ROW_NAMES = {
    GRANDPARENTS: "Grandparents",
    PARENTS: "Parents, step-parents, partners and carers",
    SELF: "The person and their siblings",
    CHILDREN: "Children",
    OTHERS: "Wider family and other adults",
}

NODE_W, NODE_H, GAP_X, ROW_H, MARGIN = 170, 74, 24, 130, 20


@dataclass
class Relative:
    """One row of the family table, and one shape of the genogram."""

    person: Person
    label: str  # how they are related, from the centre's side ("Parent", "Sibling")
    generation: int
    relationship: Relationship | None = None
    responsibility: bool = False
    household: bool = False
    alerts: list = field(default_factory=list)
    x: int = 0
    y: int = 0

    @property
    def current(self) -> bool:
        return self.relationship is None or self.relationship.end_date is None

    @property
    def shape(self) -> str:
        return {"M": "square", "F": "circle"}.get(self.person.sex, "diamond")

    @property
    def cx(self) -> int:
        return self.x + NODE_W // 2

    @property
    def cy(self) -> int:
        return self.y + NODE_H // 2


@dataclass
class Genogram:
    centre: Relative
    relatives: list[Relative]  # every relation, current and ended: the table
    rows: list[tuple[str, list[Relative]]]  # what is drawn, by generation
    lines: list[tuple[int, int, int, int]]
    width: int
    height: int
    hidden: int
    sees_alerts: bool


def _layout(centre: Relative, drawn: list[Relative]) -> tuple[list, list, int, int]:
    by_gen: dict[int, list[Relative]] = {}
    for rel in drawn:
        by_gen.setdefault(rel.generation, []).append(rel)
    by_gen.setdefault(SELF, []).insert(0, centre)
    order = [g for g in (GRANDPARENTS, PARENTS, SELF, CHILDREN, OTHERS) if by_gen.get(g)]
    widest = max(len(by_gen[g]) for g in order)
    width = 2 * MARGIN + widest * NODE_W + (widest - 1) * GAP_X
    rows, lines = [], []
    for i, gen in enumerate(order):
        people = by_gen[gen]
        span = len(people) * NODE_W + (len(people) - 1) * GAP_X
        left = (width - span) // 2
        for j, rel in enumerate(people):
            rel.x, rel.y = left + j * (NODE_W + GAP_X), MARGIN + 24 + i * ROW_H
        rows.append((ROW_NAMES[gen], people))
    # Lines of descent: each generation's bar joined to the next one down (the person's own
    # row hangs from the parents' row); the wider family joined to the person by a line.
    position = {gen: i for i, gen in enumerate(order)}
    for upper, lower in ((GRANDPARENTS, PARENTS), (PARENTS, SELF), (SELF, CHILDREN)):
        if upper not in position or lower not in position:
            continue
        top, bottom = by_gen[upper], by_gen[lower]
        bar_y = top[0].y + NODE_H + (ROW_H - NODE_H) // 2
        xs = [r.cx for r in top] + [r.cx for r in bottom]
        lines.append((min(xs), bar_y, max(xs), bar_y))
        for r in top:
            lines.append((r.cx, r.y + NODE_H, r.cx, bar_y))
        for r in bottom:
            lines.append((r.cx, bar_y, r.cx, r.y))
    height = MARGIN * 2 + 24 + len(order) * ROW_H - (ROW_H - NODE_H)
    return rows, lines, width, height


def genogram(*, user, person: Person, on: date, request=None) -> Genogram:
    """The person's family network as a genogram and a table: every relationship of
    ``person`` (current and ended) to someone ``user`` may see, who holds parental
    responsibility, who lives in the household on ``on``, and (for those who may see them)
    the adults' current alerts. A fixed number of queries; each relative shown is logged."""
    residences, neighbours = residences_around(person)
    relatives = relatives_shown(
        user=user, person=person, on=on, request=request, residences=residences, others=neighbours
    )
    household_ids = {p.pk for p in relatives.household}
    sees_alerts = permissions.can(user, Action.SEE_ALERTS, person)
    ids = {person.pk, *(r["other"].pk for r in relatives.relationships), *household_ids}
    alerts = current_alerts(ids) if sees_alerts else {}
    found: list[Relative] = []
    related_ids = set()
    for row in relatives.relationships:
        rel, other = row["rel"], row["other"]
        side = "of" if rel.person_id == person.pk else "to"
        label = row["label"]
        found.append(
            Relative(
                person=other,
                label=label,
                generation=GENERATION.get((rel.kind, side), OTHERS),
                relationship=rel,
                # Parental responsibility for the person at the centre, or theirs for the other.
                responsibility=rel.parental_responsibility,
                household=other.pk in household_ids,
                alerts=alerts.get(other.pk, []),
            )
        )
        related_ids.add(other.pk)
    for other in relatives.household:
        if other.pk not in related_ids:
            found.append(
                Relative(
                    person=other,
                    label="Lives in the household (no relationship recorded)",
                    generation=OTHERS,
                    household=True,
                    alerts=alerts.get(other.pk, []),
                )
            )
    centre = Relative(
        person=person, label="This person", generation=SELF, alerts=alerts.get(person.pk, [])
    )
    # Each person is drawn once, at their closest current relationship.
    drawn, placed = [], set()
    for rel in sorted(found, key=lambda r: (not r.current, r.generation)):
        if rel.current and rel.person.pk not in placed:
            placed.add(rel.person.pk)
            drawn.append(rel)
    rows, lines, width, height = _layout(centre, drawn)
    found.sort(key=lambda r: (not r.current, r.generation, r.person.family_name, r.label))
    return Genogram(
        centre=centre,
        relatives=found,
        rows=rows,
        lines=lines,
        width=width,
        height=height,
        hidden=relatives.hidden_relationships,
        sees_alerts=sees_alerts,
    )


__all__ = [
    "AdultWithAlerts",
    "Genogram",
    "Relative",
    "alert_for_edit",
    "alerts_around",
    "alerts_for_page",
    "alerts_of",
    "current_alerts",
    "family_children",
    "genogram",
]
