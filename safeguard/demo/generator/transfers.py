"""Transfers between teams and contacts passed to allocated workers (issue 14 item 5, issue 16
item 9): made through the real services, so that the transfer list has completed transfers
with their times, one returned and one waiting for its manager (on that manager's home page),
and some contacts about children with open cases went to their allocated workers.

Every choice comes from ``random.Random`` seeded from the demo's seed, over records read in a
fixed order, so that the same seed gives the same transfers on SQLite and PostgreSQL.
"""

from __future__ import annotations

import random
from datetime import date

from safeguard.accounts.models import AgencyKind, Team, User
from safeguard.accounts.roles import Role
from safeguard.casework.models import Allocation, Case
from safeguard.casework.selectors import team_line_manager
from safeguard.core.workdays import add_working_days
from safeguard.demo.generator.caseloads import UNSEEN_WD
from safeguard.demo.generator.common import seeded_ids
from safeguard.referrals.models import ContactOutcome, ThresholdLevel
from safeguard.referrals.services import contact_decide, contact_record
from safeguard.timescales import selectors as timescales
from safeguard.transfers import services

# Synthetic handovers: (summary, risks, outstanding work).
HANDOVERS = (
    (
        "Assessment completed: neglect of a primary school child, mother struggling with low "
        "mood. Child in need plan agreed with the family; school and health visitor involved.",
        "Poor home conditions and missed health appointments; risk rises when mother's mood "
        "drops. No current concerns about physical harm.",
        "Child in need visit due; first plan review to book; GP letter about mother's "
        "medication review not yet sent.",
    ),
    (
        "Child protection plan under the category of emotional abuse after domestic abuse "
        "incidents. Father has left the home and is bailed not to return.",
        "Father may return; mother minimises incidents. Child is withdrawn at school.",
        "Core group in two weeks; statutory visit due; refer mother to the domestic abuse "
        "service (consent given, referral not yet made).",
    ),
    (
        "Teenager missing from home three times this term; assessment found criminal "
        "exploitation concerns. Engages with the youth worker.",
        "Exploitation by older peers; carrying cash and a second phone. Return interviews "
        "completed late.",
        "Strategy discussion minutes to file; safety plan review; school attendance meeting.",
    ),
)
RETURN_REASONS = (
    "The family have moved to the west of the borough, which another team covers: please "
    "send it there.",
    "The assessment is not yet authorised: finish it and send the case again with the plan.",
)
# Synthetic contacts about children whose case is open: (source, reason).
PASSED_CONTACTS_TEXT = (
    ("2A", "School reports the child arrived without breakfast three days this week."),
    ("3B", "Health visitor missed two appointments; mother did not answer the door."),
    ("1B", "Neighbour reports shouting late at night at the family home."),
    ("3A", "GP concerned that the child's weight has fallen since the last check."),
)
COMPLETED, RETURNED, PENDING = 6, 1, 1
PASSED_CONTACTS = 4


def _teams(authority) -> list[tuple[Team, User]]:
    """The teams that hold cases (they have social workers), each with its line manager."""
    teams = (
        Team.objects.filter(
            agency__authority=authority,
            agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
            members__role=Role.SOCIAL_WORKER,
            members__is_active=True,
        )
        .exclude(name__startswith="Front Door")
        .select_related("manager", "agency")
        .distinct()
        .order_by("name")
    )
    return [(t, m) for t in teams if (m := team_line_manager(t)) is not None]


def _worker_in(team: Team) -> User | None:
    return (
        User.objects.filter(teams=team, role=Role.SOCIAL_WORKER, is_active=True)
        .order_by("username")
        .first()
    )


def _next_due(requested: date, rng: random.Random) -> str:
    """Synthetic next due dates, as the request form fills them in from the due table."""
    visit = add_working_days(requested, rng.randint(2, 8))
    review = add_working_days(requested, rng.randint(10, 30))
    return (
        f"Child in need visit (child seen): due {visit.day} {visit:%B %Y}\n"
        f"Child in need plan review: due {review.day} {review:%B %Y}"
    )


def build(authority, *, seed: int, as_at: date) -> dict[str, int]:
    """Make the demo's transfers and passed contacts; return how many of each."""
    with seeded_ids(random.Random(f"transfer-ids-{seed}")):
        return _build(authority, seed=seed, as_at=as_at)


