"""Referrals of demo children to the directory's services (issue 19 item 3, decision 0080):
children with an early help assessment or a case referred to services, in every status (sent,
accepted, declined, started, ended with each kind of outcome, withdrawn), each step on the
child's chronology; and the needs identified on the demo's early help assessments, so that
their pages suggest services.

The directory itself is the demo's own (``directory.py``); a small one is made here only when
the directory is empty, so that this part works alone as well as after it. Synthetic
services and reasons only. Deterministic from the seed."""

from __future__ import annotations

from datetime import timedelta
from random import Random

from safeguard.accounts.models import User
from safeguard.audit.services import save_new
from safeguard.casework.models import Case
from safeguard.casework.services import chronology_add
from safeguard.core.workdays import add_months
from safeguard.demo.generator.common import POSTCODE_AREA, seeded_ids
from safeguard.directory.codes import Need, ReferralOutcome, ReferralStatus, ServiceKind
from safeguard.directory.models import Service, ServiceReferral
from safeguard.directory.referral_services import StepMarker
from safeguard.earlyhelp.models import EarlyHelpAssessment
from safeguard.people.models import Person

REFERRALS = 72

# (name, provided by, kind, ages, districts, levels, needs, usual wait in weeks)
FALLBACK_SERVICES = (
    ("Kingsmere Family Hub", "Kingsmere Council", ServiceKind.EARLY_HELP, (0, 18), (), (2, 3),
     (Need.PARENTING, Need.ISOLATION, Need.FINANCIAL), 2),
    ("Little Steps Parenting Group", "Kingsmere Council", ServiceKind.PARENTING, (0, 11), (), (2,),
     (Need.PARENTING, Need.BEHAVIOUR), 4),
    ("Safer Homes Outreach", "Kingsmere Women's Aid", ServiceKind.DOMESTIC_ABUSE, (None, None), (),
     (2, 3, 4), (Need.DOMESTIC_ABUSE,), 1),
    ("Young Minds Together", "Kingsmere Community Health", ServiceKind.MENTAL_HEALTH, (8, 18), (),
     (2, 3), (Need.EMOTIONAL_WELLBEING,), 9),
    ("Parents' Wellbeing Service", "Kingsmere Community Health", ServiceKind.MENTAL_HEALTH,
     (None, None), (), (), (Need.PARENTAL_MENTAL_HEALTH,), 6),
    ("Clear Path Family Recovery", "Kingsmere Recovery Partnership", ServiceKind.SUBSTANCE_MISUSE,
     (None, None), (), (2, 3, 4), (Need.SUBSTANCE_MISUSE,), 3),
    ("North Kingsmere Youth Project", "Kingsmere Youth Trust", ServiceKind.YOUTH, (11, 18),
     (f"{POSTCODE_AREA}1", f"{POSTCODE_AREA}2", f"{POSTCODE_AREA}3", f"{POSTCODE_AREA}4"), (2,),
     (Need.OFFENDING_RISK, Need.EXPLOITATION_RISK, Need.BEHAVIOUR), 2),
    ("South Kingsmere Youth Project", "Kingsmere Youth Trust", ServiceKind.YOUTH, (11, 18),
     (f"{POSTCODE_AREA}5", f"{POSTCODE_AREA}6", f"{POSTCODE_AREA}7", f"{POSTCODE_AREA}8",
      f"{POSTCODE_AREA}9"), (2,), (Need.OFFENDING_RISK, Need.EXPLOITATION_RISK), 3),
    ("Young Carers Kingsmere", "Carers Kingsmere", ServiceKind.VOLUNTARY, (5, 18), (), (),
     (Need.YOUNG_CARER,), 2),
    ("Every Day Counts Attendance Team", "Kingsmere Council", ServiceKind.EDUCATION, (5, 16), (),
     (2, 3), (Need.SCHOOL_ATTENDANCE,), 1),
    ("Home Safe Housing Advice", "Kingsmere Council", ServiceKind.HOUSING, (None, None), (), (),
     (Need.HOUSING,), 2),
    ("Money Matters Advice", "Kingsmere Citizens Advice", ServiceKind.FINANCIAL, (None, None), (),
     (), (Need.FINANCIAL, Need.EMPLOYMENT), 1),
    ("SEND Family Support", "Kingsmere Parent Carer Forum", ServiceKind.SEND, (0, 25), (), (),
     (Need.SEND,), 8),
)  # fmt: skip

