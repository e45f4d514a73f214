"""Early help after the front door or a step-down: assessments, teams around the family and
their reviews.

Every contact decided "early help" and every completed assessment whose outcome is early help
(a step-down, case closed RC9) is a trigger. Nearly every trigger leads to an early help
assessment started 1 to 10 working days later, by a partner agency (a school, health or the
voluntary family support trust) or, now and then, another local service; a few are left
without one (more of the recent ones), so that the "Start the early help assessment" list
shows a handful of real items. Assessments old enough are completed, and those leading to a
team around the family get one, reviewed about every six weeks until it ends.

A child has one open assessment and one open team at a time: a later trigger ends the earlier
work the day before its own assessment starts, and a referral to children's social care ends
it as a step-up. Each trigger draws from a random generator of its own (seeded by the contact
or case), so the rest of the borough comes out as it was before early help was made.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Model

from safeguard.accounts.models import LocalAuthority
from safeguard.casework.models import ChronologyEntry
from safeguard.core.workdays import add_working_days
from safeguard.demo import vocabulary as words
from safeguard.demo.generator import texts
from safeguard.demo.generator.common import Worker, age_on, make, save_with_events
from safeguard.demo.generator.staff import Organisation
from safeguard.earlyhelp.codes import AssessmentOutcome, TAFEndReason
from safeguard.earlyhelp.models import EarlyHelpAssessment, Handover, TAFReview
from safeguard.earlyhelp.models import TeamAroundFamily as TAF
from safeguard.people.models import Involvement, Person

# The share of triggers left without an assessment: of those in the last RECENT_DAYS before
# the demo's date, and of older ones.
RECENT_DAYS = 30
NOT_STARTED_RECENT = 0.07
NOT_STARTED_OLDER = 0.015
# Working days from the trigger to the assessment's start, and from its start to completion.
START_WD = (1, 10)
COMPLETE_WD = (10, 40)
OUTCOME_WEIGHTS = {
    AssessmentOutcome.TEAM_AROUND_FAMILY: 45,
    AssessmentOutcome.SINGLE_AGENCY: 33,
    AssessmentOutcome.NO_FURTHER_ACTION: 18,
    AssessmentOutcome.STEP_UP: 4,
}
# How long a team around the family lasts (days), and why it ends when nothing cuts it short.
TAF_DAYS = (90, 300)
TAF_END_WEIGHTS = {
    TAFEndReason.NEEDS_MET: 78,
    TAFEndReason.CONSENT_WITHDRAWN: 12,
    TAFEndReason.MOVED_AWAY: 10,
}
ADULT_AGE = 18


@dataclass
class Trigger:
    """A contact diverted to early help, or a case stepping down to it."""

    child: Person
    day: date  # the contact's decision, or the assessment's completion
    contact_id: uuid.UUID | None = None
    case_id: uuid.UUID | None = None


@dataclass
class Lead:
    organisation_id: int | None
    organisation_other: str
    user_id: int | None
    name: str
    agency: str
    role: str
    # Whether the lead becomes involved with the child to lead the work, and in which team.
    involve: bool = False
    team_id: int | None = None

    @property
    def professional(self) -> str:
        return ", ".join(p for p in (self.name, self.role, self.agency) if p)


@dataclass
class Plan:
    """One trigger's early help, before the child's other early help trims it."""

    trigger: Trigger
    rng: random.Random
    start: date
    lead: Lead
    recorder: int | None
    completed: date | None = None
    outcome: str = ""
    taf_start: date | None = None
    taf_end: date | None = None
    taf_end_reason: str = ""
    reviews: list[date] = field(default_factory=list)


class EarlyHelp:
    """The borough's early help, made from its triggers once every contact and case exists."""

    def __init__(self, borough, org: Organisation, authority_id: int) -> None:
        self.borough = borough
        self.org = org
        self.authority_id = authority_id
        # The authority's interval between reviews of a team around the family.
        self.review_weeks = LocalAuthority.objects.get(pk=authority_id).taf_review_weeks
        self.as_at = borough.as_at
        self.triggers: list[Trigger] = []
        self.rows: dict[type[Model], list[Model]] = defaultdict(list)
        self.events: list[tuple[str, str, object]] = []
        self.saved: dict[str, int] = defaultdict(int)
        # The partner workers who can lead, by user id: (worker, agency, agency name, role).
        self.partners: dict[int, tuple[Worker, object, str, str]] = {}
        for workers, agency, role in (
            (org.health_visitors, org.health, "Health visitor"),
            (org.school_nurses, org.health, "School nurse"),
            (org.school_dsls, org.education, "Designated safeguarding lead"),
            (org.voluntary_workers, org.voluntary, "Family support worker"),
        ):
            for worker in workers:
                name = worker.team.name if workers is org.school_dsls else agency.name
                self.partners[worker.user_id] = (worker, agency, name, role)

    # --- Triggers -------------------------------------------------------------------------------

    def from_contact(self, child: Person, decided: date, contact_id) -> None:
        self.triggers.append(Trigger(child, decided, contact_id=contact_id))

    def from_step_down(self, child: Person, completed: date, case_id) -> None:
        self.triggers.append(Trigger(child, completed, case_id=case_id))

    # --- Planning -------------------------------------------------------------------------------

    def build(self, episodes) -> None:
        """Plan every trigger's early help, trim each child's to one thing at a time, and make
        the records."""
        referrals: dict[object, list[date]] = defaultdict(list)
        for fe in episodes:
            for child in fe.children:
                referrals[child.id].append(fe.episode.referral)
        involved: dict[object, list] = defaultdict(list)
        for inv in self.borough.involvements:
            if inv.worker_id in self.partners:
                involved[inv.person_id].append(inv)
        by_child: dict[object, list[Plan]] = defaultdict(list)
        for trigger in sorted(self.triggers, key=lambda t: (t.day, str(t.contact_id or t.case_id))):
            plan = self.plan(trigger, involved[trigger.child.id])
            if plan is not None:
                by_child[trigger.child.id].append(plan)
        for child_id, plans in by_child.items():
            referred = sorted(referrals[child_id])
            kept: list[Plan] = []
            for plan in plans:
                if kept and not _make_room(kept[-1], plan.start - timedelta(days=1)):
                    continue  # the earlier assessment started since this trigger: it meets it
                self.finish(plan, referred)
                kept.append(plan)
            for plan in kept:
                self.make(plan)

    def plan(self, trigger: Trigger, involved: list) -> Plan | None:
        rng = random.Random(f"early-help:{trigger.contact_id or trigger.case_id}")  # noqa: S311
        recent = (self.as_at - trigger.day).days <= RECENT_DAYS
        if rng.random() < (NOT_STARTED_RECENT if recent else NOT_STARTED_OLDER):
            return None
        born = trigger.child.date_of_birth
        start = add_working_days(trigger.day, rng.randint(*START_WD))
        if born is not None:
            start = max(start, born)
        if start > self.as_at or (born is not None and age_on(born, start) >= ADULT_AGE):
            return None
        lead = self.lead(rng, trigger.child, start, involved)
        recorder = lead.user_id or rng.choice(self.org.front_door_workers).user_id
        return Plan(trigger, rng, start, lead, recorder)

    def lead(self, rng: random.Random, child: Person, start: date, involved: list) -> Lead:
        """A partner already involved with the child leads when there is one; else a worker
        of an agency fitting the child's age, who becomes involved with the child to lead (so
        they can see the work they lead), or another local service. The well-known partner
        accounts (each list's first) never gain children this way: they keep their handful."""
        current = [i for i in involved if i.start_date <= start]
        if current and rng.random() < 0.8:
            worker, agency, name, role = self.partners[rng.choice(current).worker_id]
            return Lead(agency.id, "", worker.user_id, worker.full_name, name, role)
        young = child.date_of_birth is None or age_on(child.date_of_birth, start) < 5
        org = self.org
        if young:
            pools = ((org.health_visitors, 45), (org.voluntary_workers, 40), (None, 15))
        else:
            pools = (
                (org.school_dsls, 50),
                (org.voluntary_workers, 25),
                (org.school_nurses, 10),
                (None, 15),
            )
        workers = rng.choices([p for p, _ in pools], [w for _, w in pools])[0]
        if not workers:
            other = rng.choice(texts.EARLY_HELP_OTHER_ORGANISATIONS)
            given = rng.choice(words.ADULT_NAMES_FEMALE + words.ADULT_NAMES_MALE)
            name = f"{given} {rng.choice(self.borough.compounds)}"
            return Lead(None, other, None, name, other, "Early help practitioner")
        if len(workers) < 2:
            worker, agency, name, role = self.partners[workers[0].user_id]
            return Lead(agency.id, "", None, worker.full_name, name, role)
        worker, agency, name, role = self.partners[rng.choice(workers[1:]).user_id]
        team = worker.team.id if worker.team else None
        return Lead(agency.id, "", worker.user_id, worker.full_name, name, role, True, team)

    def finish(self, plan: Plan, referrals: list[date]) -> None:
        """Complete the assessment and run its team around the family as far as the demo's
        date, unless a referral to children's social care steps the child up first."""
        rng, as_at = plan.rng, self.as_at
        step_up = next((r for r in referrals if r > plan.start), None)
        done = add_working_days(plan.start, rng.randint(*COMPLETE_WD))
        outcome = rng.choices(list(OUTCOME_WEIGHTS), list(OUTCOME_WEIGHTS.values()))[0]
        if step_up is not None and done >= step_up:
            done = max(plan.start, step_up - timedelta(days=1))
            outcome = AssessmentOutcome.STEP_UP
        if done > as_at:
            return
        plan.completed, plan.outcome = done, outcome
        if outcome != AssessmentOutcome.TEAM_AROUND_FAMILY:
            return
        start = done + timedelta(days=rng.randint(0, 15))
        if start > as_at or (step_up is not None and start >= step_up):
            return
        end = start + timedelta(days=rng.randint(*TAF_DAYS))
        reason = rng.choices(list(TAF_END_WEIGHTS), list(TAF_END_WEIGHTS.values()))[0]
        if step_up is not None and end >= step_up:
            end, reason = step_up - timedelta(days=1), TAFEndReason.STEPPED_UP
        if end > as_at:
            end, reason = None, ""
        plan.taf_start, plan.taf_end, plan.taf_end_reason = start, end, reason
        last = end or as_at
        day = start + timedelta(weeks=self.review_weeks, days=rng.randint(-5, 5))
        while day <= last:
            plan.reviews.append(day)
            day += timedelta(weeks=self.review_weeks, days=rng.randint(-5, 5))

    # --- Records --------------------------------------------------------------------------------

    def add(self, obj: Model, person_id) -> Model:
        self.rows[type(obj)].append(obj)
        self.events.append((obj._meta.label_lower, str(obj.pk), person_id))
        return obj

    def chronology(self, plan: Plan, day: date, what: str, source: Model, **fields) -> None:
        self.add(
            make(
                ChronologyEntry,
                id=uuid.UUID(int=plan.rng.getrandbits(128), version=4),
                child_id=plan.trigger.child.id,
                event_date=day,
                what=what[:500],
                created_by_id=plan.recorder,
                updated_by_id=plan.recorder,
                **fields,
            ),
            plan.trigger.child.id,
        )

    def make(self, plan: Plan) -> None:
        rng, child, lead, by = plan.rng, plan.trigger.child, plan.lead, plan.recorder
        young = child.date_of_birth is None or age_on(child.date_of_birth, plan.start) < 5
        consent = max(plan.trigger.day, plan.start - timedelta(days=rng.randint(0, 5)))
        eha = self.add(
            make(
                EarlyHelpAssessment,
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                child_id=child.id,
                authority_id=self.authority_id,
                start_date=plan.start,
                completed_date=plan.completed,
                outcome=plan.outcome,
                organisation_id=lead.organisation_id,
                organisation_other=lead.organisation_other,
                consent_given=True,
                consent_date=consent,
                needs=rng.choice(texts.EARLY_HELP_NEEDS["young" if young else "older"]),
                # The CAF's domains and consent (decision 0081), from a generator of their
                # own, so that the rest of the borough is drawn as before.
                **caf_domains(random.Random(f"early-help-caf:{child.id}"), young),  # noqa: S311
                contact_id=plan.trigger.contact_id,
                stepped_down_from_id=plan.trigger.case_id,
                lead_user_id=lead.user_id,
                lead_name=lead.name,
                lead_agency=lead.agency,
                lead_role=lead.role,
                created_by_id=by,
                updated_by_id=by,
            ),
            child.id,
        )
        agency = lead.agency
        if lead.involve:
            self.add(
                make(
                    Involvement,
                    id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    person_id=child.id,
                    agency_id=lead.organisation_id,
                    team_id=lead.team_id,
                    worker_id=lead.user_id,
                    role=lead.role,
                    start_date=plan.start,
                    end_date=plan.taf_end if plan.taf_start else plan.completed,
                    created_by_id=by,
                    updated_by_id=by,
                ),
                child.id,
            )
        if plan.completed is not None:
            label = AssessmentOutcome(plan.outcome).label
            self.chronology(
                plan,
                plan.completed,
                f"Early help assessment completed by {agency}: {label.lower()}",
                eha,
                source_agency=agency,
                outcome=label,
                source_type=eha._meta.label_lower,
                source_id=f"{eha.pk}:end",
            )
        handovers = Handovers(self, plan, eha)
        if plan.trigger.case_id is not None:
            handovers.step_down(plan.start, assessment_id=eha.id)
        if plan.outcome == AssessmentOutcome.STEP_UP and plan.completed is not None:
            handovers.step_up(
                plan.completed, f"Early help assessment by {agency}", assessment_id=eha.id
            )
        if plan.taf_start is None:
            return
        members = [{"agency": agency, "name": lead.name, "role": lead.role}]
        others = self.org.health_visitors if young else self.org.school_dsls
        for pool in (self.org.voluntary_workers, others):
            worker, _, name, role = self.partners[rng.choice(pool).user_id]
            if worker.full_name != lead.name and rng.random() < 0.8:
                members.append({"agency": name, "name": worker.full_name, "role": role})
        taf = self.add(
            make(
                TAF,
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                child_id=child.id,
                authority_id=self.authority_id,
                assessment_id=eha.id,
                stepped_down_from_id=plan.trigger.case_id,
                start_date=plan.taf_start,
                end_date=plan.taf_end,
                end_reason=plan.taf_end_reason,
                end_notes=texts.TAF_END_NOTES.get(plan.taf_end_reason, ""),
                plan=rng.choice(texts.TAF_PLANS),
                members=members,
                lead_user_id=lead.user_id,
                lead_name=lead.name,
                lead_agency=lead.agency,
                lead_role=lead.role,
                created_by_id=by,
                updated_by_id=by,
            ),
            child.id,
        )
        self.chronology(
            plan,
            plan.taf_start,
            f"Team around the family started, led by {lead.professional}",
            taf,
            source_agency=agency,
            source_type=taf._meta.label_lower,
            source_id=str(taf.pk),
        )
        for day in plan.reviews:
            self.add(
                make(
                    TAFReview,
                    id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    taf_id=taf.id,
                    review_date=day,
                    progress=rng.choice(texts.TAF_PROGRESS),
                    created_by_id=by,
                    updated_by_id=by,
                ),
                child.id,
            )
        if plan.taf_end_reason == TAFEndReason.STEPPED_UP:
            handovers.step_up(
                plan.taf_end,
                f"Team around the family led by {lead.professional}. The plan: {taf.plan}",
                assessment_id=eha.id,
                taf_id=taf.id,
            )
        if plan.taf_end is not None:
            reason = TAFEndReason(plan.taf_end_reason).label.lower()
            self.chronology(
                plan,
                plan.taf_end,
                f"Team around the family ended: {reason}",
                taf,
                source_agency=agency,
                outcome=taf.end_notes,
                source_type=taf._meta.label_lower,
                source_id=f"{taf.pk}:end",
            )

    def save(self) -> None:
        """Insert everything made, parents before children rows, with a "created" change
        event each."""
        models = (Involvement, EarlyHelpAssessment, TAF, TAFReview, Handover, ChronologyEntry)
        save_with_events(self.rows, models, self.events, self.saved)


