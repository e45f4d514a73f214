"""Journeys through children's social care as dated steps, for one family at a time.

This module knows nothing of the database. ``realise`` turns a seed and a referral date into
one child-in-need episode for a sibling group: every step of the path it takes (referral,
assessment, strategy discussion, section 47 enquiry, conferences, plans, visits, notes,
decisions, allocations, closure), dated in order and by the timescales the demo aims at. The
path runs to its closure whatever the date; ``Episode.cut`` then removes what had not yet
happened on a given day, leaving open whatever was open then.

The same seed and referral date always give the same episode, so an episode can be realised
once to learn how long it lasts, and again at the date chosen for it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from safeguard.assessments.codes import Factor
from safeguard.assessments.models import AssessmentOutcome
from safeguard.casework.codes import ClosureReason as RC
from safeguard.casework.codes import PrimaryNeed as Need
from safeguard.casework.codes import ReferralSource as Source
from safeguard.casework.codes import VisitKind
from safeguard.core.workdays import add_months, add_working_days, is_working_day
from safeguard.demo.generator import texts
from safeguard.protection.codes import CategoryOfAbuse as Category
from safeguard.protection.codes import PlanEndReason
from safeguard.protection.models import (
    ConferenceDecision,
    ConferenceKind,
    Section47Outcome,
    StrategyDecision,
)
from safeguard.referrals.models import ReferralDecision

# Which kind of team holds the case: assessment teams, then the CP/CIN teams for plans.
ASSESSMENT_TEAM = "assessment"
CP_TEAM = "cp"

# Paths a journey can be forced down (for the well-known worker's caseload, repeat plans).
FORCE_CP = "cp"  # to a child protection plan
FORCE_CIN = "cin"  # to a child in need plan after assessment
FORCE_ASSESSMENT = "assessment"  # a plain assessment, however it ends
FORCE_NFA = "nfa"  # a referral decided "no further action"

# --- Rates (see docs/demo-borough.md for the sources) ----------------------------------------

REFERRAL_NFA = 0.08
IMMEDIATE_STRATEGY = 0.10  # referral decided straight to a strategy discussion
# What an assessment that did not start from a strategy discussion concludes.
ASSESSMENT_OUTCOMES = {
    AssessmentOutcome.STRATEGY_DISCUSSION: 0.15,
    AssessmentOutcome.NO_FURTHER_ACTION: 0.31,
    AssessmentOutcome.EARLY_HELP: 0.16,
    AssessmentOutcome.CIN_PLAN: 0.38,
}
ASSESSMENT_WITHIN_45 = 0.78
STRATEGY_TO_S47 = 0.9
S47_OUTCOMES = {
    Section47Outcome.SUBSTANTIATED_ICPC: 0.55,
    Section47Outcome.NOT_SUBSTANTIATED_CIN: 0.30,
    Section47Outcome.NOT_SUBSTANTIATED_NFA: 0.15,
}
ICPC_WITHIN_15 = 0.79
ICPC_TO_PLAN = 0.88
CATEGORIES = {
    Category.NEGLECT: 50,
    Category.EMOTIONAL: 35,
    Category.PHYSICAL: 7,
    Category.SEXUAL: 4,
    Category.MULTIPLE: 4,
}
# The review conference at which a plan ends: 1 is the first (about 3 months), 2 the
# second (about 9 months) and so on; plans ending at the 5th or later have lasted 2 years.
# One in ten plans lasts that long, more than the 4% of plans ending nationally, because the
# demo only has the histories of families known now: most long plans that ended in the last
# year belonged to families whose case has since closed, whom it does not have.
PLAN_ENDS_AT_REVIEW = {1: 0.18, 2: 0.34, 3: 0.24, 4: 0.14, 5: 0.07, 6: 0.03}
FIRST_CORE_GROUP_ON_TIME = 0.88
FIRST_REVIEW_ON_TIME = 0.9
LATER_REVIEW_ON_TIME = 0.93
STEP_DOWN_TO_CIN = 0.8
CHILD_SEEN_AT_CP_VISIT = {True: 0.96, False: 0.85}  # by whether the worker is diligent

REFERRAL_SOURCES = {
    Source.POLICE: 28, Source.SCHOOLS: 19, Source.EDUCATION_SERVICES: 1, Source.GP: 3,
    Source.HEALTH_VISITOR: 3, Source.SCHOOL_NURSE: 1, Source.OTHER_PRIMARY_HEALTH: 2,
    Source.A_AND_E: 3, Source.OTHER_HEALTH: 4, Source.HOUSING: 2, Source.LA_SOCIAL_CARE: 4,
    Source.LA_OTHER_INTERNAL: 3, Source.LA_EXTERNAL: 3, Source.LA_EARLY_HELP: 3,
    Source.FAMILY: 4, Source.ACQUAINTANCE: 1, Source.SELF: 1, Source.OTHER_INDIVIDUAL: 1,
    Source.OTHER_LEGAL: 3, Source.OTHER: 4, Source.ANONYMOUS: 2, Source.UNKNOWN: 2,
}  # fmt: skip
PRE_BIRTH_SOURCES = {Source.OTHER_HEALTH: 6, Source.GP: 1, Source.POLICE: 2, Source.LA_EXTERNAL: 1}

PARENT_FACTORS = {Factor.F3B: 0.45, Factor.F2B: 0.25, Factor.F1B: 0.2, Factor.F4B: 0.35}
ABUSE_FACTORS = {
    Category.NEGLECT: [Factor.F16A],
    Category.EMOTIONAL: [Factor.F17A],
    Category.PHYSICAL: [Factor.F18C],
    Category.SEXUAL: [Factor.F19C],
    Category.MULTIPLE: [Factor.F16A, Factor.F17A],
}
NEED_FACTORS = {
    Need.N1: (Factor.F16A, Factor.F17A, Factor.F3B, Factor.F2B),
    Need.N2: (Factor.F5A, Factor.F6A, Factor.F7A),
    Need.N3: (Factor.F4B, Factor.F6B, Factor.F5B),
    Need.N4: (Factor.F4B, Factor.F3B, Factor.F20),
    Need.N5: (Factor.F3B, Factor.F2B, Factor.F1B, Factor.F4B),
    Need.N6: (Factor.F14A, Factor.F10A, Factor.F13A, Factor.F24A, Factor.F11A, Factor.F15A),
    Need.N7: (Factor.F20,),
    Need.N8: (Factor.F20, Factor.F8F),
    Need.N0: (Factor.F20,),
    Need.N9: (Factor.F21,),
}


@dataclass(frozen=True)
class Family:
    """What the path needs to know about the children in an episode."""

    unborn: bool = False  # every child in the episode is unborn
    disabled: bool = False
    oldest_age: int = -1  # the oldest child's age at the referral; -1 if none is born

    @property
    def teenager(self) -> bool:
        return self.oldest_age >= 12


# --- Steps ------------------------------------------------------------------------------------


@dataclass
class Slot:
    """The family's cases held by one worker (an allocation per child), from start to end."""

    start: date
    end: date | None
    kind: str
    worker: object = None  # a staff.Worker, chosen once the staff exist


