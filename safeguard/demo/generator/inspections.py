"""An inspection of the demo borough (issue 15 item 5, decision 0042), made with the real
services: the inspection of children's services under way on the demo's date (two days in,
five to go), inspector1 its inspector; 12 case files chosen in advance (children on a child
protection plan first, as inspectors ask for them) and 45 drawn at random on site from a seed
(fewer in a small borough); inspector1 has already read some of them, so that the page of
what the inspectors read has rows.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from safeguard.accounts.models import Role, User
from safeguard.assurance import services
from safeguard.assurance.models import InspectedCase
from safeguard.audit.models import AccessEvent, AccessPurpose
from safeguard.casework.models import Case
from safeguard.people.models import Seal
from safeguard.timescales.selectors import with_stage

NAME = "Inspection of local authority children's services"
CHOSEN, DRAWN = 12, 45


def build(authority, as_at, seed: int) -> dict:
    """Make the inspection; returns the counts for the demo's summary."""
    inspector = User.objects.filter(username="inspector1").first()
    manager = (
        User.objects.filter(agency__authority=authority, role=Role.SERVICE_MANAGER)
        .order_by("username")
        .first()
    )
    if inspector is None or manager is None:
        return {"inspection_case_files": 0, "inspection_reads": 0}
    rng = random.Random(seed * 7919 + 57)
    inspection = services.inspection_set_up(
        by=manager,
        name=NAME,
        start_date=as_at - timedelta(days=2),
        end_date=as_at + timedelta(days=5),
        inspectors=[inspector],
    )
    open_cases = Case.objects.filter(authority=authority, closure_date__isnull=True).exclude(
        child__in=Seal.objects.filter(unsealed_at__isnull=True).values("person")
    )
    staged = with_stage(open_cases, on=as_at).filter(child__la_child_id__isnull=False)
    rows = sorted(staged.values_list("child__la_child_id", "stage").distinct())
    on_plan = sorted({child for child, stage in rows if stage == "cp_plan"})
    others = sorted({child for child, _ in rows} - set(on_plan))
    chosen = rng.sample(on_plan, min(CHOSEN, len(on_plan)))
    chosen += rng.sample(others, min(CHOSEN - len(chosen), len(others)))
    services.inspection_sample(by=manager, inspection=inspection, chosen=chosen, today=as_at)
    left = open_cases.exclude(pk__in=inspection.sample.values("case_id")).count()
    if left:
        services.inspection_sample(
            by=manager, inspection=inspection, size=min(DRAWN, left), seed=seed * 100 + 57,
            today=as_at,
        )  # fmt: skip
    reads = _reads(rng, inspection, inspector, as_at)
    return {"inspection_case_files": inspection.sample.count(), "inspection_reads": reads}


def _reads(rng, inspection, inspector, as_at) -> int:
    """inspector1's reads of about a third of the sample over the inspection's first days: the
    case page of each, some twice, logged as the access function logs them."""
    sample = list(
        InspectedCase.objects.filter(inspection=inspection)
        .select_related("case")
        .order_by("case__child__la_child_id")
    )
    read = rng.sample(sample, len(sample) // 3)
    events = []
    for item in read:
        for _ in range(rng.choice([1, 1, 2])):
            day = inspection.start_date + timedelta(days=rng.randint(0, 2))
            day = min(day, as_at)
            hour, minute = 9 + rng.randint(0, 7), rng.randint(0, 59)
            at = timezone.make_aware(datetime.combine(day, time(hour, minute)))
            events.append(
                AccessEvent(
                    user=inspector,
                    role=inspector.role,
                    person_id=item.case.child_id,
                    purpose=AccessPurpose.VIEW,
                    route=f"GET /cases/{item.case_id}/",
                    reason=f"Inspection: {inspection.name}",
                    at=at,
                )
            )
    events.sort(key=lambda e: (e.at, str(e.person_id)))
    AccessEvent.objects.bulk_create(events)
    return len(events)