def _make_room(earlier: Plan, cutoff: date) -> bool:
    """End ``earlier`` by ``cutoff`` (the day before a later assessment of the same child
    starts). False when it started after the cutoff: it meets the later trigger too."""
    if earlier.start > cutoff:
        return False
    if earlier.completed is None or earlier.completed > cutoff:
        # Still being written when the new concern came: completed as single-agency work.
        earlier.completed, earlier.outcome = cutoff, AssessmentOutcome.SINGLE_AGENCY
        earlier.taf_start, earlier.taf_end, earlier.taf_end_reason = None, None, ""
        earlier.reviews = []
    elif earlier.taf_start is not None and (earlier.taf_end is None or earlier.taf_end > cutoff):
        if earlier.taf_start > cutoff:
            earlier.outcome = AssessmentOutcome.SINGLE_AGENCY
            earlier.taf_start, earlier.taf_end, earlier.taf_end_reason = None, None, ""
            earlier.reviews = []
        else:
            earlier.taf_end, earlier.taf_end_reason = cutoff, TAFEndReason.OTHER
            earlier.reviews = [day for day in earlier.reviews if day <= cutoff]
    return True


# The CAF's domains of a demo assessment (decision 0081): strengths and needs written under
# each, the needs identified as the directory's codes, and who gave consent.
CAF_TEXT = {
    "child_development_strengths": [
        "Meeting milestones; enjoys nursery and plays well with others",
        "Good friendships at school; proud of football",
        "Reading at the expected level; keen to help at home",
    ],
    "child_development_needs": [
        "Attendance has fallen to 86% this term; often tired in the mornings",
        "Angry outbursts at school since the family moved; not sleeping well",
        "Speech is behind for age; referral to speech and language therapy waiting",
    ],
    "parents_carers_strengths": [
        "Mother is warm and keen for help; attends every appointment",
        "Father takes the children to school and collects them daily",
    ],
    "parents_carers_needs": [
        "Struggling with routines and boundaries at bedtime",
        "Mother low in mood since the birth; little support nearby",
    ],
    "family_environment_strengths": [
        "Grandmother lives close and helps with childcare",
        "Family settled in the area; children attend the local school",
    ],
    "family_environment_needs": [
        "Rent arrears and a notice from the landlord",
        "Overcrowded flat; damp in the children's bedroom",
    ],
}
CAF_NEEDS = {
    True: ["physical_health", "parenting", "parental_mental_health", "isolation", "housing"],
    False: ["school_attendance", "behaviour", "emotional_wellbeing", "financial", "housing"],
}
CONSENT_BY = [
    "Mother",
    "Mother and father",
    "Father",
    "Grandmother (kinship carer)",
    "Mother and the child",
]