@dataclass
class AssessmentStep:
    start: date
    seen: date | None
    seen_alone: bool
    completed: date | None
    outcome: str = ""
    factors: list[str] = field(default_factory=list)
    need: str = ""
    updated: bool = False  # an updated assessment by the CP/CIN team


@dataclass
class StrategyStep:
    day: date
    decision: str


@dataclass
class EnquiryStep:
    strategy: StrategyStep
    start: date
    end: date | None = None
    outcome: str = ""
    by_conference: bool = False  # concluded by its initial conference


@dataclass
class ConferenceStep:
    day: date
    kind: str
    decision: str
    category: str = ""


@dataclass
class PlanStep:
    icpc: ConferenceStep
    enquiry: EnquiryStep
    initial_category: str
    latest_category: str
    end: date | None = None
    end_reason: str = ""
    reviews: list[ConferenceStep] = field(default_factory=list)
    core_groups: list[date] = field(default_factory=list)
    elsewhere: int = 0  # plans the child had in another authority

    @property
    def start(self) -> date:
        return self.icpc.day


@dataclass
class CinStep:
    start: date
    end: date | None
    reviews: list[date]
    summary: str
    review_outcomes: list[str]


@dataclass
class VisitStep:
    day: date
    kind: str
    seen: bool
    bedroom: bool


