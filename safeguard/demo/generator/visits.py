"""What the demo's visits found (decision 0036): who was present, whether announced, where
the child was seen alone, observations, the child's views in their own words and the
worker's analysis. Each visit's words are chosen by a generator seeded from the visit's own
id, so adding them leaves the rest of the borough as it was."""

from __future__ import annotations

import random
import uuid

from safeguard.casework.models import DirectWork, VisitNotice
from safeguard.demo.generator import texts
from safeguard.demo.generator.common import make

PRESENT = (
    "{name}, their mother",
    "{name}, their mother and her partner",
    "{name}, their father and grandmother",
    "{name}, their mother and younger brother",
    "{name} and their foster carer",
)
ALONE_WHERE = (
    "Their bedroom",
    "The living room, door closed",
    "At school, in the quiet room",
    "In the garden",
)
OBSERVATIONS = (
    "The home was warm and tidy; there was food in the fridge. {name} was clean and dressed "
    "for the weather and moved freely around the home.",
    "The kitchen was cluttered and there was little food. {name}'s bedroom had a bed and "
    "clean bedding. Mother appeared tired but engaged throughout.",
    "The visit was calm. {name} went to their mother for comfort and played with the toys "
    "they had been given. No marks or injuries were seen.",
    "A smell of cannabis in the hallway. {name} was in their room with headphones on and "
    "said they spend most evenings there.",
)
ANALYSIS = (
    "Home conditions have improved since the last visit; the routines agreed in the plan "
    "are in place. The risk is reducing but the change is recent and needs to be sustained.",
    "{name}'s needs are being met inconsistently. The parent understands the concerns but "
    "has not yet made the changes: a further unannounced visit is needed within ten days.",
    "{name} is safe today. What they said matches what school reports: the worry is the "
    "evenings, when the adults drink. This goes to the core group.",
)


def visit_content(
    visit_id: uuid.UUID, *, name: str, seen: bool, alone: bool, age: int | None
) -> dict:
    """The words of one visit, as ``Visit`` field values."""
    rng = random.Random(visit_id.int)
    first = (name.split() or ["The child"])[0]
    content = {
        "announced": VisitNotice.UNANNOUNCED if rng.random() < 0.3 else VisitNotice.ANNOUNCED,
        "present": rng.choice(PRESENT).format(name=first),
        "observations": rng.choice(OBSERVATIONS).format(name=first),
        "analysis": rng.choice(ANALYSIS).format(name=first),
    }
    if alone:
        content["seen_alone_where"] = rng.choice(ALONE_WHERE)
    if seen and age is not None and rng.random() < 0.75:
        content["child_views"] = rng.choice(texts.CHILD_WORDS["young" if age < 8 else "older"])
    return content


DIRECT_WORK = (
    (
        "School, in the quiet room",
        "Three houses: the house of worries, of good things and of dreams.",
    ),
    ("The family centre", "Wishes and feelings work with drawings and a feelings chart."),
    ("At home, in their bedroom", "An ecomap of the people important to them."),
    ("A walk to the park", "Talking about a typical day, morning to bedtime."),
)
DIRECT_WORK_ANALYSIS = (
    "{name} named the same worries as at the last visit: the shouting in the evenings. "
    "Their trusted adults are their nan and their teacher; both are in the plan.",
    "{name} engaged well and was clear about what makes them feel safe. What they said fits "
    "what the school and the health visitor describe.",
)


def direct_work_after(visit, *, new_id, name: str, age: int | None):
    """A session of direct work on the day of ``visit`` for about one child seen in six aged
    four or more, or None."""
    rng = random.Random(visit.id.int + 1)
    if age is None or age < 4 or not visit.child_seen or rng.random() > 0.17:
        return None
    first = (name.split() or ["The child"])[0]
    where, purpose = rng.choice(DIRECT_WORK)
    return make(
        DirectWork,
        id=new_id(),
        case_id=visit.case_id,
        work_date=visit.visit_date,
        worker_id=visit.worker_id,
        where=where,
        purpose=purpose,
        child_views=rng.choice(texts.CHILD_WORDS["young" if age < 8 else "older"]),
        analysis=rng.choice(DIRECT_WORK_ANALYSIS).format(name=first),
        created_by_id=visit.worker_id,
        updated_by_id=visit.worker_id,
    )
