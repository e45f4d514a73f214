"""The scopes and events that timescale rules name, read from a case's records.

This is the only module that knows where an event is recorded. Every reader works from the
relations that ``engine.with_timescale_data`` loads (``.all()`` then filtering in Python),
so computing the timescales of many cases costs a fixed number of queries. A reader returns
every date it finds, possibly none; the engine drops empty dates and dates after the day it
computes for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from safeguard.assessments.models import Assessment, AssessmentKind, AssessmentOutcome
from safeguard.casework.models import Case
from safeguard.protection.models import (
    OPEN_ACTION_STATUSES,
    ChildProtectionPlan,
    ConferenceKind,
    Section47Enquiry,
    Section47Outcome,
    StrategyDecision,
    StrategyDiscussion,
)
from safeguard.referrals.models import Contact, ContactOutcome, ReferralDecision

Subject = Any
EventReader = Callable[[Case, Subject], Iterable[date | None]]


@dataclass(frozen=True)
class Scope:
    """What a clock runs on.

    ``subjects`` lists them for a case; ``began`` is the date each came into being (a clock
    on a subject that did not yet exist on the day asked about is not shown); ``live`` says
    whether a clock that has not stopped may still be outstanding on a day.
    """

    subjects: Callable[[Case], list[Subject]]
    began: Callable[[Subject], date]
    live: Callable[[Case, Subject, date], bool]


# --- Scopes -----------------------------------------------------------------------------


def _referral(case: Case) -> list[Subject]:
    try:
        return [case.referral]
    except ObjectDoesNotExist:
        return []


def _assessments_of(kind: str) -> Callable[[Case], list[Subject]]:
    def subjects(case: Case) -> list[Subject]:
        return [a for a in case.assessments.all() if a.kind == kind]

    return subjects


def _always(case: Case, subject: Subject, on: date) -> bool:
    return True


def _open_on(case: Case, subject: Subject, on: date) -> bool:
    return subject.is_open_on(on)


def _may_need_conference(case: Case, s47: Section47Enquiry, on: date) -> bool:
    # An enquiry that ended without substantiated concerns needs no conference.
    ended = s47.end_date is not None and s47.end_date <= on
    return not ended or s47.outcome == Section47Outcome.SUBSTANTIATED_ICPC


def _on_cin_plan_only(case: Case, plan: Subject, on: date) -> bool:
    # Child in need visits give way to child protection visits while a CP plan is open.
    return plan.is_open_on(on) and not any(p.is_open_on(on) for p in case.cp_plans.all())


def _start_date(subject: Subject) -> date:
    return subject.start_date


# The next steps' scopes (issue 13, item 1): the decision that set each step.


def _referral_decided(*decisions: str) -> Callable[[Case], list[Subject]]:
    def subjects(case: Case) -> list[Subject]:
        return [r for r in _referral(case) if r.decision in decisions]

    return subjects


def _assessments_ending_in(outcome: str) -> Callable[[Case], list[Subject]]:
    def subjects(case: Case) -> list[Subject]:
        return [a for a in case.assessments.all() if a.outcome == outcome and a.completed_date]

    return subjects


def _strategy_for_section47(case: Case) -> list[Subject]:
    return [d for d in case.strategy_discussions.all() if d.decision == StrategyDecision.SECTION_47]


@dataclass(frozen=True)
class UnallocatedSpell:
    """A time a case waited with nobody holding it: from ``start_date`` (the referral, or the
    end of an allocation) to ``end_date`` (the next allocation's start; None while it waits).
    Its id is the case's and its start, so that the clock keeps its identity."""

    pk: str
    start_date: date
    end_date: date | None

    def is_open_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day < self.end_date)


def unallocated_spells(case: Case) -> list[UnallocatedSpell]:
    """The times the case waited unallocated, from its allocations (read through ``.all()``),
    up to its closure."""
    spells = []
    waiting_from: date | None = case.referral_date
    held = sorted(case.allocations.all(), key=lambda a: (a.start_date, a.end_date or date.max))
    for allocation in held:
        if waiting_from is not None and allocation.start_date > waiting_from:
            spells.append((waiting_from, allocation.start_date))
        if allocation.end_date is None:
            waiting_from = None
        elif waiting_from is None or allocation.end_date > waiting_from:
            waiting_from = max(allocation.end_date, allocation.start_date)
    if waiting_from is not None and (case.closure_date is None or waiting_from < case.closure_date):
        spells.append((waiting_from, case.closure_date))
    return [UnallocatedSpell(f"{case.pk}:{start}", start, end) for start, end in spells]


