"""Contacts to the front door over the last two years, decided against the threshold of need.

Every referral in the window comes from a contact decided "referral"; other contacts, about
one and a half for each of those, end in advice or early help. A decision records the level
judged, one to three of that level's indicators and a rationale, and usually the outcome the
level implies; about 5% depart from it, with the front door's team manager named and their
reason, as the service requires.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from safeguard.audit.models import ChangeEvent, ChangeVerb
from safeguard.casework.models import ChronologyEntry
from safeguard.core.workdays import add_working_days
from safeguard.demo.generator import texts
from safeguard.demo.generator.common import BATCH_SIZE, Worker, make
from safeguard.demo.generator.journeys import REFERRAL_SOURCES
from safeguard.demo.generator.people import Borough
from safeguard.demo.generator.staff import Organisation
from safeguard.demo.generator.thresholds import Threshold
from safeguard.people.models import Person
from safeguard.referrals.models import Contact, ContactGroup, ContactOutcome
from safeguard.referrals.services import contact_chronology_words

WINDOW_DAYS = 730
# How likely each priority is, by what the contact became (red, amber, green): most contacts
# are green or amber; red ones are those with an immediate risk of significant harm.
PRIORITY_WEIGHTS = {
    "serious": (70, 30, 0),
    ContactOutcome.REFERRAL: (8, 62, 30),
    ContactOutcome.EARLY_HELP: (0, 20, 80),
    ContactOutcome.ADVICE: (0, 5, 95),
    ContactOutcome.NO_FURTHER_ACTION: (0, 5, 95),
}
PRIORITIES = ("red", "amber", "green")


def choose_priority(rng, kind: str) -> tuple[str, str]:
    """A priority for a contact or case of ``kind`` (an outcome, or "serious"), with its
    reason: always for red, for about two in three others."""
    priority = rng.choices(PRIORITIES, PRIORITY_WEIGHTS[kind])[0]
    if priority == "red" or rng.random() < 0.65:
        return priority, rng.choice(texts.PRIORITY_REASONS[priority])
    return priority, ""


def received_on(rng, day: date) -> datetime:
    """A time in the working day or evening that a contact on ``day`` was received."""
    moment = time(rng.randint(7, 20), rng.choice((0, 10, 15, 20, 30, 40, 45, 50)))
    return timezone.make_aware(datetime.combine(day, moment))


OTHER_CONTACTS_PER_REFERRAL = 1.5
DEPARTURE = 0.05


class Contacts:
    def __init__(
        self, borough: Borough, org: Organisation, threshold: Threshold, authority_id: int
    ) -> None:
        self.borough = borough
        self.rng = borough.rng
        self.org = org
        self.threshold = threshold
        self.authority_id = authority_id
        self.as_at = borough.as_at
        self.window_start = borough.as_at - timedelta(days=WINDOW_DAYS)
        self.manager = org.team_managers[org.front_door.id]
        self.priority_rng = borough.priority_rng
        self.last: Contact | None = None
        self.rows: list[Contact] = []
        self.links: list = []
        # Contacts about several children of a family (decision 0065): the siblings of one
        # episode (two or three of them) came to the front door together. ``together``: the
        # first child's contact of each such episode, until its siblings join it.
        self.groups: list[ContactGroup] = []
        self.together: dict[int, Contact] = {}
        self.grouped = 0
        # Contacts diverted to early help: (child, decision date, contact id).
        self.early_help: list[tuple[Person, date, uuid.UUID]] = []
        self.referred = 0
        self.saved = 0
        self.to_referral = threshold.numbers_implying(ContactOutcome.REFERRAL)
        self.to_early_help = threshold.numbers_implying(ContactOutcome.EARLY_HELP)
        self.to_advice = threshold.numbers_implying(ContactOutcome.ADVICE)

    def contact(
        self,
        child: Person,
        day: date,
        decided: date,
        *,
        source: str,
        reason: str,
        level: int,
        outcome: str,
        by: Worker,
        serious: bool = False,
    ) -> Contact:
        rng = self.rng
        level_row = self.threshold.levels[level]
        suggested = level_row.implied_outcome
        departs = outcome != suggested
        received = received_on(self.priority_rng, day)
        priority, priority_reason = choose_priority(
            self.priority_rng, "serious" if serious else outcome
        )
        contact = make(
            Contact,
            id=self.borough.new_id(),
            child_id=child.id,
            authority_id=self.authority_id,
            contact_date=day,
            source=source,
            reason=reason,
            level_id=level_row.id,
            rationale=rng.choice(texts.RATIONALES[outcome]),
            outcome=outcome,
            suggested_outcome=suggested,
            manager_reason=rng.choice(texts.MANAGER_REASONS[outcome]) if departs else "",
            manager_id=self.manager.user_id if departs else None,
            decided_by_id=by.user_id,
            decision_date=decided,
            received_at=received,
            priority=priority,
            priority_reason=priority_reason,
            priority_set_by_id=by.user_id,
            priority_set_at=received,
            created_by_id=by.user_id,
            updated_by_id=by.user_id,
        )
        self.last = contact
        self.rows.append(contact)
        if outcome == ContactOutcome.EARLY_HELP:
            self.early_help.append((child, decided, contact.id))
        pool = self.threshold.indicators[level]
        through = Contact.indicators.through
        for indicator in rng.sample(pool, min(len(pool), rng.choice((1, 1, 2, 3)))):
            self.links.append(
                make(through, contact_id=contact.id, thresholdindicator_id=indicator.id)
            )
        return contact

    def for_referral(self, fe, child: Person, by: Worker):
        """The contact a referral in the window came from (None for older referrals)."""
        ep = fe.episode
        if ep.referral < self.window_start:
            return None
        rng = self.rng
        day = add_working_days(ep.referral, -rng.choices((0, 1, 2), (60, 30, 10))[0])
        floor = max(self.window_start, child.date_of_birth or self.window_start)
        day = max(day, floor)
        serious = bool(ep.strategies) or ep.decision == "strategy"
        if rng.random() < DEPARTURE and self.to_early_help:
            level = max(self.to_early_help)  # a manager escalates a lower-level contact
        elif serious or rng.random() < 0.25:
            level = max(self.to_referral)
        else:
            level = min(self.to_referral)
        self.referred += 1
        first = self.together.get(id(fe)) if 2 <= len(fe.children) <= 3 else None
        if first is not None and first.contact_date >= floor:
            day = first.contact_date  # the siblings' contact came in together
        contact = self.contact(
            child,
            day,
            ep.referral,
            source=ep.source,
            reason=ep.reason,
            level=level,
            outcome=ContactOutcome.REFERRAL,
            by=by,
            serious=serious,
        )
        if 2 <= len(fe.children) <= 3:
            if first is None:
                self.together[id(fe)] = contact
            elif first.contact_date == contact.contact_date:
                self._join(first, contact)
        return contact.id

    def _join(self, first: Contact, contact: Contact) -> None:
        """Put ``contact`` in the group of ``first``'s, making the group with the second
        child. No random number is drawn, so the rest of the borough is as it was."""
        if first.group_id is None:
            group = make(
                ContactGroup,
                id=uuid.uuid5(_GROUP_IDS, str(first.id)),
                authority_id=first.authority_id,
                contact_date=first.contact_date,
                source=first.source,
                reason=first.reason,
                created_by_id=first.created_by_id,
                updated_by_id=first.created_by_id,
            )
            self.groups.append(group)
            first.group_id = group.id
            self.grouped += 1
        contact.group_id = first.group_id
        self.grouped += 1

    def waiting_together(self, episodes) -> None:
        """One contact about two or three siblings with no open case, received on the as-at
        date and not yet decided, so that the page deciding a family's contact has children
        to decide. Chosen in household order, drawing no random number."""
        open_now = {
            child.id
            for fe in episodes
            if fe.episode.closure is None or fe.episode.closure > self.as_at
            for child in fe.children
        }
        for household in self.borough.households:
            children = [c for c in household.born if c.nhs_number and c.id not in open_now]
            if len(children) in (2, 3) and len(children) == len(household.children):
                break
        else:
            return
        by = self.org.front_door_workers[0]
        received = min(
            timezone.make_aware(datetime.combine(self.as_at, time(9, 40))), timezone.now()
        )
        group = make(
            ContactGroup,
            id=uuid.uuid5(_GROUP_IDS, f"waiting {children[0].id}"),
            authority_id=self.authority_id,
            contact_date=timezone.localtime(received).date(),
            source="2A",
            reason=texts.SIBLING_CONTACT_REASON,
            created_by_id=by.user_id,
            updated_by_id=by.user_id,
        )
        self.groups.append(group)
        for child in children:
            self.rows.append(
                make(
                    Contact,
                    id=uuid.uuid5(_GROUP_IDS, f"waiting contact {child.id}"),
                    child_id=child.id,
                    authority_id=self.authority_id,
                    group_id=group.id,
                    contact_date=group.contact_date,
                    received_at=received,
                    source="2A",
                    reason=texts.SIBLING_CONTACT_REASON,
                    priority="amber",
                    priority_reason="",
                    priority_set_by_id=by.user_id,
                    priority_set_at=received,
                    created_by_id=by.user_id,
                    updated_by_id=by.user_id,
                )
            )
            self.grouped += 1

    def others(self, episodes) -> None:
        """Contacts that did not lead to a referral, about children with no open case then."""
        rng, as_at = self.rng, self.as_at
        open_spells: dict[object, list[tuple[date, date]]] = defaultdict(list)
        for fe in episodes:
            end = fe.episode.closure or as_at
            for child in fe.children:
                open_spells[child.id].append((fe.episode.referral, end))
        children = [c for c in self.borough.children if c.date_of_birth is not None]
        children = [c for c in children if c.nhs_number]  # not the near-duplicate records
        wanted = round(self.referred * OTHER_CONTACTS_PER_REFERRAL)
        sources = list(REFERRAL_SOURCES)
        weights = list(REFERRAL_SOURCES.values())
        workers = self.org.front_door_workers
        for _ in range(wanted * 3):
            if wanted <= 0:
                break
            child = rng.choice(children)
            start = max(self.window_start, child.date_of_birth)
            day = self.borough.day_between(start, as_at)
            if any(a <= day <= b for a, b in open_spells[child.id]):
                continue
            source = rng.choices(sources, weights)[0]
            reason = rng.choice(texts.CONTACT_REASONS[texts.SOURCE_GROUP[source]])
            roll = rng.random()
            if roll < DEPARTURE:
                level, outcome = rng.choice(
                    [
                        (min(self.to_referral), ContactOutcome.EARLY_HELP),
                        (min(self.to_advice), ContactOutcome.NO_FURTHER_ACTION),
                        (min(self.to_early_help), ContactOutcome.ADVICE),
                    ]
                )
            elif roll < 0.45:
                level, outcome = min(self.to_advice), ContactOutcome.ADVICE
            else:
                level, outcome = min(self.to_early_help), ContactOutcome.EARLY_HELP
            decided = min(add_working_days(day, rng.choices((0, 1), (70, 30))[0]), as_at)
            self.contact(
                child,
                day,
                decided,
                source=source,
                reason=reason,
                level=level,
                outcome=outcome,
                by=rng.choice(workers),
            )
            wanted -= 1

    def waiting(self, episodes) -> None:
        """Contacts received in the last three days and not yet decided, for the front door
        to show: about one for every 25 referrals (at least four), a fair share red, some
        of those past the authority's 24 hours. Drawn from the priorities' own generator, so
        that the rest of the borough is as it was."""
        rng, as_at = self.priority_rng, self.as_at
        open_now = {
            child.id
            for fe in episodes
            if fe.episode.closure is None or fe.episode.closure > as_at
            for child in fe.children
        }
        children = [
            c
            for c in self.borough.children
            if c.date_of_birth is not None and c.nhs_number and c.id not in open_now
        ]
        sources = list(REFERRAL_SOURCES)
        weights = list(REFERRAL_SOURCES.values())
        now = timezone.now()
        for n in range(max(4, round(self.referred / 25))):
            child = rng.choice(children)
            day = max(as_at - timedelta(days=rng.choice((0, 0, 1, 1, 2, 3))), child.date_of_birth)
            source = rng.choices(sources, weights)[0]
            reason = rng.choice(texts.CONTACT_REASONS[texts.SOURCE_GROUP[source]])
            priority = "red" if n == 0 else rng.choices(PRIORITIES, (20, 45, 35))[0]
            priority_reason = rng.choice(texts.PRIORITY_REASONS[priority])
            by = rng.choice(self.org.front_door_workers)
            received = min(received_on(rng, day), now)
            self.rows.append(
                make(
                    Contact,
                    id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    child_id=child.id,
                    authority_id=self.authority_id,
                    contact_date=timezone.localtime(received).date(),
                    received_at=received,
                    source=source,
                    reason=reason,
                    priority=priority,
                    priority_reason=priority_reason if priority == "red" or n % 3 else "",
                    priority_set_by_id=by.user_id,
                    priority_set_at=received,
                    created_by_id=by.user_id,
                    updated_by_id=by.user_id,
                )
            )

    def save(self) -> None:
        """Insert the contacts made so far, each with its chronology entry (as
        ``referrals.services.contact_record`` and ``contact_decide`` write it), and forget
        them."""
        ContactGroup.objects.bulk_create(self.groups, batch_size=BATCH_SIZE)
        ChangeEvent.objects.bulk_create(
            (
                make(
                    ChangeEvent,
                    verb=ChangeVerb.CREATED,
                    target_type="referrals.contactgroup",
                    target_id=str(group.id),
                    after={"source": "demo"},
                )
                for group in self.groups
            ),
            batch_size=BATCH_SIZE,
        )
        Contact.objects.bulk_create(self.rows, batch_size=BATCH_SIZE)
        entries = [_chronology_entry(contact) for contact in self.rows]
        ChronologyEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)
        ChangeEvent.objects.bulk_create(
            (
                make(
                    ChangeEvent,
                    verb=ChangeVerb.CREATED,
                    target_type="casework.chronologyentry",
                    target_id=str(entry.id),
                    person_id=entry.child_id,
                    after={"source": "demo"},
                )
                for entry in entries
            ),
            batch_size=BATCH_SIZE,
        )
        Contact.indicators.through.objects.bulk_create(self.links, batch_size=BATCH_SIZE)
        ChangeEvent.objects.bulk_create(
            (
                make(
                    ChangeEvent,
                    verb=ChangeVerb.CREATED,
                    target_type="referrals.contact",
                    target_id=str(contact.id),
                    person_id=contact.child_id,
                    after={"source": "demo"},
                )
                for contact in self.rows
            ),
            batch_size=BATCH_SIZE,
        )
        self.saved += len(self.rows)
        self.rows.clear()
        self.links.clear()
        self.groups.clear()
        self.together.clear()


# The contacts about several children have ids derived from their first contact's.
_GROUP_IDS = uuid.UUID("0b6d8f3e-2c41-4f7a-8e55-65a1d2c3b4f7")

# The chronology entries of the demo's contacts have ids derived from their contact's, so that
# making them takes nothing from the borough's random numbers.
_CHRONOLOGY_IDS = uuid.UUID("5f0c6a52-9d0e-4f4a-9a55-2b7c0c1d4e01")


def _chronology_entry(contact: Contact) -> ChronologyEntry:
    """A contact's chronology entry, as the front door's services write it: before any case
    (the referral it leads to opens the case)."""
    what, source, outcome = contact_chronology_words(contact)
    return make(
        ChronologyEntry,
        id=uuid.uuid5(_CHRONOLOGY_IDS, str(contact.id)),
        child_id=contact.child_id,
        case_id=None,
        event_date=contact.contact_date,
        what=what,
        source_agency=source,
        outcome=outcome,
        source_type="referrals.contact",
        source_id=str(contact.id),
        created_by_id=contact.created_by_id,
        updated_by_id=contact.created_by_id,
    )
