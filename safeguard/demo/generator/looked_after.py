"""Periods of care in the demo borough (decision 0076): a few children on open cases became
looked after, most still are and some have gone home, so that the case page, the child's
status and the child-protection lookup ("is looked after") all have something to show.

Made through the real services (``casework.services.looked_after_start`` and ``_end``) by
the case's allocated worker, so that every period has its change events and chronology
entries. The reasons are plain synthetic words, naming nobody.
"""

from __future__ import annotations

from datetime import date, timedelta
from random import Random

from safeguard.casework import services
from safeguard.casework.codes import LegalStatus
from safeguard.casework.models import Allocation
from safeguard.demo.generator.common import seeded_ids

# About one open case in forty: a borough's children in care are a smaller group than its
# children in need, and most are held by looked-after children's teams Safeguard does not
# model.
SHARE = 40
# Legal statuses as children in care are spread in the SSDA903 return: mostly care orders
# and section 20, a few placement orders and emergency protection.
STATUSES = (
    [LegalStatus.FULL_CARE_ORDER] * 5
    + [LegalStatus.INTERIM_CARE_ORDER] * 3
    + [LegalStatus.SECTION_20] * 3
    + [LegalStatus.PLACEMENT_ORDER, LegalStatus.EMERGENCY_PROTECTION_ORDER]
)
ENDED_REASONS = (
    "Returned home to live with parents under a plan agreed at the looked-after review",
    "Special guardianship order made to the grandmother",
    "Child arrangements order made to an aunt",
    "Moved to live with the other parent",
)


def make_looked_after(authority, *, seed: int, as_at: date) -> dict[str, int]:
    """Start (and for some, end) periods of care on about one open, allocated case in
    ``SHARE``; returns the counts made."""
    rng = Random(seed + 76)
    allocations = list(
        Allocation.objects.filter(
            Allocation.open_on(as_at),
            case__authority=authority,
            case__closure_date__isnull=True,
            case__referral_date__lte=as_at - timedelta(days=30),
        )
        .select_related("case__child", "worker")
        .order_by("case__child__la_child_id", "case__referral_date", "pk")
    )
    seen, chosen = set(), []
    for allocation in allocations:
        if allocation.case.child_id not in seen:
            seen.add(allocation.case.child_id)
            chosen.append(allocation)
    chosen = rng.sample(chosen, max(1, len(chosen) // SHARE)) if chosen else []
    made = ended = 0
    # The services' records (periods, change events, chronology entries) take ids from the
    # seed, so that the same seed gives the same borough.
    with seeded_ids(Random(f"looked-after-ids-{seed}")):
        for n, allocation in enumerate(chosen):
            case = allocation.case
            earliest = max(case.referral_date, allocation.start_date)
            days = (as_at - earliest).days
            start = earliest + timedelta(days=rng.randint(0, max(0, days - 14)))
            period = services.looked_after_start(
                by=allocation.worker, case=case, start_date=start, legal_status=rng.choice(STATUSES)
            )
            made += 1
            if n % 3 == 2 and (as_at - start).days > 7:  # a third have left care since
                end = start + timedelta(days=rng.randint(1, (as_at - start).days - 1))
                services.looked_after_end(
                    by=allocation.worker,
                    period=period,
                    end_date=end,
                    reason=rng.choice(ENDED_REASONS),
                )
                ended += 1
    return {"looked_after_periods": made, "looked_after_now": made - ended}