def _reviews_in(case: Case, spell: Subject) -> list[date]:
    """Managers' reviews of the case while it waited in ``spell``."""
    return [
        r.review_date for r in case.unallocated_reviews.all() if spell.is_open_on(r.review_date)
    ]


def _plan_actions(case: Case) -> list[Subject]:
    """The actions of the case's child protection plans (decision 0036) and child in need
    plans (decision 0068)."""
    return [
        action
        for plans in (case.cp_plans, case.cin_plans)
        for plan in plans.all()
        for action in plan.actions.all()
    ]


def _action_agreed(action: Subject) -> date:
    """When an action was agreed: the day it was added, or its due date if that is earlier
    (an action recorded after the day it was due by)."""
    return min(timezone.localdate(action.created_at), action.due_date)


def _action_live(case: Case, action: Subject, on: date) -> bool:
    """An action is still to do while it is open and its plan is current."""
    return action.status in OPEN_ACTION_STATUSES and action.on_plan.is_open_on(on)


SCOPES: dict[str, Scope] = {
    "referral": Scope(_referral, lambda r: r.received_date, _always),
    "single_assessment": Scope(_assessments_of(AssessmentKind.SINGLE), _start_date, _always),
    "initial_assessment": Scope(_assessments_of(AssessmentKind.INITIAL), _start_date, _always),
    "core_assessment": Scope(_assessments_of(AssessmentKind.CORE), _start_date, _always),
    "section47": Scope(lambda c: list(c.section47s.all()), _start_date, _may_need_conference),
    "cp_plan": Scope(lambda c: list(c.cp_plans.all()), _start_date, _open_on),
    "cin_plan": Scope(lambda c: list(c.cin_plans.all()), _start_date, _open_on),
    "cin_plan_outside_cp": Scope(lambda c: list(c.cin_plans.all()), _start_date, _on_cin_plan_only),
    "referral_for_assessment": Scope(
        _referral_decided(ReferralDecision.ASSESSMENT), lambda r: r.decision_date, _always
    ),
    "referral_for_strategy": Scope(
        _referral_decided(ReferralDecision.STRATEGY_DISCUSSION),
        lambda r: r.decision_date,
        _always,
    ),
    "referral_acted_on": Scope(
        _referral_decided(ReferralDecision.ASSESSMENT, ReferralDecision.STRATEGY_DISCUSSION),
        lambda r: r.decision_date,
        _always,
    ),
    "assessment_for_strategy": Scope(
        _assessments_ending_in(AssessmentOutcome.STRATEGY_DISCUSSION),
        lambda a: a.completed_date,
        _always,
    ),
    "assessment_for_cin_plan": Scope(
        _assessments_ending_in(AssessmentOutcome.CIN_PLAN), lambda a: a.completed_date, _always
    ),
    "assessment_for_early_help": Scope(
        _assessments_ending_in(AssessmentOutcome.EARLY_HELP), lambda a: a.completed_date, _always
    ),
    "strategy_for_section47": Scope(_strategy_for_section47, lambda d: d.discussion_date, _always),
    "unallocated_spell": Scope(unallocated_spells, _start_date, _open_on),
    "plan_action": Scope(_plan_actions, _action_agreed, _action_live),
    "conference": Scope(
        lambda c: list(c.conferences.all()), lambda conf: conf.conference_date, _always
    ),
}


# The scopes of clocks on a contact at the front door, before any case (``Rule.on_contact``).
# A contact is its own subject; ``began`` is its decision.


def _contact_decided(outcome: str) -> Callable[[Contact], list[Subject]]:
    def subjects(contact: Contact) -> list[Subject]:
        decided = contact.outcome == outcome and contact.decision_date is not None
        return [contact] if decided else []

    return subjects