REASONS = (
    "Mother asks for help with bedtime routines and boundaries since the baby was born.",
    "The family has fallen behind on rent after a cut in hours; the parents want advice.",
    "Father is waiting for mental health support and mother is caring alone for three children.",
    "The child has missed a third of the term and is anxious about going in.",
    "Mother disclosed controlling behaviour by her ex-partner and wants support to stay safe.",
    "The child has been stopped by police twice with older young people; school is worried.",
    "The child cares for a parent with a long-term illness and is often tired at school.",
    "The parents want help with the child's behaviour at home; school sees it too.",
)
NO_CONSENT = "The young person is 16 and agreed to the referral himself; the parents were not told."
DECLINES = (
    "Outside the age range the service works with.",
    "The family's needs are better met by the specialist service we have suggested.",
    "No capacity this term; the family has been offered the waiting list instead.",
)
WITHDRAWALS = (
    "The family moved out of the borough before the service could start.",
    "The family found help through the school and no longer wanted the referral.",
)

# The statuses, in turn, so that every status is shown (ended with each kind of outcome).
PLAN = (
    ReferralStatus.SENT,
    ReferralStatus.ACCEPTED,
    ReferralStatus.DECLINED,
    ReferralStatus.STARTED,
    ReferralStatus.ENDED,
    ReferralStatus.WITHDRAWN,
    ReferralStatus.ENDED,
    ReferralStatus.STARTED,
)


def _fallback_directory(authority, as_at, rng) -> None:
    """A small directory, only when none was made (``directory.py`` makes the demo's own)."""
    for name, org, kind, (low, high), areas, levels, needs, weeks in FALLBACK_SERVICES:
        Service.objects.create(
            authority=authority, name=name, organisation=org, kind=kind,
            description=f"{name}: support for Kingsmere families.", min_age=low, max_age=high,
            areas=list(areas), levels=list(levels), needs=[str(n) for n in needs],
            how_to_refer="Refer through Safeguard, or email the service with the family's consent.",
            waiting_weeks=weeks, phone="01632 960000",
            last_checked=as_at - timedelta(days=rng.randint(5, 200)),
        )  # fmt: skip


def _set_needs(authority, rng) -> int:
    """Needs identified on the demo's early help assessments that record none."""
    assessments = EarlyHelpAssessment.objects.filter(authority=authority, identified_needs=[])
    needs = list(Need.values)
    changed = []
    for eha in assessments.order_by("pk"):
        eha.identified_needs = sorted(rng.sample(needs, rng.randint(1, 3)))
        changed.append(eha)
    EarlyHelpAssessment.objects.bulk_update(changed, ["identified_needs"], batch_size=500)
    return len(changed)


def _step(by, referral, day, what, status=None):
    chronology_add(
        by=by, child=referral.child, case=referral.case, event_date=day, what=what,
        source_agency=by.agency.name if by.agency_id else "",
        source=referral if status is None else StepMarker(referral, status),
    )  # fmt: skip


