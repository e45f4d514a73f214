"""Family episodes turned into records: one case per child, with every step of the journey.

What is written matches what the services write when a worker records the same steps: the
same fields, the same chronology entries (``source_type`` the step's model label and
``source_id`` its primary key, or ``"<pk>:end"`` for an ending) and one "created" change
event per record. Records are made in memory and saved in bulk by ``save``.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Model
from django.utils import timezone

from safeguard.assessments.codes import Factor
from safeguard.assessments.models import (
    Assessment,
    AssessmentAuthorisation,
    AssessmentKind,
    AssessmentOutcome,
    AssessmentStage,
    AuthorisationDecision,
)
from safeguard.casework.codes import ClosureReason, ReferralSource
from safeguard.casework.models import (
    Allocation,
    Case,
    CaseNote,
    ChronologyEntry,
    CINPlan,
    CINPlanReview,
    DirectWork,
    ManagementDecision,
    Visit,
)
from safeguard.demo.generator import texts
from safeguard.demo.generator.common import (
    ALLOCATED_SOCIAL_WORKER,
    Worker,
    age_on,
    make,
    save_with_events,
)
from safeguard.demo.generator.contacts import Contacts, choose_priority
from safeguard.demo.generator.histories import FamilyEpisode
from safeguard.demo.generator.journeys import Episode, Slot
from safeguard.demo.generator.people import Borough
from safeguard.demo.generator.staff import Organisation
from safeguard.demo.generator.visits import direct_work_after, visit_content
from safeguard.people.models import Involvement, Person
from safeguard.protection.codes import CategoryOfAbuse, PlanEndReason
from safeguard.protection.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    ConferenceDecision,
    ConferenceKind,
    CoreGroupMeeting,
    EmergencyProtection,
    Section47Enquiry,
    Section47Outcome,
    StrategyDecision,
    StrategyDiscussion,
)
from safeguard.referrals.models import ContactOutcome, Referral, ReferralDecision

# Factors that describe an older child's own behaviour or role, left off a young sibling's.
OLDER_CHILD_FACTORS = frozenset(
    {Factor.F7A, Factor.F10A, Factor.F11A, Factor.F13A, Factor.F14A, Factor.F15A, Factor.F24A}
)
SINGLE = AssessmentKind.SINGLE

# What a worker concluded in an assessment submitted but not yet authorised on the demo day:
# (factors, primary need, recommended outcome), each about the parents or household so that
# it fits a child of any age.
IN_PROGRESS_CONCLUSIONS = (
    (("16A",), "N1", AssessmentOutcome.CIN_PLAN),
    (("3B", "17A"), "N1", AssessmentOutcome.STRATEGY_DISCUSSION),
    (("4B",), "N3", AssessmentOutcome.CIN_PLAN),
    (("1B", "16A"), "N1", AssessmentOutcome.CIN_PLAN),
    (("3B",), "N4", AssessmentOutcome.EARLY_HELP),
)


def _written_assessment(rng: random.Random, young: bool) -> dict[str, str]:
    """The worker's sections, in the order they are written."""
    sections = texts.ASSESSMENT_SECTIONS
    return {
        "developmental_needs": rng.choice(sections["developmental_needs"]),
        "parenting_capacity": rng.choice(sections["parenting_capacity"]),
        "family_environment": rng.choice(sections["family_environment"]),
        "history": rng.choice(sections["history"]),
        "wishes_and_feelings": rng.choice(texts.CHILD_WORDS["young" if young else "older"]),
        "analysis": rng.choice(sections["analysis"]),
        "recommendation": rng.choice(sections["recommendation"]),
    }


def _at(day: date) -> datetime:
    """A time in the working day of ``day``, in the service's time zone."""
    return timezone.make_aware(datetime.combine(day, time(15, 0)))


# Save order: a record after the records it points at.
MODELS: tuple[type[Model], ...] = (
    Case,
    Referral,
    Allocation,
    Involvement,
    Assessment,
    AssessmentAuthorisation,
    StrategyDiscussion,
    Section47Enquiry,
    ChildProtectionPlan,
    ChildProtectionConference,
    CoreGroupMeeting,
    CINPlan,
    CINPlanReview,
    Visit,
    DirectWork,
    CaseNote,
    ManagementDecision,
    ChronologyEntry,
)


