"""The demo's family network and case summaries (issue 16 items 4 and 6, decision 0048):
wider family around some households (grandparents, aunts and uncles, a family friend, an
adult who visits), alert flags on some adults, and case summaries (a few versions each) on
most open cases. All synthetic; run last, so that it changes nothing made before it."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from safeguard.casework.models import Allocation, Case, CaseSummary
from safeguard.demo.generator.common import BATCH_SIZE, make, save_with_events
from safeguard.people.codes import AlertKind, RelationshipKind, Sex
from safeguard.people.models import AdultAlert, Person, Relationship

WIDER = (
    # (kind, chance, sex of the relative (None: either), years older than the resident parent)
    (RelationshipKind.GRANDPARENT, 0.45, Sex.FEMALE, (20, 30)),
    (RelationshipKind.GRANDPARENT, 0.25, Sex.MALE, (22, 34)),
    (RelationshipKind.WIDER_FAMILY, 0.30, None, (-6, 6)),
    (RelationshipKind.SIGNIFICANT_ADULT, 0.12, None, (-10, 15)),
    (RelationshipKind.VISITING_ADULT, 0.08, Sex.MALE, (-8, 5)),
)

ALERTS = {
    AlertKind.RISK_TO_CHILDREN: [
        "Convicted in 2019 of an offence against a child; not to have unsupervised contact "
        "with children.",
        "Named in a previous section 47 enquiry in another authority; police disclosure "
        "received under the child sex offender disclosure scheme.",
    ],
    AlertKind.VIOLENCE_TO_STAFF: [
        "Shouted at and threatened the social worker at the door; visit in pairs and meet at "
        "the office where possible.",
        "Pushed a health visitor out of the flat; staff to visit in pairs only.",
    ],
    AlertKind.DOMESTIC_ABUSE: [
        "Discussed at MARAC as the perpetrator of high-risk domestic abuse against a former "
        "partner; bail conditions not to attend the home address.",
    ],
    AlertKind.DOGS: ["Two large dogs at the address that are not kept shut away during visits."],
}
SOURCES = [
    "Police disclosure",
    "MARAC minutes",
    "Social worker's own visit",
    "Health visitor's report",
    "Probation service",
]

WORRIES = [
    "{name} has seen adults shouting and fighting at home, and police were called twice this "
    "year. {name} has told school they are scared at night.",
    "{name} is often late or missing from school, arrives hungry and in the same clothes, and "
    "has missed two dental appointments.",
    "{name}'s parent has been drinking heavily since the family moved; {name} has been left to "
    "look after younger brothers and sisters.",
    "{name} has a bruise that was not explained, and the adults at home gave different accounts "
    "of how it happened.",
]
WORKING_WELL = [
    "Grandma collects {name} from school and {name} says they feel safe at her house.",
    "{name}'s parent has started going to the parenting group and has not missed a session.",
    "{name} goes to school every day now and the school says {name} is settling well.",
    "The family let the social worker in at every visit and talk openly about what is hard.",
]
NEXT_STEPS = [
    "The parent to finish the domestic abuse programme by the end of next month; the school "
    "to tell the social worker the same day if {name} is absent.",
    "A family group conference within four weeks, so the wider family can plan how to help.",
    "The social worker to see {name} alone at every visit, and the health visitor to check "
    "the home conditions fortnightly.",
    "The parent to register with the GP and go to the alcohol service appointment booked.",
]
RISKS = [
    "If the adults keep arguing violently, {name} is likely to be hurt, or to be frightened "
    "and unsettled at home and at school.",
    "If {name}'s basic needs are not met every day, {name}'s health and learning will suffer "
    "and {name} may come to harm when left alone.",
    "If the drinking carries on, {name} may be left without a sober adult to keep them safe.",
]

# The same for a child under five (nursery, health visitor, childminder rather than school),
# and for an unborn baby (the pregnancy and the home the baby will come to). Each pool is as
# long as the school-age one, so that the seed makes the same choices whatever the texts.
WORRIES_YOUNG = [
    "Police were called twice this year to fighting between the adults at home while {name} "
    "was there; {name} is too young to get out of the way or to tell anyone.",
    "{name} has missed health visitor checks and two immunisations, and the home is often cold "
    "with little food in the cupboards.",
    "{name}'s parent has been drinking heavily since the family moved, and there is often no "
    "sober adult at home to look after {name}.",
    "{name} has a bruise that was not explained, and the adults at home gave different accounts "
    "of how it happened; babies and toddlers who are not walking rarely bruise.",
]
WORKING_WELL_YOUNG = [
    "Grandma has {name} three days a week and the health visitor says {name} is thriving there.",
    "{name}'s parent has started going to the parenting group and has not missed a session.",
    "{name} goes to nursery every day now and the nursery says {name} is settling well.",
    "The family let the social worker in at every visit and talk openly about what is hard.",
]
NEXT_STEPS_YOUNG = [
    "The parent to finish the domestic abuse programme by the end of next month; the nursery "
    "to tell the social worker the same day if {name} does not arrive.",
    "A family group conference within four weeks, so the wider family can plan how to help.",
    "The social worker to see {name} at every visit, and the health visitor to check {name}'s "
    "weight and the home conditions fortnightly.",
    "The parent to register with the GP and go to the alcohol service appointment booked.",
]
RISKS_YOUNG = [
    "If the adults keep fighting, {name} is likely to be hurt, being too small to move away.",
    "If {name}'s basic needs are not met every day, {name}'s health and development will "
    "suffer, and {name} may come to harm when left alone.",
    "If the drinking carries on, {name} may be left without a sober adult to keep them safe.",
]
WORRIES_UNBORN = [
    "Police were called twice this year to fighting between the adults at home; the mother "
    "has been pushed while pregnant.",
    "The mother has missed three antenatal appointments and the home is not ready for a baby: "
    "no cot, little food and no heating.",
    "The mother has been drinking heavily during the pregnancy and has no one to help once the "
    "baby is born.",
    "An older child of the mother was removed from her care two years ago and the worries that "
    "led to it have not changed.",
]
WORKING_WELL_UNBORN = [
    "The baby's grandmother has offered to live with the mother for the first weeks.",
    "The mother has started going to the parenting group and has not missed a session.",
    "The mother goes to every antenatal appointment now and the midwife has no worries about "
    "the pregnancy.",
    "The mother lets the social worker in at every visit and talks openly about what is hard.",
]
NEXT_STEPS_UNBORN = [
    "The mother to finish the domestic abuse programme before the birth; the midwife to tell "
    "the social worker the same day if an appointment is missed.",
    "A family group conference before the birth, so the wider family can plan how to help.",
    "A pre-birth plan agreed with the midwife and the hospital before 30 weeks of pregnancy.",
    "The mother to register with the GP and go to the alcohol service appointment booked.",
]
RISKS_UNBORN = [
    "If the violence carries on, the baby may be hurt before or after the birth.",
    "If the home is not ready and the mother is not helped, the baby's basic needs may not be "
    "met from the first day.",
    "If the drinking carries on, the baby may be harmed before birth and left without a sober "
    "adult after it.",
]
SUMMARY_TEXTS = {
    "school": {"worries": WORRIES, "working_well": WORKING_WELL, "next_steps": NEXT_STEPS,
               "risk_statement": RISKS},
    "young": {"worries": WORRIES_YOUNG, "working_well": WORKING_WELL_YOUNG,
              "next_steps": NEXT_STEPS_YOUNG, "risk_statement": RISKS_YOUNG},
    "unborn": {"worries": WORRIES_UNBORN, "working_well": WORKING_WELL_UNBORN,
               "next_steps": NEXT_STEPS_UNBORN, "risk_statement": RISKS_UNBORN},
}  # fmt: skip


def _summary_texts(child, on: date) -> dict[str, list[str]]:
    """The case summary's pools for ``child`` as they are ``on`` that day."""
    if child.date_of_birth is None or child.date_of_birth > on:
        return SUMMARY_TEXTS["unborn"]
    if (on - child.date_of_birth).days < 5 * 365:
        return SUMMARY_TEXTS["young"]
    return SUMMARY_TEXTS["school"]