def make_service_referrals(authority, *, seed: int, as_at) -> dict[str, int]:
    """Make the demo's referrals to services; returns how many."""
    rng = Random(seed + 80)
    sender = User.objects.filter(username="sw1").select_related("agency").first()
    if sender is None:
        return {"service_referrals": 0}
    if not Service.objects.filter(authority=authority).exists():
        _fallback_directory(authority, as_at, rng)
    needs_set = _set_needs(authority, rng)
    services = list(
        Service.objects.current(as_at).filter(authority=authority, accepting_referrals=True)
    )
    if not services:
        return {"service_referrals": 0, "early_help_needs": needs_set}
    with_eha = EarlyHelpAssessment.objects.filter(authority=authority)
    cases = {
        case.child_id: case
        for case in Case.objects.filter(authority=authority, closure_date__isnull=True)
        .select_related("child")
        .order_by("pk")[:200]
    }
    children = list(
        with_eha.values_list("child_id", flat=True).distinct().order_by("child_id")[:40]
    )
    children += [child_id for child_id in cases if child_id not in children]
    if not children:
        return {"service_referrals": 0, "early_help_needs": needs_set}
    made = 0
    people = {p.pk: p for p in Person.objects.filter(pk__in=children[:REFERRALS])}
    with seeded_ids(Random(f"service-referral-ids-{seed}")):
        for i in range(min(REFERRALS, len(people) * 2)):
            child = people[children[i % len(people)]]
            service = services[rng.randrange(len(services))]
            status = PLAN[i % len(PLAN)]
            case = cases.get(child.pk)
            sent = max(as_at - timedelta(days=rng.randint(10, 330)), add_months(as_at, -11))
            if case is not None:
                sent = max(sent, case.referral_date)
            consent = i % 9 != 4
            referral = ServiceReferral(
                service=service, child=child, authority=authority, case=case,
                reason=REASONS[i % len(REASONS)], consent=consent,
                no_consent_reason="" if consent else NO_CONSENT,
                status=status, sent_on=sent, sent_by=sender,
            )  # fmt: skip
            decided = min(sent + timedelta(days=rng.randint(1, 10)), as_at)
            started = min(
                decided + timedelta(days=rng.randint(0, 7 * (service.waiting_weeks or 2))), as_at
            )
            ended = min(started + timedelta(days=rng.randint(20, 90)), as_at)
            # Decided for every status after sent; a withdrawn one, every other time, after it
            # was accepted.
            if status not in (ReferralStatus.SENT, ReferralStatus.WITHDRAWN) or (
                status == ReferralStatus.WITHDRAWN and i % 2
            ):
                referral.decided_on = decided
            if status == ReferralStatus.DECLINED:
                referral.declined_reason = DECLINES[i % len(DECLINES)]
            if status in (ReferralStatus.STARTED, ReferralStatus.ENDED):
                referral.started_on = started
            if status == ReferralStatus.ENDED:
                referral.ended_on = ended
                referral.outcome = ReferralOutcome.values[
                    (i // len(PLAN)) % len(ReferralOutcome.values)
                ]
                referral.outcome_notes = "Reviewed with the family at the last session."
            if status == ReferralStatus.WITHDRAWN:
                referral.withdrawn_reason = WITHDRAWALS[i % len(WITHDRAWALS)]
            save_new(referral, by=sender, person_id=child.pk)
            name = service.name
            _step(sender, referral, sent, f"Referred to {name} ({service.organisation})")
            if referral.decided_on and status != ReferralStatus.DECLINED:
                _step(sender, referral, decided, f"{name} accepted the referral", "accepted")
            if status == ReferralStatus.DECLINED:
                _step(sender, referral, decided, f"{name} declined the referral", "declined")
            if referral.started_on:
                _step(sender, referral, started, f"Started with {name}", "started")
            if status == ReferralStatus.ENDED:
                outcome = ReferralOutcome(referral.outcome).label.lower()
                _step(sender, referral, ended, f"Ended with {name}: {outcome}", "ended")
            if status == ReferralStatus.WITHDRAWN:
                _step(sender, referral, decided, f"Referral to {name} withdrawn", "withdrawn")
            made += 1
    return {"service_referrals": made, "early_help_needs": needs_set}