class Records:
    """Every journey record of the borough, made in memory."""

    def __init__(
        self, borough: Borough, org: Organisation, contacts: Contacts, authority_id: int
    ) -> None:
        self.borough = borough
        self.rng = borough.rng
        self.new_id = borough.new_id
        self.org = org
        self.contacts = contacts
        self.authority_id = authority_id
        self.csc_name = org.csc.name
        self.rows: dict[type[Model], list[Model]] = defaultdict(list)
        self.events: list[tuple[str, str, object]] = []  # (label, pk, person id)
        self.saved: dict[str, int] = defaultdict(int)
        self.plans_so_far: dict[object, int] = defaultdict(int)
        self.front_door_manager = org.team_managers[org.front_door.id]
        # Cases stepping down to early help: (child, assessment completed, case id).
        self.step_downs: list[tuple[Person, date, object]] = []

    # --- Helpers ----------------------------------------------------------------------------

    def add(self, obj: Model, person_id) -> Model:
        self.rows[type(obj)].append(obj)
        self.events.append((obj._meta.label_lower, str(obj.pk), person_id))
        return obj

    def chronology(
        self,
        child: Person,
        case_id,
        day: date,
        what: str,
        source: Model | None,
        *,
        end: bool = False,
        agency: str = "",
        outcome: str = "",
        by: Worker | None = None,
    ) -> None:
        source_type = source._meta.label_lower if source is not None else ""
        source_id = "" if source is None else f"{source.pk}:end" if end else str(source.pk)
        self.add(
            make(
                ChronologyEntry,
                id=self.new_id(),
                child_id=child.id,
                case_id=case_id,
                event_date=day,
                what=what[:500],
                source_agency=agency or self.csc_name,
                outcome=outcome,
                source_type=source_type,
                source_id=source_id,
                created_by_id=by.user_id if by else None,
                updated_by_id=by.user_id if by else None,
            ),
            child.id,
        )

    def holder(self, ep: Episode, day: date) -> Slot | None:
        """The allocation that held the case on ``day`` (or the nearest before it)."""
        best = None
        for slot in ep.slots:
            if slot.start <= day and (slot.end is None or day < slot.end):
                return slot
            if slot.start <= day:
                best = slot
        return best or (ep.slots[0] if ep.slots else None)

    def worker_on(self, ep: Episode, day: date) -> Worker:
        slot = self.holder(ep, day)
        if slot is None:
            return self.rng.choice(self.org.front_door_workers)
        if slot.end is not None and day > slot.end:  # unallocated: a duty worker covers
            pool = self.org.cp_workers if slot.kind == "cp" else self.org.assessment_workers
            return self.rng.choice(pool)
        return slot.worker

    def responsible_team(self, ep: Episode):
        """The team answerable for the case (issue 14): its last allocation's, where a case
        left unallocated waits; the front door's when it was never allocated."""
        slots = sorted(ep.slots, key=lambda s: s.start)
        if slots and slots[-1].worker is not None and slots[-1].worker.team is not None:
            return slots[-1].worker.team.id
        return self.org.front_door.id

    def manager_on(self, ep: Episode, day: date) -> Worker:
        slot = self.holder(ep, day)
        if slot is None:
            return self.front_door_manager
        return self.org.team_managers[slot.worker.team.id]

    # --- Episodes ---------------------------------------------------------------------------

    def build(self, episodes: list[FamilyEpisode]) -> None:
        for fe in episodes:
            for child in fe.children:
                self.case(fe, child)

    def case(self, fe: FamilyEpisode, child: Person) -> None:
        ep = fe.episode
        case = self.add(
            make(
                Case,
                id=self.new_id(),
                child_id=child.id,
                authority_id=self.authority_id,
                referral_date=ep.referral,
                referral_source=ep.source,
                referral_nfa=ep.nfa,
                primary_need=ep.primary_need,
                closure_date=ep.closure,
                closure_reason=ep.closure_reason,
                team_id=self.responsible_team(ep),
            ),
            child.id,
        )
        self.referral(fe, child, case)
        for slot in ep.slots:
            self.allocation(ep, child, case, slot)
        for step in ep.assessments:
            self.assessment(ep, child, case, step)
        enquiries = self.protection(fe, child, case)
        for plan in ep.plans:
            self.cp_plan(fe, child, case, plan, enquiries[id(plan.enquiry)])
        for cin in ep.cin_plans:
            self.cin_plan(ep, child, case, cin)
        for visit in ep.visits:
            self.visit(ep, child, case, visit)
        for note in ep.notes:
            self.note(ep, child, case, note)
        for decision in ep.decisions:
            self.decision(ep, child, case, decision)
        if ep.closure is not None and not ep.nfa:
            by = self.worker_on(ep, ep.closure)
            reason = ClosureReason(ep.closure_reason)
            what = f"Case closed: {reason.label} ({reason.value})"
            self.chronology(child, case.id, ep.closure, what, case, end=True, by=by)

    def referral(self, fe: FamilyEpisode, child: Person, case: Case) -> None:
        ep = fe.episode
        if ep.decision == ReferralDecision.ASSESSMENT and self.rng.random() < 0.7:
            by = self.rng.choice(self.org.front_door_workers)
        else:
            by = self.front_door_manager
        contact_id = self.contacts.for_referral(fe, child, by)
        self.case_priority(ep, case, contact_id, by)
        referral = self.add(
            make(
                Referral,
                id=self.new_id(),
                case_id=case.id,
                contact_id=contact_id,
                received_date=ep.referral,
                decision=ep.decision,
                decision_date=ep.decision_date,
                decided_by_id=by.user_id,
                reason=ep.decision_reason,
                created_by_id=by.user_id,
                updated_by_id=by.user_id,
            ),
            child.id,
        )
        source = ReferralSource(ep.source).label
        decision = ReferralDecision(ep.decision).label.lower()
        self.chronology(
            child,
            case.id,
            ep.referral,
            f"Referral received from {source}: decision {decision}",
            referral,
            agency=source,
            outcome=ep.decision_reason,
            by=by,
        )

    def case_priority(self, ep: Episode, case: Case, contact_id, by: Worker) -> None:
        """The referral's priority is its case's at opening: its contact's when it came from
        one, else one fitting the episode (issue 13)."""
        contact = self.contacts.last if contact_id is not None else None
        if contact is not None and contact.id == contact_id:
            priority, reason = contact.priority, contact.priority_reason
        else:
            serious = bool(ep.strategies) or ep.decision == "strategy"
            kind = "serious" if serious else ContactOutcome.REFERRAL
            priority, reason = choose_priority(self.borough.priority_rng, kind)
        case.priority, case.priority_reason = priority, reason
        case.priority_set_by_id = by.user_id
        case.priority_set_at = timezone.make_aware(datetime.combine(ep.referral, time(9, 0)))

    def allocation(self, ep: Episode, child: Person, case: Case, slot: Slot) -> None:
        worker, team_id = slot.worker, slot.worker.team.id
        manager = self.org.team_managers[team_id]
        self.add(
            make(
                Allocation,
                id=self.new_id(),
                case_id=case.id,
                worker_id=worker.user_id,
                team_id=team_id,
                start_date=slot.start,
                end_date=slot.end,
                created_by_id=manager.user_id,
                updated_by_id=manager.user_id,
            ),
            child.id,
        )
        self.add(
            make(
                Involvement,
                id=self.new_id(),
                person_id=child.id,
                agency_id=self.org.csc.id,
                team_id=team_id,
                worker_id=worker.user_id,
                role=ALLOCATED_SOCIAL_WORKER,
                start_date=slot.start,
                end_date=slot.end,
                created_by_id=manager.user_id,
                updated_by_id=manager.user_id,
            ),
            child.id,
        )

    def assessment(self, ep: Episode, child: Person, case: Case, step) -> None:
        born = child.date_of_birth
        seen = step.seen if born is not None and step.seen and step.seen >= born else None
        if step.completed and born is not None and born <= step.completed and seen is None:
            # Never authorised before the child was seen (issue 16): a baby born during the
            # assessment is seen once born.
            seen = min(max(step.start, born + timedelta(days=1)), step.completed)
        alone = bool(seen and step.seen_alone and age_on(born, seen) >= 5)
        by = self.worker_on(ep, step.start)
        manager = self.manager_on(ep, step.completed) if step.completed else None
        factors = list(step.factors)
        if born is None or age_on(born, step.completed or step.start) < 10:
            factors = [f for f in factors if f not in OLDER_CHILD_FACTORS] or [Factor.F20]
        if not step.completed:
            factors = []
        assessment_id = self.new_id()
        # The written assessment and its decisions come from their own seed (the record's
        # id), so the borough's other records come out as they did before they were written.
        rng = random.Random(f"assessment:{assessment_id}")  # noqa: S311
        young = born is None or age_on(born, step.start) < 5
        written = _written_assessment(rng, young)
        need, outcome = step.need, step.outcome
        stage, submitted_on, returns = AssessmentStage.WRITING, None, []
        if step.completed:
            stage = AssessmentStage.SUBMITTED
            submitted_on = max(step.start, step.completed - timedelta(days=rng.randint(1, 6)))
            if rng.random() < 0.25 and submitted_on < step.completed:
                # Returned once, then revised and resubmitted before the manager agreed.
                returns = [submitted_on]
                gap = (step.completed - submitted_on).days
                submitted_on += timedelta(days=rng.randint(1, gap))
        else:
            as_at = self.borough.as_at
            roll = rng.random()
            if roll < 0.3 and step.start < as_at:
                stage, submitted_on = AssessmentStage.SUBMITTED, as_at - timedelta(days=1)
            elif roll < 0.45 and step.start < as_at:
                stage, submitted_on = AssessmentStage.RETURNED, as_at - timedelta(days=1)
                returns = [submitted_on]
            else:
                # Still being written: the first sections only, nothing chosen yet.
                done = rng.randint(1, 4)
                written = {
                    name: text if i < done else "" for i, (name, text) in enumerate(written.items())
                }
            if stage != AssessmentStage.WRITING:
                # Submitted: the worker has chosen the factors, need and outcome they found.
                factors, need, outcome = rng.choice(IN_PROGRESS_CONCLUSIONS)
                factors = list(factors)
        assessment = self.add(
            make(
                Assessment,
                id=assessment_id,
                case_id=case.id,
                kind=SINGLE,
                start_date=step.start,
                child_seen_date=seen,
                child_seen_alone=alone,
                completed_date=step.completed,
                factors=factors,
                primary_need=need,
                outcome=outcome,
                stage=stage,
                submitted_at=_at(submitted_on) if submitted_on else None,
                submitted_by_id=by.user_id if submitted_on else None,
                authorised_by_id=manager.user_id if manager else None,
                created_by_id=by.user_id,
                updated_by_id=(manager or by).user_id,
                **written,
            ),
            child.id,
        )
        decider = manager or self.manager_on(ep, step.start)
        for day in returns:
            self.add(
                make(
                    AssessmentAuthorisation,
                    id=self.new_id(),
                    assessment_id=assessment_id,
                    decision=AuthorisationDecision.RETURN,
                    decided_on=day,
                    decided_by_id=decider.user_id,
                    comments=rng.choice(texts.RETURN_REASONS),
                    created_by_id=decider.user_id,
                    updated_by_id=decider.user_id,
                ),
                child.id,
            )
        if step.completed and outcome == AssessmentOutcome.EARLY_HELP:
            self.step_downs.append((child, step.completed, case.id))
        if step.completed:
            self.add(
                make(
                    AssessmentAuthorisation,
                    id=self.new_id(),
                    assessment_id=assessment_id,
                    decision=AuthorisationDecision.AGREE,
                    decided_on=step.completed,
                    decided_by_id=manager.user_id,
                    comments=rng.choice(texts.AUTHORISATION_COMMENTS),
                    created_by_id=manager.user_id,
                    updated_by_id=manager.user_id,
                ),
                child.id,
            )
            self.chronology(
                child,
                case.id,
                step.completed,
                f"{SINGLE.label} completed: {AssessmentOutcome(outcome).label.lower()}",
                assessment,
                outcome=f"Authorised by {manager.full_name}",
                by=manager,
            )

    def protection(self, fe: FamilyEpisode, child: Person, case: Case) -> dict[int, object]:
        """Strategy discussions, enquiries and conferences without a plan; returns the
        enquiries made, by the step they came from."""
        ep, org, rng = fe.episode, self.org, self.rng
        strategies = {}
        for step in ep.strategies:
            chair = self.manager_on(ep, step.day)
            worker = self.worker_on(ep, step.day)
            young = child.date_of_birth is None or age_on(child.date_of_birth, step.day) < 5
            if young:
                health, health_role = org.health_visitors, "Health visitor"
            else:
                health, health_role = org.school_nurses, "School nurse"
            police = rng.choice(org.police_workers)
            attendees = [
                {"agency": self.csc_name, "name": worker.full_name, "role": "Social worker"},
                {"agency": org.police.name, "name": police.full_name, "role": "Police officer"},
                {"agency": org.health.name, "name": rng.choice(health).full_name,
                 "role": health_role},
            ]
            item = self.add(
                make(
                    StrategyDiscussion,
                    id=self.new_id(),
                    case_id=case.id,
                    discussion_date=step.day,
                    attendees=attendees,
                    decision=step.decision,
                    notes=texts.STRATEGY_NOTES[step.decision],
                    emergency_protection=_emergency_protection(case.id, step.day),
                    chaired_by_id=chair.user_id,
                    created_by_id=chair.user_id,
                    updated_by_id=chair.user_id,
                ),
                child.id,
            )
            strategies[id(step)] = item
            agencies = ", ".join(sorted({a["agency"] for a in attendees}))
            what = f"Strategy discussion: {StrategyDecision(step.decision).label.lower()}"
            self.chronology(child, case.id, step.day, what, item, agency=agencies, by=chair)
        enquiries = {}
        for step in ep.enquiries:
            by = self.worker_on(ep, step.start)
            enquiry = self.add(
                make(
                    Section47Enquiry,
                    id=self.new_id(),
                    case_id=case.id,
                    strategy_discussion_id=strategies[id(step.strategy)].id,
                    start_date=step.start,
                    end_date=step.end,
                    outcome=step.outcome,
                    created_by_id=by.user_id,
                    updated_by_id=by.user_id,
                ),
                child.id,
            )
            enquiries[id(step)] = enquiry
            self.chronology(
                child, case.id, step.start, "Section 47 enquiry started", enquiry, by=by
            )
            if step.end is not None and not step.by_conference:
                outcome = Section47Outcome(step.outcome).label.lower()
                self.chronology(
                    child,
                    case.id,
                    step.end,
                    f"Section 47 enquiry concluded: {outcome}",
                    enquiry,
                    end=True,
                    by=self.worker_on(ep, step.end),
                )
        for conference, step in ep.icpcs_without_plan:
            chair = rng.choice(org.chairs)
            attendance = self.attendance(child, conference.day)
            item = self.add(
                make(
                    ChildProtectionConference,
                    id=self.new_id(),
                    case_id=case.id,
                    kind=ConferenceKind.INITIAL,
                    conference_date=conference.day,
                    section47_id=enquiries[id(step)].id,
                    attendance=attendance,
                    decision=ConferenceDecision.NO_PLAN,
                    chaired_by_id=chair.user_id,
                    created_by_id=chair.user_id,
                    updated_by_id=chair.user_id,
                ),
                child.id,
            )
            self.chronology(
                child,
                case.id,
                conference.day,
                "Initial child protection conference: no child protection plan",
                item,
                agency=", ".join(sorted(k for k, v in attendance.items() if v)),
                by=chair,
            )
        return enquiries

    def attendance(self, child: Person, day: date) -> dict[str, bool]:
        rng = self.rng
        at_school = child.date_of_birth is not None and age_on(child.date_of_birth, day) >= 4
        attendance = {
            "Children's social care": True,
            "Police": rng.random() < 0.8,
            "Health": rng.random() < 0.85,
            "Parents": rng.random() < 0.9,
        }
        if at_school:
            attendance["Education"] = rng.random() < 0.85
        return attendance

    def cp_plan(self, fe: FamilyEpisode, child: Person, case: Case, step, enquiry) -> None:
        ep, org, rng = fe.episode, self.org, self.rng
        chair = rng.choice(org.chairs)
        worker = self.worker_on(ep, step.start)
        plan = self.add(
            make(
                ChildProtectionPlan,
                id=self.new_id(),
                case_id=case.id,
                start_date=step.start,
                end_date=step.end,
                initial_category=step.initial_category,
                latest_category=step.latest_category,
                end_reason=step.end_reason,
                previous_plans_elsewhere=step.elsewhere,
                created_by_id=chair.user_id,
                updated_by_id=chair.user_id,
            ),
            child.id,
        )
        young = child.date_of_birth is None or age_on(child.date_of_birth, step.start) < 5
        health = rng.choice(org.health_visitors if young else org.school_nurses)
        members = [
            {"agency": self.csc_name, "name": worker.full_name, "role": "Social worker"},
            {"agency": org.health.name, "name": health.full_name, "role": "Health"},
            {"agency": "Family", "name": fe.household.resident_parent.full_name, "role": "Parent"},
        ]
        if not young:
            school = rng.choice(org.school_dsls)
            members.append(
                {"agency": school.team.name, "name": school.full_name, "role": "School"}
            )
        outline = texts.OUTLINE_PLANS[step.initial_category]
        attendance = self.attendance(child, step.start)
        icpc = self.add(
            make(
                ChildProtectionConference,
                id=self.new_id(),
                case_id=case.id,
                kind=ConferenceKind.INITIAL,
                conference_date=step.start,
                section47_id=enquiry.id,
                plan_id=plan.id,
                attendance=attendance,
                decision=ConferenceDecision.PLAN,
                category=step.initial_category,
                outline_plan=outline,
                core_group_members=members,
                chaired_by_id=chair.user_id,
                created_by_id=chair.user_id,
                updated_by_id=chair.user_id,
            ),
            child.id,
        )
        previous = self.plans_so_far[child.id]
        self.plans_so_far[child.id] += 1
        category = CategoryOfAbuse(step.initial_category).label.lower()
        what = f"Initial child protection conference: child protection plan, category {category}"
        if previous:
            what += f" (plan {previous + 1})"
        self.chronology(
            child,
            case.id,
            step.start,
            what,
            icpc,
            agency=", ".join(sorted(k for k, v in attendance.items() if v)),
            outcome=outline[:500],
            by=chair,
        )
        for review in step.reviews:
            attendance = self.attendance(child, review.day)
            item = self.add(
                make(
                    ChildProtectionConference,
                    id=self.new_id(),
                    case_id=case.id,
                    kind=ConferenceKind.REVIEW,
                    conference_date=review.day,
                    plan_id=plan.id,
                    attendance=attendance,
                    decision=review.decision,
                    category=review.category,
                    chaired_by_id=chair.user_id,
                    created_by_id=chair.user_id,
                    updated_by_id=chair.user_id,
                ),
                child.id,
            )
            if review.decision == ConferenceDecision.END:
                reason = PlanEndReason(step.end_reason).label.lower()
                what = f"Review child protection conference: plan ended, {reason}"
            else:
                what = "Review child protection conference: plan continues"
            self.chronology(
                child,
                case.id,
                review.day,
                what,
                item,
                agency=", ".join(sorted(k for k, v in attendance.items() if v)),
                by=chair,
            )
        for day in step.core_groups:
            by = self.worker_on(ep, day)
            present = [m for m in members if m["role"] == "Social worker" or rng.random() < 0.8]
            self.add(
                make(
                    CoreGroupMeeting,
                    id=self.new_id(),
                    plan_id=plan.id,
                    meeting_date=day,
                    attendees=present,
                    created_by_id=by.user_id,
                    updated_by_id=by.user_id,
                ),
                child.id,
            )

    def cin_plan(self, ep: Episode, child: Person, case: Case, step) -> None:
        by = self.worker_on(ep, step.start)
        plan = self.add(
            make(
                CINPlan,
                id=self.new_id(),
                case_id=case.id,
                start_date=step.start,
                end_date=step.end,
                summary=step.summary,
                created_by_id=by.user_id,
                updated_by_id=by.user_id,
            ),
            child.id,
        )
        self.chronology(child, case.id, step.start, "Child in need plan started", plan, by=by)
        for day, outcome in zip(step.reviews, step.review_outcomes, strict=True):
            reviewer = self.worker_on(ep, day)
            self.add(
                make(
                    CINPlanReview,
                    id=self.new_id(),
                    plan_id=plan.id,
                    review_date=day,
                    outcome=outcome,
                    created_by_id=reviewer.user_id,
                    updated_by_id=reviewer.user_id,
                ),
                child.id,
            )
        if step.end is not None:
            by = self.worker_on(ep, step.end)
            self.chronology(
                child, case.id, step.end, "Child in need plan ended", plan, end=True, by=by
            )

    def visit(self, ep: Episode, child: Person, case: Case, step) -> None:
        born = child.date_of_birth
        seen = step.seen and born is not None and born <= step.day
        alone = seen and age_on(born, step.day) >= 5 and self.rng.random() < 0.6
        worker = self.worker_on(ep, step.day)
        visit_id = self.new_id()
        visit = self.add(
            make(
                Visit,
                id=visit_id,
                **visit_content(
                    visit_id,
                    name=child.given_names,
                    seen=seen,
                    alone=alone,
                    age=age_on(born, step.day) if seen else None,
                ),
                case_id=case.id,
                kind=step.kind,
                visit_date=step.day,
                worker_id=worker.user_id,
                child_seen=seen,
                child_seen_alone=alone,
                bedroom_seen=step.bedroom and seen,
                created_by_id=worker.user_id,
                updated_by_id=worker.user_id,
            ),
            child.id,
        )
        age = age_on(born, step.day) if seen else None
        work = direct_work_after(visit, new_id=self.new_id, name=child.given_names, age=age)
        if work is not None:
            self.add(work, child.id)

    def note(self, ep: Episode, child: Person, case: Case, step) -> None:
        by = self.worker_on(ep, step.day)
        note = self.add(
            make(
                CaseNote,
                id=self.new_id(),
                case_id=case.id,
                note_date=step.day,
                subject=step.subject,
                text=step.text,
                significant=step.significant,
                created_by_id=by.user_id,
                updated_by_id=by.user_id,
            ),
            child.id,
        )
        if step.significant:
            self.chronology(child, case.id, step.day, step.subject, note, by=by)

    def decision(self, ep: Episode, child: Person, case: Case, step) -> None:
        by = self.front_door_manager if step.front_door else self.manager_on(ep, step.day)
        item = self.add(
            make(
                ManagementDecision,
                id=self.new_id(),
                case_id=case.id,
                decision_date=step.day,
                decision=step.decision,
                rationale=step.rationale,
                decided_by_id=by.user_id,
                created_by_id=by.user_id,
                updated_by_id=by.user_id,
            ),
            child.id,
        )
        what = f"Management decision by {by.full_name}: {step.decision[:300]}"
        self.chronology(child, case.id, step.day, what, item, by=by)

    # --- Saving -----------------------------------------------------------------------------

    def save(self) -> None:
        """Insert the records made so far, and forget them (a large demo saves in parts)."""
        save_with_events(self.rows, MODELS, self.events, self.saved)


# Of strategy discussions, the share held while the child was in police protection (Children
# Act s46), under an emergency protection order (s44), or first one then the other. Police
# protection is the commoner: an emergency protection order needs a court.
EMERGENCY_PROTECTION_RATES = (
    (EmergencyProtection.POLICE, 0.06),
    (EmergencyProtection.EPO, 0.015),
    (EmergencyProtection.BOTH, 0.01),
)


def _emergency_protection(case_id, day: date) -> str:
    """Drawn from its own seed (the case and the day), so the borough's other records come
    out as they did before the question was asked."""
    roll = random.Random(f"emergency-protection:{case_id}:{day.isoformat()}").random()  # noqa: S311
    for value, rate in EMERGENCY_PROTECTION_RATES:
        if roll < rate:
            return value
        roll -= rate
    return EmergencyProtection.NEITHER
