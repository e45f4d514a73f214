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

from safeguard.assessments.models import AssessmentKind
from safeguard.casework.models import Case
from safeguard.protection.models import (
    ChildProtectionPlan,
    ConferenceKind,
    Section47Enquiry,
    Section47Outcome,
)

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


SCOPES: dict[str, Scope] = {
    "referral": Scope(_referral, lambda r: r.received_date, _always),
    "single_assessment": Scope(_assessments_of(AssessmentKind.SINGLE), _start_date, _always),
    "initial_assessment": Scope(_assessments_of(AssessmentKind.INITIAL), _start_date, _always),
    "core_assessment": Scope(_assessments_of(AssessmentKind.CORE), _start_date, _always),
    "section47": Scope(lambda c: list(c.section47s.all()), _start_date, _may_need_conference),
    "cp_plan": Scope(lambda c: list(c.cp_plans.all()), _start_date, _open_on),
    "cin_plan": Scope(lambda c: list(c.cin_plans.all()), _start_date, _open_on),
    "cin_plan_outside_cp": Scope(lambda c: list(c.cin_plans.all()), _start_date, _on_cin_plan_only),
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
    "initial_conference": lambda case, subject: _conferences(
        case, subject, ConferenceKind.INITIAL
    ),
    "review_conference": lambda case, plan: _conferences(case, plan, ConferenceKind.REVIEW),
    "core_group": lambda case, plan: [m.meeting_date for m in plan.core_groups.all()],
    "plan_start": lambda case, plan: [plan.start_date],
    "plan_start_once_born": _plan_start_once_born,
    "seen_visit": _seen_visits,
    "cin_plan_review": lambda case, plan: [r.review_date for r in plan.reviews.all()],
}