CONTACT_SCOPES: dict[str, Scope] = {
    "contact_for_referral": Scope(
        _contact_decided(ContactOutcome.REFERRAL), lambda c: c.decision_date, _always
    ),
    "contact_for_early_help": Scope(
        _contact_decided(ContactOutcome.EARLY_HELP), lambda c: c.decision_date, _always
    ),
}


# --- Events -----------------------------------------------------------------------------


def _conferences(case: Case, subject: Subject, kind: str) -> list[date]:
    """Dates of ``kind`` conferences linked to ``subject`` (an enquiry or a plan)."""
    if isinstance(subject, ChildProtectionPlan):
        linked = [c for c in case.conferences.all() if c.plan_id == subject.pk]
    elif isinstance(subject, Section47Enquiry):
        linked = [c for c in case.conferences.all() if c.section47_id == subject.pk]
    else:
        linked = []
    return [c.conference_date for c in linked if c.kind == kind]


def _seen_visits(case: Case, plan: Subject) -> list[date]:
    """Visits during ``plan`` (its end day included) at which the child was seen.

    Any kind of visit counts: the standard is that the child is seen (kpis.md §4,
    ``cp_visits_on_time``), whatever the visit was recorded as.
    """
    return [
        v.visit_date
        for v in case.visits.all()
        if v.child_seen
        and plan.start_date <= v.visit_date
        and (plan.end_date is None or v.visit_date <= plan.end_date)
    ]


def _referral_or_own_start(case: Case, assessment: Subject) -> list[date]:
    """When an assessment's clock starts: the referral for the episode's first assessment of
    its kind, its own start for a re-assessment (one started after an earlier assessment of
    the same kind in the episode), as the DfE measures every assessment from its own start.
    A re-assessment months into an episode is not overdue on its first day."""
    reassessment = any(
        a.kind == assessment.kind and a.start_date < assessment.start_date
        for a in case.assessments.all()
    )
    return [assessment.start_date if reassessment else case.referral_date]


def _plan_start_once_born(case: Case, plan: Subject) -> list[date]:
    """When visits to see the child can begin: the plan's start, or the birth of a child on a
    pre-birth plan (an unborn child cannot be seen, so no visit falls due before birth)."""
    born = case.child.date_of_birth
    if born is None:
        return []
    return [max(plan.start_date, born)]


def _since(subject: Subject) -> date:
    """The first day on which a record can meet the step ``subject`` set: a record made before
    the decision was not made in answer to it."""
    if isinstance(subject, Contact):
        return subject.contact_date
    if isinstance(subject, Assessment):
        return subject.start_date
    if isinstance(subject, StrategyDiscussion):
        return subject.discussion_date
    return subject.received_date  # a referral


def _on_or_after(subject: Subject, days: Iterable[date | None]) -> list[date]:
    since = _since(subject)
    return [d for d in days if d is not None and d >= since]


def _child_seen(case: Case, subject: Subject) -> list[date]:
    """Sightings of the child in ``case`` since ``subject``: a visit at which the child was
    seen, an assessment's date the child was seen, or a session of direct work with the
    child (what counts as seen is ``selectors.SIGHTINGS``, decision 0070)."""
    visits = [v.visit_date for v in case.visits.all() if v.child_seen]
    assessments = [a.child_seen_date for a in case.assessments.all()]
    work = [w.work_date for w in case.direct_work.all()]
    return _on_or_after(subject, visits + assessments + work)


def _section47_started(case: Case, discussion: Subject) -> list[date]:
    """Section 47 enquiries started from ``discussion``, or in its case on or after it."""
    return [
        s.start_date
        for s in case.section47s.all()
        if s.strategy_discussion_id == discussion.pk or s.start_date >= discussion.discussion_date
    ]


def _referral_recorded(case: Case | None, contact: Subject) -> list[date]:
    """A referral made from ``contact``, or any referral of its child received on or after it
    (a referral recorded without naming the contact still answers the decision)."""
    found = [c.referral.received_date for c in contact.child.cases.all() if _has_referral(c)]
    linked = [
        c.referral.received_date
        for c in contact.child.cases.all()
        if _has_referral(c) and c.referral.contact_id == contact.pk
    ]
    return linked + _on_or_after(contact, found)


