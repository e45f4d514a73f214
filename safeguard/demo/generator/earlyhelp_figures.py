"""What the early help queue and the figures for a preventative strategy need in the demo
borough (issue 19 items 5 and 6, decision 0082), made after the rest of early help:

- the child population of each postcode district the borough's addresses are in (synthetic
  numbers of the size ONS mid-year estimates give for a district: a few thousand children);
- an early help assessment still open past the local standard;
- a team around the family whose review is overdue;
- a child stepped down to early help and referred to social care again within 12 months
  (the assessment completed with "step up", then the referral).

Each is made through the real services, so that it has its change events and chronology, on
children chosen by the seeded generator among those with no early help and no open case.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q

from safeguard.accounts.models import LocalAuthority, Role, User
from safeguard.casework.models import Case
from safeguard.core.workdays import add_working_days
from safeguard.demo.generator import texts
from safeguard.demo.generator.common import seeded_ids
from safeguard.directory.codes import Need
from safeguard.earlyhelp import services as early_help
from safeguard.earlyhelp.models import EarlyHelpAssessment, TeamAroundFamily
from safeguard.people import permissions as people
from safeguard.people.models import Address, Person
from safeguard.performance.early_help import NO_ADDRESS, district
from safeguard.performance.services import child_population_set
from safeguard.referrals.services import referral_record

# Invented names, of the demo's vocabulary (``demo.vocabulary``).
SUPPORT_WORKER = "Joanne Brackenholt"
YOUTH_WORKER = "Marcus Sloewick"
YOUTH_SERVICE = texts.EARLY_HELP_OTHER_ORGANISATIONS[1]
NEEDS = (
    "Low school attendance and late arrivals; mum reports struggling with the morning routine "
    "since the baby was born"
)


def build(authority: LocalAuthority, *, seed: int, as_at: date) -> dict[str, int]:
    with seeded_ids(random.Random(f"{seed}-early-help-figure-ids")):
        return _build(authority, seed=seed, as_at=as_at)


def _build(authority: LocalAuthority, *, seed: int, as_at: date) -> dict[str, int]:
    rng = random.Random(f"{seed}-early-help-figures")
    manager = (
        User.objects.filter(agency__authority=authority, role=Role.SERVICE_MANAGER, is_active=True)
        .order_by("username")
        .first()
    )
    counts = {"child_population_districts": _population(authority, rng, as_at)}
    if manager is None:
        return counts
    free = _children_free_of_early_help(authority, manager, as_at)
    rng.shuffle(free)
    counts["early_help_assessments_late"] = _assessment_late(authority, manager, free, as_at)
    counts["taf_reviews_overdue"] = _review_overdue(authority, manager, free, as_at)
    counts["stepped_down_and_referred_again"] = _stepped_down_and_back(
        authority, manager, rng, as_at
    )
    return counts


def _population(authority, rng: random.Random, as_at: date) -> int:
    """Each district's children: a few thousand, as a district's mid-year estimate would be
    (synthetic; a real authority enters ONS's numbers)."""
    postcodes = Address.objects.filter(authority=authority).values_list("postcode", flat=True)
    districts = sorted({district(p) for p in postcodes} - {NO_ADDRESS})
    for name in districts:
        child_population_set(
            by=None,
            authority=authority,
            district=name,
            children=rng.randrange(2400, 7800, 5),
            year=as_at.year - 1,
        )
    return len(districts)


def _children_free_of_early_help(authority, manager, as_at: date) -> list[Person]:
    """Children aged 2 to 15 on ``as_at`` with no early help and no open case, whom the
    manager may see (no sealed record), in a fixed order."""
    person = OuterRef("pk")
    return list(
        people.visible_to(manager)
        .filter(
            authority=authority,
            date_of_birth__lte=as_at - timedelta(days=2 * 366),
            date_of_birth__gt=as_at - timedelta(days=15 * 365),
            date_of_death__isnull=True,
        )
        .exclude(Exists(EarlyHelpAssessment.objects.filter(child_id=person)))
        .exclude(Exists(TeamAroundFamily.objects.filter(child_id=person)))
        .exclude(Exists(Case.objects.filter(child_id=person, closure_date__isnull=True)))
        .order_by("pk")[:200]
    )


def _start(manager, child, start: date, **more):
    return early_help.eha_start(
        by=manager, child=child, start_date=start, consent_given=True, consent_date=start,
        organisation_other=texts.EARLY_HELP_OTHER_ORGANISATIONS[0],
        lead_name=SUPPORT_WORKER, lead_agency=texts.EARLY_HELP_OTHER_ORGANISATIONS[0],
        lead_role="Family support worker", needs=NEEDS, consent_by="Mother",
        child_development_strengths="Enjoys reading with the class teacher; gets on with others.",
        child_development_needs="Attendance 84% this term; often arrives after registration.",
        parents_carers_strengths="Mother is warm with the children and wants the mornings to work.",
        parents_carers_needs="Mother struggling with the morning routine since the baby; tired.",
        family_environment_strengths="Grandmother lives nearby and could help on school mornings.",
        family_environment_needs="Nobody else at home in the mornings; money tight on leave pay.",
        identified_needs=[Need.SCHOOL_ATTENDANCE, Need.PARENTING, Need.ISOLATION], **more,
    )  # fmt: skip


def _assessment_late(authority, manager, free: list[Person], as_at: date) -> int:
    """An assessment started a fortnight of working days more than the standard ago, still
    open."""
    if not free:
        return 0
    start = add_working_days(as_at, -(authority.early_help_assessment_wd + 10))
    _start(manager, free.pop(), start)
    return 1


def _review_overdue(authority, manager, free: list[Person], as_at: date) -> int:
    """A team around the family, after its assessment, whose first review is ten days late."""
    if not free:
        return 0
    child = free.pop()
    start = as_at - timedelta(weeks=authority.taf_review_weeks, days=10)
    assessment = _start(manager, child, start - timedelta(days=35))
    early_help.eha_complete(
        by=manager, assessment=assessment, completed_date=start - timedelta(days=4), outcome="taf"
    )
    early_help.taf_start(
        by=manager, child=child, start_date=start, lead_name=YOUTH_WORKER,
        lead_agency=YOUTH_SERVICE, lead_role="Youth worker",
        plan="Weekly youth club and a mentor; school to share attendance each Friday",
        assessment=assessment,
        members=[
            {"agency": YOUTH_SERVICE, "name": YOUTH_WORKER, "role": "Youth worker"},
            {"agency": "School", "name": "Ms Tansymere", "role": "Designated safeguarding lead"},
        ],
    )  # fmt: skip
    return 1


def _stepped_down_and_back(authority, manager, rng: random.Random, as_at: date) -> int:
    """A child stepped down to early help in the last ten months, whose early help ended
    (no further action or single-agency support) and who is referred to social care again a
    month or more later: counted among the children stepped down and referred again within
    12 months."""
    child = OuterRef("child_id")
    later_or_open_case = Case.objects.filter(
        Q(referral_date__gt=OuterRef("start_date")) | Q(closure_date__isnull=True),
        child_id=child,
    )
    open_team = TeamAroundFamily.objects.filter(end_date__isnull=True, child_id=child)
    candidates = list(
        EarlyHelpAssessment.objects.filter(
            authority=authority,
            stepped_down_from__isnull=False,
            start_date__gte=as_at - timedelta(days=300),
            completed_date__lte=as_at - timedelta(days=40),
            outcome__in=["nfa", "single_agency"],
            child__in=people.visible_to(manager).values("pk"),
            child__date_of_death__isnull=True,
        )
        .exclude(Exists(later_or_open_case))
        .exclude(Exists(open_team))
        .select_related("child")
        .order_by("pk")[:50]
    )
    if not candidates:
        return 0
    assessment = rng.choice(candidates)
    back = assessment.completed_date + timedelta(days=rng.randint(30, 39))
    referral_record(
        by=manager, child=assessment.child, received_date=back, source="2A",
        decision="assessment", decision_date=back, primary_need="N1",
        reason="School worried again: attendance has fallen and there is a new worry about home",
    )  # fmt: skip
    return 1