def _build(authority, *, seed: int, as_at: date) -> dict[str, int]:
    rng = random.Random(f"transfers-{seed}")
    # Cases move on to the long-term teams (the classic transfer: after an assessment).
    teams = [(t, m) for t, m in _teams(authority) if t.name.startswith("Child Protection")]
    window = add_working_days(as_at, -60)
    held = list(
        Allocation.objects.filter(
            case__authority=authority,
            case__closure_date__isnull=True,
            case__team__isnull=False,
            end_date__isnull=True,
            start_date__lte=window,
            worker__role=Role.SOCIAL_WORKER,
        )
        # Assessed before the window, none open: every assessment was authorised by the
        # manager of the team then holding the case, before it moved.
        .exclude(case__assessments__completed_date__isnull=True)
        .exclude(case__assessments__completed_date__gte=window)
        .select_related("case__child", "case__team", "worker")
        .order_by("case__referral_date", "case__child__la_child_id", "start_date")
    )
    # The children the demo leaves unseen past their standard, one in each stage
    # (``caseloads._some_unseen``), keep their stage: a transfer would leave them unallocated.
    # Only children seen within the last UNSEEN_WD working days move.
    recent = add_working_days(as_at, -UNSEEN_WD)
    seen = set(
        timescales.with_last_seen(Case.objects.filter(pk__in=[a.case_id for a in held]))
        .filter(last_seen__gt=recent)
        .values_list("pk", flat=True)
    )
    held = [a for a in held if a.case_id in seen]
    made = {"transfers": 0, "contacts_passed": 0}
    if len(teams) < 2 or not held:
        return made
    chosen = rng.sample(held, min(len(held), COMPLETED + RETURNED + PENDING + PASSED_CONTACTS))
    for i, allocation in enumerate(chosen[: COMPLETED + RETURNED + PENDING]):
        case = allocation.case
        others = [(t, m) for t, m in teams if t.pk != case.team_id]
        to_team, manager = rng.choice(others)
        summary, risks, outstanding = rng.choice(HANDOVERS)
        pending = i == COMPLETED + RETURNED
        requested = add_working_days(
            as_at, -(rng.randint(1, 4) if pending else rng.randint(12, 45))
        )
        transfer = services.transfer_request(
            by=allocation.worker,
            case=case,
            to_team=to_team,
            summary=summary,
            risks=risks,
            outstanding_work=outstanding,
            next_due=_next_due(requested, rng),
            on=requested,
        )
        made["transfers"] += 1
        if pending:
            continue
        decided = min(add_working_days(requested, rng.randint(1, 9)), as_at)
        if i < COMPLETED:
            worker = _worker_in(to_team) if i % 2 == 0 else None
            services.transfer_accept(
                by=manager,
                transfer=transfer,
                worker=worker,
                reason="Room on her caseload and knows the school" if worker else "",
                on=decided,
            )
        else:
            services.transfer_return(
                by=manager, transfer=transfer, reason=rng.choice(RETURN_REASONS), on=decided
            )
    made["contacts_passed"] = _passed_contacts(
        authority, chosen[COMPLETED + RETURNED + PENDING :], rng, as_at
    )
    return made


def _passed_contacts(authority, allocations, rng: random.Random, as_at: date) -> int:
    """Contacts about children whose case is open, passed to their allocated worker."""
    front_door = (
        User.objects.filter(
            agency__authority=authority,
            role=Role.SOCIAL_WORKER,
            teams__name__startswith="Front Door",
            is_active=True,
        )
        .order_by("username")
        .first()
    )
    level = (
        ThresholdLevel.objects.filter(authority=authority)
        .prefetch_related("indicators")
        .order_by("number")
        .first()
    )
    if front_door is None or level is None or not level.indicators.all():
        return 0
    indicator = sorted(level.indicators.all(), key=lambda i: i.pk)[0]
    made = 0
    for allocation in allocations:
        received = add_working_days(as_at, -rng.randint(2, 20))
        source, reason = rng.choice(PASSED_CONTACTS_TEXT)
        contact = contact_record(
            by=front_door,
            child=allocation.case.child,
            contact_date=received,
            source=source,
            reason=reason,
            priority="amber",
            priority_reason="New information on a child whose case is open",
        )
        contact_decide(
            by=front_door,
            contact=contact,
            level=level,
            indicators=[indicator],
            rationale="The child's case is open: the allocated worker follows this up.",
            outcome=ContactOutcome.PASSED_TO_WORKER,
            decision_date=min(add_working_days(received, 1), as_at),
        )
        made += 1
    return made