def caf_domains(rng: random.Random, young: bool) -> dict:
    fields = {field: rng.choice(options) for field, options in CAF_TEXT.items()}
    fields["identified_needs"] = sorted(rng.sample(CAF_NEEDS[young], rng.randint(1, 3)))
    fields["consent_by"] = rng.choice(CONSENT_BY)
    return fields


class Handovers:
    """The handovers of one plan (decision 0081): a step-down from its case to the early help
    lead, a step-up to the front door; most acknowledged a few days later. Drawn from a
    generator of their own, so that the rest of the borough is drawn as before."""

    def __init__(self, early_help: EarlyHelp, plan: Plan, eha) -> None:
        self.early_help, self.plan, self.eha = early_help, plan, eha
        self.rng = random.Random(f"early-help-handovers:{eha.id}")  # noqa: S311

    def _add(self, day: date, acknowledger: int | None, **fields) -> None:
        rng, plan = self.rng, self.plan
        acknowledged = day + timedelta(days=rng.randint(1, 6))
        ack = (
            acknowledger is not None
            and acknowledged <= self.early_help.as_at
            and rng.random() < 0.85
        )
        self.early_help.add(
            make(
                Handover,
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                child_id=plan.trigger.child.id,
                authority_id=self.early_help.authority_id,
                handover_date=day,
                acknowledged_by_id=acknowledger if ack else None,
                acknowledged_at=(
                    datetime.combine(acknowledged, time(10, rng.randint(0, 59)), tzinfo=UTC)
                    if ack
                    else None
                ),
                created_by_id=plan.recorder,
                updated_by_id=plan.recorder,
                **fields,
            ),
            plan.trigger.child.id,
        )

    def step_down(self, day: date, **fields) -> None:
        lead = self.plan.lead
        self._add(
            day,
            lead.user_id,
            direction="step_down",
            from_side="Children's social care: the case's worker",
            to_side=f"Early help: {lead.professional}",
            to_user_id=lead.user_id,
            handed_over=self.rng.choice(STEP_DOWN_HANDED_OVER),
            case_id=self.plan.trigger.case_id,
            **fields,
        )

    def step_up(self, day: date, what: str, **fields) -> None:
        front_door = self.early_help.org.front_door_workers
        self._add(
            day,
            self.rng.choice(front_door).user_id if front_door else None,
            direction="step_up",
            from_side=f"Early help: {self.plan.lead.professional}",
            to_side="Children's social care front door",
            handed_over=what,
            **fields,
        )


STEP_DOWN_HANDED_OVER = [
    "Case summary: worries about routines and school attendance have eased; mother engaging "
    "with parenting support. Child in need plan: attendance above 90%, weekly family support.",
    "Case summary: no further incidents since the police call-out; father has moved out. "
    "Child in need plan: domestic abuse support for mother, school to monitor mood.",
    "Case summary: housing resolved; children settled in the new school. Child in need plan: "
    "debt advice and a family support worker for bedtime routines.",
]