@dataclass
class NoteStep:
    day: date
    subject: str
    text: str
    significant: bool


@dataclass
class DecisionStep:
    day: date
    decision: str
    rationale: str
    front_door: bool = False


@dataclass
class Episode:
    """One child-in-need episode of a sibling group, every step dated."""

    seed: int
    referral: date
    source: str
    reason: str
    decision: str
    decision_date: date
    decision_reason: str
    nfa: bool = False
    assessments: list[AssessmentStep] = field(default_factory=list)
    strategies: list[StrategyStep] = field(default_factory=list)
    enquiries: list[EnquiryStep] = field(default_factory=list)
    icpcs_without_plan: list[tuple[ConferenceStep, EnquiryStep]] = field(default_factory=list)
    plans: list[PlanStep] = field(default_factory=list)
    cin_plans: list[CinStep] = field(default_factory=list)
    visits: list[VisitStep] = field(default_factory=list)
    notes: list[NoteStep] = field(default_factory=list)
    decisions: list[DecisionStep] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)
    closure: date | None = None
    closure_reason: str = ""
    # The front door's working primary need, recorded with the referral (``working_need``).
    referral_need: str = ""

    @property
    def end(self) -> date:
        """The closure, or the last step of an episode still open."""
        if self.closure is not None:
            return self.closure
        return max(self.step_dates(), default=self.referral)

    @property
    def primary_need(self) -> str:
        """The latest authorised assessment's need; until one is authorised, the working need
        the front door recorded with the referral (the census wants one at once, 8610)."""
        done = [a for a in self.assessments if a.completed is not None]
        if done:
            return max(done, key=lambda a: a.completed).need
        return self.referral_need

    def step_dates(self) -> list[date]:
        days = [self.referral, self.decision_date]
        for a in self.assessments:
            days += [d for d in (a.start, a.seen, a.completed) if d]
        days += [s.day for s in self.strategies]
        for e in self.enquiries:
            days += [d for d in (e.start, e.end) if d]
        days += [c.day for c, _ in self.icpcs_without_plan]
        for p in self.plans:
            days += [p.start, *(r.day for r in p.reviews), *p.core_groups]
            days += [p.end] if p.end else []
        for c in self.cin_plans:
            days += [c.start, *c.reviews] + ([c.end] if c.end else [])
        days += [v.day for v in self.visits]
        days += [n.day for n in self.notes]
        days += [d.day for d in self.decisions]
        days += [s.start for s in self.slots] + [s.end for s in self.slots if s.end]
        return days

    def phase_on(self, day: date) -> str:
        """What the case is doing on ``day``: "cp", "cin", "assessment" or "other"."""
        if any(p.start <= day and (p.end is None or day < p.end) for p in self.plans):
            return "cp"
        if any(c.start <= day and (c.end is None or day < c.end) for c in self.cin_plans):
            return "cin"
        if any(
            a.start <= day and (a.completed is None or day <= a.completed)
            for a in self.assessments
        ):
            return "assessment"
        return "other"

    def open_slot(self) -> Slot | None:
        return next((s for s in self.slots if s.end is None), None)

    def cut(self, horizon: date) -> Episode:
        """The episode as it stood on ``horizon``: later steps removed, unfinished ones open."""
        if self.referral > horizon:
            raise ValueError("the episode had not begun")

        def upto(day: date | None) -> date | None:
            return day if day is not None and day <= horizon else None

        ep = replace(self)
        ep.decision_date = min(self.decision_date, horizon)
        ep.assessments = []
        for a in self.assessments:
            if a.start > horizon:
                continue
            if a.completed is not None and a.completed > horizon:
                a = replace(a, completed=None, outcome="", factors=[], need="")
            ep.assessments.append(replace(a, seen=upto(a.seen)))
        ep.strategies = [s for s in self.strategies if s.day <= horizon]
        ep.enquiries = []
        for e in self.enquiries:
            if e.start > horizon:
                continue
            if e.end is not None and e.end > horizon:
                e = replace(e, end=None, outcome="", by_conference=False)
            ep.enquiries.append(e)
        ep.icpcs_without_plan = [(c, e) for c, e in self.icpcs_without_plan if c.day <= horizon]
        ep.plans = []
        for p in self.plans:
            if p.start > horizon:
                continue
            reviews = [r for r in p.reviews if r.day <= horizon]
            latest = reviews[-1].category if reviews else p.initial_category
            ended = p.end is not None and p.end <= horizon
            ep.plans.append(
                replace(
                    p,
                    reviews=reviews,
                    core_groups=[d for d in p.core_groups if d <= horizon],
                    latest_category=latest,
                    end=p.end if ended else None,
                    end_reason=p.end_reason if ended else "",
                )
            )
        ep.cin_plans = []
        for c in self.cin_plans:
            if c.start > horizon:
                continue
            kept = [i for i, d in enumerate(c.reviews) if d <= horizon]
            ep.cin_plans.append(
                replace(
                    c,
                    end=upto(c.end),
                    reviews=[c.reviews[i] for i in kept],
                    review_outcomes=[c.review_outcomes[i] for i in kept],
                )
            )
        ep.visits = [v for v in self.visits if v.day <= horizon]
        ep.notes = [n for n in self.notes if n.day <= horizon]
        ep.decisions = [d for d in self.decisions if d.day <= horizon]
        ep.slots = [replace(s, end=upto(s.end)) for s in self.slots if s.start <= horizon]
        if self.closure is not None and self.closure > horizon:
            ep.closure, ep.closure_reason = None, ""
        return ep


