"""Documents (issue 16 item 8): a few synthetic letters, reports, photographs and court
papers on some children's records, added through ``documents.services.document_add`` (so the
files are checked by content and stored under random keys, like any upload).

The files are built in code (``documents.samples``): one-page PDFs of synthetic text and
small one-colour PNGs; no real name, place or identifier. Which children, which documents
and their dates follow the seed; the store's keys are random by design. The well-known
social worker ``sw1`` has documents on her first cases, so her pages show some."""

from __future__ import annotations

import random
from datetime import date, timedelta

from safeguard.casework.models import Allocation
from safeguard.documents import samples
from safeguard.documents.services import document_add

# (title, kind, source, sender, lines of the PDF, or None for a photograph)
TEMPLATES = [
    ("Attendance letter", "letter", "school", "Primary school (synthetic)",
     ["Attendance this half term: 81%.", "Late on eleven mornings.",
      "We would like to meet with the family to agree support."]),
    ("Health visitor report", "report", "health", "Health visiting team (synthetic)",
     ["Growth along the 25th centile.", "Immunisations up to date.",
      "Home conditions cluttered; safe sleep advice repeated."]),
    ("Police notification of a domestic incident", "report", "police",
     "Public protection unit (synthetic)",
     ["Officers attended after a neighbour's call at 23:10.", "The child was asleep upstairs.",
      "Adults separated for the night; no arrests."]),
    ("Letter from the family", "letter", "family", "",
     ["We want to work with the social worker.", "We need help with the rent arrears",
      "and with getting the children to school on time."]),
    ("Interim care order", "court", "court", "Family court (synthetic)",
     ["Interim care order made under section 38 Children Act 1989.",
      "Next hearing in four weeks.", "All parties to file statements by the date set."]),
    ("Photograph of the child's bedroom", "photograph", "social_care", "", None),
    ("Child's drawing of their family", "photograph", "child", "", None),
]  # fmt: skip
COLOURS = [(240, 228, 200), (190, 210, 235), (205, 235, 205), (245, 210, 210)]
SW1_CASES = 3
EVERY = 12
MAX_CHILDREN = 24


def _sealed():
    from safeguard.people.models import Seal

    return Seal.objects.filter(unsealed_at__isnull=True).values("person_id")


def add_documents(authority, *, seed: int, as_at: date) -> int:
    """Add documents to some children with an open, allocated case; return how many."""
    rng = random.Random(f"{seed}:documents")
    allocations = list(
        Allocation.objects.filter(
            case__authority=authority,
            case__closure_date__isnull=True,
            end_date__isnull=True,
        )
        # Not a sealed child: their documents would be hidden from most demo users.
        .exclude(case__child__in=_sealed())
        .select_related("case__child", "worker")
        .order_by("case__child__la_child_id", "case__referral_date", "id")
    )
    mine = [a for a in allocations if a.worker.username == "sw1"][:SW1_CASES]
    others = [a for a in allocations[::EVERY] if a not in mine]
    made = 0
    for allocation in (mine + others)[:MAX_CHILDREN]:
        case, child = allocation.case, allocation.case.child
        span = max((as_at - case.referral_date).days, 1)
        for title, kind, source, sender, lines in rng.sample(TEMPLATES, rng.randint(1, 3)):
            day = case.referral_date + timedelta(days=rng.randint(0, span))
            day = min(day, as_at)
            if lines is None:
                content = samples.png(rng.randint(40, 80), rng.randint(30, 60), rng.choice(COLOURS))
            else:
                content = samples.pdf([f"Date: {day:%d %B %Y}", *lines], title=title)
            document_add(
                by=allocation.worker, child=child, content=content, title=title,
                document_date=day, category=kind, source=source, source_detail=sender,
                description="Synthetic demo document" if rng.random() < 0.5 else "",
                case=case,
            )  # fmt: skip
            made += 1
    return made
