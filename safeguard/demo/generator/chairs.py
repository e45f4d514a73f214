"""The demo's independent chairs at work (issue 15 item 3; decision 0043): each conference's
minutes circulated by its chair, most within the authority's standard, some late and a few
of recent conferences still waiting; and the chairs' challenges and escalations about some
plans, most resolved, some still open, each in the child's chronology. Run after the plans'
actions are written (``plans.add_plan_content``); its own generator, from the seed, so the
rest of the borough is unchanged."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import date

from safeguard.casework.models import ChronologyEntry
from safeguard.core.workdays import add_working_days
from safeguard.demo.generator.common import BATCH_SIZE, make, save_with_events
from safeguard.protection.models import (
    ChairChallenge,
    ChallengeKind,
    ChildProtectionConference,
    ConferenceKind,
)

CONCERNS = [
    (ChallengeKind.CHALLENGE, "The first core group was not held within 10 working days of "
     "the conference, and no date has been set for the next one."),
    (ChallengeKind.CHALLENGE, "{name} has not been seen alone on the last two statutory "
     "visits; the plan says every visit includes time alone with {name}."),
    (ChallengeKind.CHALLENGE, "The plan's actions have no owners for the health outcomes; "
     "the core group has not reviewed them since the conference."),
    (ChallengeKind.ESCALATION, "Reports for the review conference were not shared with the "
     "family before the conference, so the review could not go ahead as planned."),
    (ChallengeKind.ESCALATION, "The case has had three social workers since the plan "
     "started and {name}'s direct work has stopped. Raised under the escalation procedure."),
    (ChallengeKind.ESCALATION, "The parenting assessment agreed at the conference has not "
     "started three months on; the contingency plan relies on it."),
]
RAISED_WITH = [
    "the team manager of the child protection team",
    "the service manager for child protection",
    "the social worker and their team manager",
    "the head of service, children's social care",
]
RESOLUTIONS = [
    "The team manager met the chair; the core group meets on fixed dates from next month and "
    "the dates are in the plan.",
    "Visits now include time alone with {name}, recorded on each visit. Checked at the next "
    "core group.",
    "Actions re-agreed at the core group with an owner and date for each.",
    "The service manager agreed a new allocation and a start date for the assessment.",
    "Reports now reach the family two working days before each conference.",
]


def _first_name(child) -> str:
    """The child's first name, or "the baby" for an unborn child (who has no name yet)."""
    names = child.given_names.split()
    return names[0] if names else "the baby"


def add_chair_work(*, authority, seed: int, as_at: date) -> dict[str, int]:
    """Circulate the minutes of the authority's conferences and write the chairs'
    challenges and escalations."""
    rng = random.Random(f"{seed}:chairs")
    standard = authority.conference_minutes_wd
    conferences = list(
        ChildProtectionConference.objects.filter(case__authority_id=authority.pk)
        .select_related("case__child")
        .order_by("conference_date", "id")
    )
    circulated = []
    for conference in conferences:
        due = add_working_days(conference.conference_date, standard)
        roll = rng.random()
        if due >= as_at and roll < 0.5:
            continue  # a recent conference whose minutes are still being written
        if conference.case.closure_date is None and due < as_at and roll < 0.03:
            continue  # late and still not circulated
        if roll < 0.15:
            day = add_working_days(due, rng.randint(1, 15))  # late
        else:
            day = add_working_days(conference.conference_date, rng.randint(3, standard))
        conference.minutes_circulated_on = min(day, as_at)
        circulated.append(conference)
    ChildProtectionConference.objects.bulk_update(
        circulated, ["minutes_circulated_on"], batch_size=BATCH_SIZE
    )

    def new_id() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    rows: dict = defaultdict(list)
    events: list = []
    saved: dict[str, int] = defaultdict(int)
    chosen = [
        c for c in conferences if c.kind != ConferenceKind.TRANSFER_IN and rng.random() < 0.12
    ]
    for conference in chosen:
        case, child = conference.case, conference.case.child
        name = _first_name(child)
        raised_on = min(add_working_days(conference.conference_date, rng.randint(2, 30)), as_at)
        if case.closure_date is not None and raised_on > case.closure_date:
            continue
        kind, concern = rng.choice(CONCERNS)
        raised_with = rng.choice(RAISED_WITH)
        resolved_on = resolution = None
        if case.closure_date is not None or rng.random() < 0.6:
            resolved_on = min(add_working_days(raised_on, rng.randint(3, 25)), as_at)
            resolution = rng.choice(RESOLUTIONS).format(name=name)
        chair = conference.chaired_by_id
        item = make(
            ChairChallenge,
            id=new_id(),
            case_id=case.id,
            conference_id=conference.id,
            kind=kind,
            concern=concern.format(name=name),
            raised_with=raised_with,
            raised_on=raised_on,
            raised_by_id=chair,
            resolved_on=resolved_on,
            resolution=resolution or "",
            created_by_id=chair,
            updated_by_id=chair,
        )
        rows[ChairChallenge].append(item)
        events.append(("protection.chairchallenge", str(item.id), child.id))
        label = ChallengeKind(kind).label
        entries = [
            (raised_on, f"{label} by the conference chair, raised with {raised_with}",
             item.concern, str(item.id)),
        ]
        if resolved_on is not None:
            entries.append(
                (resolved_on, f"{label} by the conference chair resolved", resolution,
                 f"{item.id}:end")
            )
        for day, what, outcome, source_id in entries:
            entry = make(
                ChronologyEntry,
                id=new_id(),
                child_id=child.id,
                case_id=case.id,
                event_date=day,
                what=what,
                source_agency="Independent reviewing service",
                outcome=outcome[:500],
                source_type="protection.chairchallenge",
                source_id=source_id,
                created_by_id=chair,
                updated_by_id=chair,
            )
            rows[ChronologyEntry].append(entry)
            events.append(("casework.chronologyentry", str(entry.id), child.id))
    save_with_events(rows, (ChairChallenge, ChronologyEntry), events, saved)
    return {
        "minutes_circulated": len(circulated),
        "chair_challenges": saved["protection.chairchallenge"],
    }