# --- The path ---------------------------------------------------------------------------------


def wd(day: date, n: int) -> date:
    return add_working_days(day, n)


def working_day_on_or_before(day: date) -> date:
    return day if is_working_day(day) else add_working_days(day, -1)


class _Path:
    """Walks one episode from its referral to its closure, drawing from its own generator."""

    def __init__(self, seed: int, referral: date, family: Family, force: str | None) -> None:
        self.rng = random.Random(seed)
        self.family = family
        self.force = force
        rng = self.rng
        # The route is drawn first, so the same seed takes the same route at any date.
        self.nfa = force == FORCE_NFA or (force is None and rng.random() < REFERRAL_NFA)
        self.immediate = force in (None, FORCE_CP) and rng.random() < IMMEDIATE_STRATEGY
        outcome = self.weighted(ASSESSMENT_OUTCOMES)
        strategy = AssessmentOutcome.STRATEGY_DISCUSSION
        if force == FORCE_CP:
            outcome = strategy
        elif force == FORCE_CIN or (force == FORCE_ASSESSMENT and outcome == strategy):
            outcome = AssessmentOutcome.CIN_PLAN
        self.outcome = outcome
        self.category = self.weighted(CATEGORIES)
        self.diligent = rng.random() < 0.6
        self.step_down = rng.random() < STEP_DOWN_TO_CIN

        if not is_working_day(referral) and rng.random() < 0.85:
            referral = wd(referral, 1)
        sources = PRE_BIRTH_SOURCES if family.unborn else REFERRAL_SOURCES
        source = self.weighted(sources)
        reason = rng.choice(texts.CONTACT_REASONS[texts.SOURCE_GROUP[source]])
        if self.nfa:
            decision, decided = ReferralDecision.NO_FURTHER_ACTION, referral
        else:
            decision = (
                ReferralDecision.STRATEGY_DISCUSSION
                if self.immediate
                else ReferralDecision.ASSESSMENT
            )
            decided = wd(referral, self.weighted({0: 55, 1: 36, 2: 9}))
        self.ep = Episode(
            seed=seed,
            referral=referral,
            source=source,
            reason=reason,
            decision=decision,
            decision_date=decided,
            decision_reason=rng.choice(texts.REFERRAL_DECISION_REASONS[decision]),
            nfa=self.nfa,
        )

    # --- Helpers ---

    def weighted(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def between(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def transfer(self, day: date, kind: str) -> None:
        """Allocate to a team of ``kind`` from ``day`` (ending the current allocation)."""
        current = self.ep.open_slot()
        if current is not None:
            if current.kind == kind:
                return
            current.end = day
        self.ep.slots.append(Slot(day, None, kind))
        if kind == CP_TEAM and self.rng.random() < 0.4:
            rationale, text = self.rng.choice(texts.DECISIONS["transfer"])
            self.ep.decisions.append(DecisionStep(day, rationale, text))

    def visit(self, day: date, kind: str, seen_chance: float) -> None:
        seen = not self.family.unborn and self.rng.random() < seen_chance
        self.ep.visits.append(VisitStep(day, kind, seen, seen and self.rng.random() < 0.55))

    def factors_for(self, outcome: str) -> tuple[list[str], str]:
        rng = self.rng
        if outcome == AssessmentOutcome.STRATEGY_DISCUSSION:
            codes = list(ABUSE_FACTORS[self.category])
            codes += [f for f, p in PARENT_FACTORS.items() if rng.random() < p]
            if self.category == Category.EMOTIONAL:
                codes.append(Factor.F3A)
            return codes, Need.N1
        # "No factors identified" only where nothing further was done: never after a section 47
        # enquiry (Safeguard refuses it there, as census rules 8873Q and 2990 imply).
        if (
            outcome == AssessmentOutcome.NO_FURTHER_ACTION
            and rng.random() < 0.55
            and not self.ep.enquiries
        ):
            return [Factor.F21], Need.N9
        needs = {Need.N1: 40, Need.N3: 5, Need.N4: 13, Need.N5: 18, Need.N7: 1, Need.N8: 4}
        if self.family.disabled:
            needs[Need.N2] = 30
        if self.family.teenager:
            needs[Need.N6] = 15
        if outcome != AssessmentOutcome.CIN_PLAN:
            needs[Need.N1] = 10
            needs[Need.N0] = 3
        need = self.weighted(needs)
        pool = NEED_FACTORS[need]
        codes = rng.sample(pool, min(len(pool), rng.choice((1, 1, 2, 3))))
        return codes, need

    # --- Steps ---

    def run(self) -> Episode:
        ep = self.ep
        if self.nfa:
            ep.closure, ep.closure_reason = ep.referral, RC.RC7
            return ep
        self.transfer(ep.decision_date, ASSESSMENT_TEAM)
        if self.rng.random() < 0.35:
            rationale, text = self.rng.choice(texts.DECISIONS["allocate"])
            ep.decisions.append(DecisionStep(ep.decision_date, rationale, text, front_door=True))
        if self.immediate:
            self.protection(wd(ep.decision_date, self.weighted({0: 70, 1: 30})), None)
        else:
            start = wd(ep.decision_date, self.weighted({0: 45, 1: 25, 2: 15, 3: 10, 5: 5}))
            assessment = self.assessment(start, self.outcome)
            self.after_assessment(assessment)
        self.notes_and_supervision()
        return ep

    def assessment(
        self, start: date, outcome: str, *, completed: date | None = None, updated: bool = False
    ) -> AssessmentStep:
        rng, ep = self.rng, self.ep
        if completed is None:
            if rng.random() < ASSESSMENT_WITHIN_45:
                days = round(rng.triangular(10, 45, 32))
            else:
                days = self.between(46, 60)
            completed = max(wd(ep.referral, days), wd(start, self.between(5, 10)))
        seen = None
        if not self.family.unborn:
            delay = self.weighted({0: 20, 1: 25, 2: 20, 3: 15, 5: 12, 8: 8})
            seen = min(wd(start, delay), completed)
        factors, need = self.factors_for(outcome)
        step = AssessmentStep(
            start=start,
            seen=seen,
            seen_alone=rng.random() < 0.7,
            completed=completed,
            outcome=outcome,
            factors=factors,
            need=need,
            updated=updated,
        )
        ep.assessments.append(step)
        if seen is not None or self.family.unborn:
            first = seen or wd(start, 2)
            self.visit(first, VisitKind.ASSESSMENT, 1.0)
            for _ in range(self.weighted({0: 30, 1: 45, 2: 25})):
                self.visit(self.day_between(first, completed), VisitKind.ASSESSMENT, 0.85)
        return step

    def day_between(self, start: date, end: date) -> date:
        span = (end - start).days
        return start + timedelta(days=self.between(0, span)) if span > 0 else start

    def after_assessment(self, a: AssessmentStep) -> None:
        done = a.completed
        if a.outcome == AssessmentOutcome.NO_FURTHER_ACTION:
            self.close(wd(done, self.weighted({0: 60, 1: 20, 3: 20})), RC.RC8)
        elif a.outcome == AssessmentOutcome.EARLY_HELP:
            self.close(wd(done, self.weighted({0: 60, 1: 20, 3: 20})), RC.RC9)
        elif a.outcome == AssessmentOutcome.CIN_PLAN:
            self.cin(wd(done, self.between(0, 10)))
        else:
            self.protection(wd(done, self.weighted({0: 50, 1: 35, 2: 15})), a)

    def protection(self, day: date, assessment: AssessmentStep | None) -> None:
        """Strategy discussion, section 47 enquiry and, if needed, the initial conference.

        With no ``assessment`` (a referral decided straight to a strategy discussion), the
        assessment is the enquiry's and runs alongside it.
        """
        rng, ep = self.rng, self.ep
        s47 = self.force == FORCE_CP or rng.random() < STRATEGY_TO_S47
        strategy = StrategyStep(
            day, StrategyDecision.SECTION_47 if s47 else StrategyDecision.NO_SECTION_47
        )
        ep.strategies.append(strategy)
        if not s47:
            if assessment is None:
                outcome = self.weighted(
                    {
                        AssessmentOutcome.CIN_PLAN: 45,
                        AssessmentOutcome.NO_FURTHER_ACTION: 35,
                        AssessmentOutcome.EARLY_HELP: 20,
                    }
                )
                self.after_assessment(self.assessment(day, outcome))
            elif rng.random() < 0.6:
                self.cin(wd(day, self.between(0, 5)))
            else:
                self.close(wd(day, self.between(0, 5)), RC.RC8)
            return
        start = wd(day, self.weighted({0: 70, 1: 20, 2: 10}))
        enquiry = EnquiryStep(strategy, start)
        ep.enquiries.append(enquiry)
        self.visit(wd(start, self.weighted({0: 70, 1: 30})), VisitKind.OTHER, 0.95)
        outcome = self.weighted(S47_OUTCOMES)
        if self.force == FORCE_CP:
            outcome = Section47Outcome.SUBSTANTIATED_ICPC
        if outcome == Section47Outcome.SUBSTANTIATED_ICPC:
            if rng.random() < ICPC_WITHIN_15:
                icpc_day = wd(start, self.between(8, 15))
            else:
                icpc_day = wd(start, self.between(16, 20))
            if assessment is None:
                done = max(wd(icpc_day, -self.between(0, 2)), wd(start, 3))
                self.assessment(start, AssessmentOutcome.STRATEGY_DISCUSSION, completed=done)
            enquiry.end, enquiry.outcome, enquiry.by_conference = icpc_day, outcome, True
            plan = self.force == FORCE_CP or rng.random() < ICPC_TO_PLAN
            if plan:
                self.cp_plan(icpc_day, enquiry)
                return
            conference = ConferenceStep(
                icpc_day, ConferenceKind.INITIAL, ConferenceDecision.NO_PLAN
            )
            ep.icpcs_without_plan.append((conference, enquiry))
            # After a section 47 enquiry the reason is RC7, not RC8 "closed after assessment"
            # (CIN census rule 2990).
            if rng.random() < 0.8:
                self.cin(wd(icpc_day, self.between(0, 5)))
            else:
                self.close(wd(icpc_day, self.between(0, 5)), RC.RC7)
            return
        end = wd(start, self.between(5, 15))
        enquiry.end, enquiry.outcome = end, outcome
        done = end
        if assessment is None:
            follow = (
                AssessmentOutcome.CIN_PLAN
                if outcome == Section47Outcome.NOT_SUBSTANTIATED_CIN
                else AssessmentOutcome.NO_FURTHER_ACTION
            )
            done = wd(end, self.between(0, 3))
            self.assessment(start, follow, completed=done)
        if outcome == Section47Outcome.NOT_SUBSTANTIATED_CIN:
            self.cin(wd(done, self.between(0, 5)))
        else:
            self.close(wd(done, self.between(0, 3)), RC.RC7)

    def cp_plan(self, start: date, enquiry: EnquiryStep) -> None:
        rng, ep = self.rng, self.ep
        self.transfer(start, CP_TEAM)
        icpc = ConferenceStep(start, ConferenceKind.INITIAL, ConferenceDecision.PLAN, self.category)
        plan = PlanStep(icpc, enquiry, self.category, self.category)
        ep.plans.append(plan)
        # Review conferences, the last of which ends the plan.
        ends_at = self.weighted(PLAN_ENDS_AT_REVIEW)
        previous, category = start, self.category
        for n in range(1, ends_at + 1):
            months, on_time = (3, FIRST_REVIEW_ON_TIME) if n == 1 else (6, LATER_REVIEW_ON_TIME)
            due = add_months(previous, months)
            if rng.random() < on_time:
                early = self.between(0, 20) if n == 1 else self.between(0, 45)
                day = working_day_on_or_before(due - timedelta(days=early))
            else:
                day = wd(due, self.between(1, 10))
            day = max(day, wd(previous, 10))
            if n > 1 and rng.random() < 0.06:
                category = rng.choice([c for c in CATEGORIES if c != category])
            last = n == ends_at
            plan.reviews.append(
                ConferenceStep(
                    day,
                    ConferenceKind.REVIEW,
                    ConferenceDecision.END if last else ConferenceDecision.CONTINUE,
                    category,
                )
            )
            previous = day
        end = previous
        plan.end = end
        plan.end_reason = (
            PlanEndReason.MOVED if rng.random() < 0.04 else PlanEndReason.RISK_REDUCED
        )
        # Core groups: the first within about 10 working days, then about monthly.
        if rng.random() < FIRST_CORE_GROUP_ON_TIME:
            meeting = wd(start, self.between(4, 10))
        else:
            meeting = wd(start, self.between(11, 15))
        while meeting <= end:
            plan.core_groups.append(meeting)
            meeting = wd(meeting, self.between(15, 25))
        # Statutory visits: a diligent worker sees the child every 5 to 10 working days.
        seen_chance = CHILD_SEEN_AT_CP_VISIT[self.diligent]
        day = wd(start, self.between(0, 5))
        while day <= end:
            self.visit(day, VisitKind.CHILD_PROTECTION, seen_chance)
            if self.diligent or rng.random() < 0.75:
                gap = self.between(5, 10)
            else:
                gap = self.between(11, 14)
            day = wd(day, gap)
        stepping_down = plan.end_reason == PlanEndReason.RISK_REDUCED and self.step_down
        if rng.random() < 0.5 and plan.end_reason == PlanEndReason.RISK_REDUCED:
            # An updated assessment informs the conference that ends the plan.
            a_start = max(wd(end, -self.between(25, 40)), wd(start, 10))
            if a_start < end:
                done = max(wd(end, -self.between(0, 3)), a_start)
                outcome = (
                    AssessmentOutcome.CIN_PLAN
                    if stepping_down
                    else AssessmentOutcome.NO_FURTHER_ACTION
                )
                step = self.assessment(a_start, outcome, completed=done, updated=True)
                # The need is still the abuse or neglect the plan was for.
                step.factors, step.need = list(ABUSE_FACTORS[self.category]), Need.N1
        if plan.end_reason == PlanEndReason.MOVED:
            self.close(wd(end, self.between(0, 5)), RC.RC5)
        elif stepping_down:
            self.cin(end, step_down=True)
        else:
            self.close(wd(end, self.between(0, 10)), RC.RC7)

    def cin(self, start: date, *, step_down: bool = False) -> None:
        rng, ep = self.rng, self.ep
        self.transfer(start, CP_TEAM)
        months = self.between(3, 9) if step_down else round(rng.triangular(3, 18, 6))
        planned_end = add_months(start, months)
        reviews: list[date] = []
        previous = start
        while True:
            due = add_months(previous, 3)
            if rng.random() < 0.88:
                day = working_day_on_or_before(due - timedelta(days=self.between(0, 14)))
            else:
                day = wd(due, self.between(1, 15))
            day = max(day, wd(previous, 10))
            reviews.append(day)
            previous = day
            if day >= planned_end:
                break
        end = reviews[-1]
        summary = texts.CIN_SUMMARIES[-1] if step_down else rng.choice(texts.CIN_SUMMARIES[:-1])
        outcomes = [rng.choice(texts.CIN_REVIEW_OUTCOMES[:2]) for _ in reviews[:-1]]
        outcomes.append("Needs met: the plan ends.")
        ep.cin_plans.append(CinStep(start, end, reviews, summary, outcomes))
        day = wd(start, self.between(0, 10))
        while day <= end:
            self.visit(day, VisitKind.CHILD_IN_NEED, 0.9)
            gap = self.between(15, 25) if rng.random() < 0.85 else self.between(26, 35)
            day = wd(day, gap)
        reason = self.weighted({RC.RC7: 86, RC.RC5: 5, RC.RC3: 5, RC.RC4: 4})
        self.close(wd(end, self.between(0, 10)), reason)

    def close(self, day: date, reason: str) -> None:
        ep = self.ep
        day = max([day, *ep.step_dates()])
        ep.closure, ep.closure_reason = day, reason
        current = ep.open_slot()
        if current is not None:
            current.end = day
        if self.rng.random() < 0.5:
            rationale, text = self.rng.choice(texts.DECISIONS["close"])
            ep.decisions.append(DecisionStep(day, rationale, text))

    def notes_and_supervision(self) -> None:
        """Case notes through the episode, and managers' decisions in supervision."""
        rng, ep = self.rng, self.ep
        end = ep.closure or ep.end
        day = wd(ep.referral, self.between(1, 8))
        while day < end:
            significant = rng.random() < 0.15
            if significant:
                pool = texts.SIGNIFICANT_NOTES
            else:
                pool = texts.NOTES.get(ep.phase_on(day), texts.NOTES["assessment"])
            age = self.family.oldest_age + (day - ep.referral).days // 365
            subject, text, _ = rng.choice([n for n in pool if n[2] <= age])
            ep.notes.append(NoteStep(day, subject, text, significant))
            day = wd(day, self.between(15, 45))
        day = wd(ep.referral, self.between(40, 70))
        while day < end:
            if rng.random() < 0.3:
                decision, rationale = rng.choice(texts.DECISIONS["supervision"])
                ep.decisions.append(DecisionStep(day, decision, rationale))
            day = wd(day, self.between(40, 70))
        # A long spell with one team sometimes changes worker part way.
        for slot in list(ep.slots):
            long = slot.end is not None and (slot.end - slot.start).days > 270
            if slot.kind == CP_TEAM and long and rng.random() < 0.35:
                change = self.day_between(
                    slot.start + timedelta(days=90), slot.end - timedelta(days=60)
                )
                ep.slots.insert(ep.slots.index(slot) + 1, Slot(change, slot.end, CP_TEAM))
                slot.end = change


# What the front door records as the working primary need when it does not simply foresee
# the assessment's: the needs referrals most often describe, and "not stated" when the
# referral says too little.
FRONT_DOOR_NEEDS = {Need.N1: 45, Need.N4: 15, Need.N5: 18, Need.N3: 6, Need.N8: 3, Need.N0: 5}
FRONT_DOOR_FORESEES = 0.7  # the working need is the one the assessment will find


def working_need(ep: Episode, family: Family, seed: int) -> str:
    """The front door's working primary need for ``ep``: none for a referral decided "no
    further action"; abuse or neglect (N1) for one sent straight to a strategy discussion;
    otherwise usually the need the first assessment finds, and a need drawn from what
    referrals describe when it does not (the assessment then changes it). Drawn from its own
    generator, so the path of the episode is the same with or without it."""
    if ep.nfa:
        return ""
    if ep.decision == ReferralDecision.STRATEGY_DISCUSSION:
        return Need.N1
    rng = random.Random(seed ^ 0x5EED)
    needs = dict(FRONT_DOOR_NEEDS)
    if family.disabled:
        needs[Need.N2] = 20
    if family.teenager:
        needs[Need.N6] = 10
    assessed = ep.assessments[0].need if ep.assessments else ""
    if assessed not in ("", Need.N0, Need.N9) and rng.random() < FRONT_DOOR_FORESEES:
        return assessed
    return rng.choices(list(needs), weights=list(needs.values()))[0]


def realise(seed: int, referral: date, family: Family, *, force: str | None = None) -> Episode:
    """One whole episode, from the referral on ``referral`` (or the next working day) to
    its closure. The same arguments always give the same episode."""
    ep = _Path(seed, referral, family, force).run()
    ep.referral_need = working_need(ep, family, seed)
    return ep
