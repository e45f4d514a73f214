"""What the demo's visits found (decision 0036): who was present, whether announced, where
the child was seen alone, observations, the child's views in their own words and the
worker's analysis. Each visit's words are chosen by a generator seeded from the visit's own
id, so adding them leaves the rest of the borough as it was."""

from __future__ import annotations

import random
import uuid

from safeguard.casework.models import VisitNotice
from safeguard.demo.generator import texts

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