def _uuid(rng):
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def add_family_network(borough, *, authority_id: int, as_at: date, seed: int) -> dict[str, int]:
    """Wider family for some households, alert flags on some adults, and case summaries on
    most open cases."""
    rng = borough.rng
    rows: dict = defaultdict(list)
    events: list = []
    saved: dict[str, int] = defaultdict(int)
    adults_for_alerts: list[Person] = []
    for household in borough.households:
        parent = household.resident_parent
        children = [c for c in household.children if c.date_of_birth is not None]
        if not children or parent.date_of_birth is None:
            continue
        for kind, chance, sex, (low, high) in WIDER:
            if rng.random() >= chance:
                continue
            sex = sex or (Sex.FEMALE if rng.random() < 0.5 else Sex.MALE)
            born = parent.date_of_birth - timedelta(days=365 * rng.randint(low, high))
            born = min(born, date(as_at.year - 19, 1, 1))
            family = parent.family_name if kind != RelationshipKind.SIGNIFICANT_ADULT else (
                borough.family_name()
            )
            relative = make(
                Person,
                id=_uuid(rng),
                authority_id=authority_id,
                given_names=borough.given_names(sex, adult=True),
                family_name=family,
                date_of_birth=born,
                sex=sex,
                ethnicity=parent.ethnicity,
                disabilities=[],
                nhs_number=borough.nhs_number(),
            )
            relative.refresh_keys()
            rows[Person].append(relative)
            events.append(("people.person", str(relative.id), relative.id))
            for child in children:
                rel = make(
                    Relationship,
                    id=_uuid(rng),
                    person_id=relative.id,
                    other_id=child.id,
                    kind=kind,
                    start_date=child.date_of_birth if kind != RelationshipKind.VISITING_ADULT
                    else as_at - timedelta(days=rng.randint(30, 400)),
                )
                rows[Relationship].append(rel)
                events.append(("people.relationship", str(rel.id), child.id))
            if kind == RelationshipKind.VISITING_ADULT:
                adults_for_alerts.append(relative)
    # Alerts: on some visiting adults, and on some parents' partners and fathers.
    partners = list(
        Person.objects.filter(
            authority_id=authority_id,
            relationships_from__kind__in=[
                RelationshipKind.PARENTS_PARTNER,
                RelationshipKind.PARENT,
            ],
            sex=Sex.MALE,
        )
        .distinct()
        .order_by("id")
    )
    adults_for_alerts += [p for p in partners if rng.random() < 0.08]
    workers = dict(
        Allocation.objects.filter(case__authority_id=authority_id)
        .order_by("start_date")
        .values_list("case__child_id", "worker_id")
    )
    any_worker = next(iter(workers.values()), None)
    for adult in adults_for_alerts:
        if rng.random() < 0.4 and adult not in partners:
            continue
        kind = rng.choice(list(ALERTS))
        raised = as_at - timedelta(days=rng.randint(10, 300))
        alert = make(
            AdultAlert,
            id=_uuid(rng),
            person_id=adult.id,
            kind=kind,
            details=rng.choice(ALERTS[kind]),
            source=rng.choice(SOURCES),
            raised_on=raised,
            review_date=raised + timedelta(days=rng.choice((90, 180, 365))),
            created_by_id=any_worker,
            updated_by_id=any_worker,
        )
        rows[AdultAlert].append(alert)
        events.append(("people.adultalert", str(alert.id), adult.id))
    # Case summaries on most open cases: a first version soon after the referral, then one
    # or two updates.
    summaries = []
    cases = (
        Case.objects.filter(authority_id=authority_id, closure_date__isnull=True)
        .select_related("child")
        .order_by("referral_date", "id")
    )
    for case in cases:
        if rng.random() >= 0.85:
            continue
        name = case.child.given_names.split()[0] if case.child.given_names else "The baby"
        by = workers.get(case.child_id) or case.created_by_id
        days = max((as_at - case.referral_date).days, 1)
        pools = _summary_texts(case.child, as_at)
        text = {field: rng.choice(pool) for field, pool in pools.items()}
        for number in range(1, rng.randint(1, 3) + 1):
            if number > 1:
                field = rng.choice(list(text))
                text[field] = rng.choice([t for t in pools[field] if t != text[field]])
            on = case.referral_date + timedelta(days=min(days, 7 + (number - 1) * 30))
            summary = make(
                CaseSummary,
                id=_uuid(rng),
                case_id=case.id,
                number=number,
                created_by_id=by,
                updated_by_id=by,
                **{f: t.format(name=name) for f, t in text.items()},
            )
            summary.demo_at = timezone.make_aware(datetime.combine(min(on, as_at), time(10)))
            rows[CaseSummary].append(summary)
            summaries.append(summary)
            events.append(("casework.casesummary", str(summary.id), case.child_id))
    save_with_events(rows, (Person, Relationship, AdultAlert, CaseSummary), events, saved)
    # The versions' own dates (``created_at`` is set on insert).
    for summary in summaries:
        summary.created_at = summary.updated_at = summary.demo_at
    CaseSummary.objects.bulk_update(summaries, ["created_at", "updated_at"], batch_size=BATCH_SIZE)
    return {
        "wider_family": saved["people.person"],
        "adult_alerts": saved["people.adultalert"],
        "case_summaries": saved["casework.casesummary"],
    }