def _has_referral(case: Case) -> bool:
    return bool(_referral(case))


def _decided_once_born(case: Case, referral: Subject) -> list[date]:
    """When the child can be seen after a referral's decision: the decision, or the birth of
    a child referred before birth (an unborn child cannot be seen, as for plan visits)."""
    born = case.child.date_of_birth
    if born is None:
        return []
    return [max(referral.decision_date, born)]


def _strategy_discussion_held(case: Case, subject: Subject) -> list[date]:
    """Strategy discussions that answer ``subject``: for a referral, one held on or after it;
    for an assessment concluding that one is needed, any held in its episode, since a
    discussion held while the assessment was under way (a section 47 enquiry begun beside it)
    has already answered the conclusion."""
    held = [d.discussion_date for d in case.strategy_discussions.all()]
    if isinstance(subject, Assessment):
        return [d for d in held if d >= case.referral_date]
    return _on_or_after(subject, held)


def _cin_plan_for(case: Case, assessment: Subject) -> list[date]:
    """Child in need plans of the episode still open when ``assessment`` concluded, or begun
    since: a plan already running answers an assessment that says it should continue."""
    return [
        p.start_date
        for p in case.cin_plans.all()
        if p.start_date >= case.referral_date
        and (p.end_date is None or p.end_date >= assessment.completed_date)
    ]


def _early_help_started(case: Case | None, subject: Subject) -> list[date]:
    """An early help assessment of the child started from ``subject`` (the contact, or the
    case it stepped down from) or started on or after it."""
    child = subject.child if isinstance(subject, Contact) else case.child
    found = []
    for eha in child.early_help_assessments.all():
        from_here = (
            eha.contact_id == subject.pk
            if isinstance(subject, Contact)
            else eha.stepped_down_from_id == case.pk
        )
        if from_here or eha.start_date >= _since(subject):
            found.append(eha.start_date)
    return found


EVENTS: dict[str, EventReader] = {
    "referral_received": lambda case, referral: [referral.received_date],
    "referral_decided": lambda case, referral: [referral.decision_date],
    "referral_date": lambda case, subject: [case.referral_date],
    "referral_or_own_start": _referral_or_own_start,
    "assessment_started": lambda case, assessment: [assessment.start_date],
    "assessment_completed": lambda case, assessment: [assessment.completed_date],
    "strategy_discussions": lambda case, s47: [
        d.discussion_date for d in s47.strategy_discussions_held(case.strategy_discussions.all())
    ],
    "initial_conference": lambda case, subject: _conferences(case, subject, ConferenceKind.INITIAL),
    "review_conference": lambda case, plan: _conferences(case, plan, ConferenceKind.REVIEW),
    "core_group": lambda case, plan: [m.meeting_date for m in plan.core_groups.all()],
    "plan_start": lambda case, plan: [plan.start_date],
    "plan_start_once_born": _plan_start_once_born,
    "seen_visit": _seen_visits,
    "cin_plan_review": lambda case, plan: [r.review_date for r in plan.reviews.all()],
    # The next steps (issue 13, item 1).
    "contact_decided": lambda case, contact: [contact.decision_date],
    "referral_recorded": _referral_recorded,
    "early_help_started": _early_help_started,
    "case_assessment_started": lambda case, referral: _on_or_after(
        referral, [a.start_date for a in case.assessments.all()]
    ),
    "child_seen": _child_seen,
    "strategy_discussion_held": _strategy_discussion_held,
    "strategy_decided": lambda case, discussion: [discussion.discussion_date],
    "referral_decided_once_born": _decided_once_born,
    "section47_started": _section47_started,
    "cin_plan_started": _cin_plan_for,
    # A plan's actions (decision 0043): agreed, then done or no longer needed.
    "action_agreed": lambda case, action: [_action_agreed(action)],
    "action_closed": lambda case, action: [action.closed_on],
    # Conference minutes (issue 15 item 3).
    "conference_held": lambda case, conference: [conference.conference_date],
    "minutes_circulated": lambda case, conference: [conference.minutes_circulated_on],
    # Unallocated cases (issue 14).
    "spell_start": lambda case, spell: [spell.start_date],
    "unallocated_review": _reviews_in,
}
