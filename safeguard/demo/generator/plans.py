"""The demo's child protection plans made to do something (decision 0036): each plan gets
outcomes and a contingency plan, and actions owned by the child's social worker or by a
partner agency, due through the plan; the core groups record progress on them. Some actions
of current plans are overdue, most are done. Child in need plans get the same (decision
0068), their reviews going through the actions. Run after the journey records are saved."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import date, timedelta

from safeguard.accounts.models import Agency, AgencyKind
from safeguard.casework.models import Allocation, CINPlan, CINPlanReview
from safeguard.demo.generator.common import BATCH_SIZE, make, save_with_events
from safeguard.protection.models import (
    ActionStatus,
    ChildProtectionPlan,
    CoreGroupMeeting,
    PlanAction,
    PlanActionProgress,
)

OUTCOMES = {
    "NEG": [
        "{name} goes to school every day, on time, clean and fed",
        "{name}'s home is warm, safe and has food in the cupboards",
        "{name} is taken to every health, dental and eye appointment",
        "An adult who is sober and awake cares for {name} at all times",
    ],
    "PHY": [
        "{name} lives free from physical harm",
        "The adults at home use no physical punishment",
        "Any injury to {name} is seen by a doctor the same day",
    ],
    "EMO": [
        "{name} lives in a home free from shouting, threats and put-downs",
        "{name} has a trusted adult outside the family to talk to",
        "{name}'s parent understands how the arguments at home affect {name}",
    ],
    "SAB": [
        "{name} has no contact with the man who harmed them",
        "{name} knows how to keep safe and whom to tell",
        "{name}'s parent acts to protect {name} and believes what {name} says",
    ],
    "MUL": [
        "{name} is safe from harm at home and outside it",
        "{name}'s basic needs are met every day",
        "The adults at home work openly with the professionals",
    ],
}

CONTINGENCIES = [
    "If {name} misses school for two days without reason, or the home conditions fall back, "
    "the social worker calls a strategy discussion and the chair brings the review forward.",
    "If the parent does not engage with the work agreed, or {name} is found alone at home, a "
    "legal planning meeting is held to consider the pre-proceedings process.",
    "If a new injury is seen, or the adult named in the plan returns to the home, the police "
    "and the social worker hold a strategy discussion the same day.",
]

# (what, the kind of agency that owns it; None: the child's social worker)
ACTIONS = [
    ("Visit {name} at home every ten working days, at least one visit unannounced", None),
    ("Complete direct work with {name} about what home feels like", None),
    ("Refer {name}'s parent to the parenting programme and check attendance", None),
    ("Share a weekly attendance report for {name} with the social worker", AgencyKind.EDUCATION),
    ("Health visitor to check {name}'s growth and development monthly", AgencyKind.HEALTH),
    ("Arrange {name}'s overdue dental and eye checks", AgencyKind.HEALTH),
    (
        "Tell the social worker within one working day of any call-out to the home",
        AgencyKind.POLICE,
    ),
    ("Offer the family a weekly support worker for budgeting and routines", AgencyKind.VOLUNTARY),
]

PROGRESS = {
    ActionStatus.IN_PROGRESS: [
        "Started: the first sessions have taken place and the family are engaging.",
        "Partly done: two of the four checks made, the rest booked.",
        "Under way, though one appointment was missed; rebooked for next week.",
    ],
    ActionStatus.DONE: [
        "Done, and the core group agreed it is complete.",
        "Completed: the report was shared and shows steady improvement.",
        "Done. No concerns found at the last check.",
    ],
    ActionStatus.NOT_DONE: [
        "No longer needed: the core group agreed a different approach.",
    ],
}

MODELS = (PlanAction, PlanActionProgress)


def _first_name(plan) -> str:
    """The child's first name, or "the baby" for an unborn child (who has no name yet)."""
    names = plan.case.child.given_names.split()
    return names[0] if names else "the baby"


def _sentence(text: str, name: str) -> str:
    """``text`` about the child called ``name``, starting with a capital letter."""
    said = text.format(name=name)
    return said[:1].upper() + said[1:]


def add_plan_content(*, rng, new_id, authority_id: int, as_at: date) -> dict[str, int]:
    """Write outcomes, a contingency plan, actions and progress into every child protection
    plan of the authority."""
    plans = list(
        ChildProtectionPlan.objects.filter(case__authority_id=authority_id)
        .select_related("case__child")
        .order_by("start_date", "id")
    )
    groups: dict = defaultdict(list)
    for group in CoreGroupMeeting.objects.filter(plan__in=plans).order_by("meeting_date"):
        groups[group.plan_id].append(group)
    workers = dict(
        Allocation.objects.filter(case__authority_id=authority_id)
        .order_by("start_date")
        .values_list("case_id", "worker_id")
    )
    agencies: dict = defaultdict(list)
    for agency in Agency.objects.filter(authority_id=authority_id):
        agencies[agency.kind].append(agency.pk)
    rows: dict = defaultdict(list)
    events: list = []
    saved: dict[str, int] = defaultdict(int)
    for plan in plans:
        name = _first_name(plan)
        outcomes = OUTCOMES.get(plan.initial_category, OUTCOMES["MUL"])
        plan.outcomes = "\n".join(_sentence(o, name) for o in outcomes)
        plan.contingency = _sentence(rng.choice(CONTINGENCIES), name)
        plan.updated_by_id = plan.created_by_id
        last = plan.end_date or as_at
        by = workers.get(plan.case_id) or plan.created_by_id
        for what, kind in rng.sample(ACTIONS, rng.randint(3, 5)):
            owner_user = owner_agency = None
            if kind is None or not agencies.get(kind):
                owner_user = workers.get(plan.case_id)
                if owner_user is None:
                    continue
            else:
                owner_agency = rng.choice(agencies[kind])
            due = plan.start_date + timedelta(days=rng.choice((10, 20, 30, 45, 60, 90)))
            action = make(
                PlanAction,
                id=new_id(),
                plan_id=plan.id,
                description=_sentence(what, name),
                owner_user_id=owner_user,
                owner_agency_id=owner_agency,
                due_date=due,
                status=ActionStatus.NOT_STARTED,
                created_by_id=by,
                updated_by_id=by,
            )
            rows[PlanAction].append(action)
            events.append(("protection.planaction", str(action.id), plan.case.child_id))
            # The core groups go through it: progress at the first; done (most actions) at the
            # last core group by its due date, seven in ten where there is one, else at the
            # first after it (late); some of a current plan's stay open past their date. (Which
            # is read from the action's id, not drawn: the borough's other draws stay as they
            # were.)
            stays_open = plan.end_date is None and rng.random() < 0.35
            meetings = [g for g in groups[plan.id] if g.meeting_date <= last]
            steps = []
            if meetings:
                steps.append((meetings[0], ActionStatus.IN_PROGRESS))
                later = [g for g in meetings[1:] if g.meeting_date >= due]
                in_time = [g for g in meetings[1:] if g.meeting_date <= due]
                if not stays_open and (later or in_time):
                    final = ActionStatus.NOT_DONE if rng.random() < 0.05 else ActionStatus.DONE
                    on_time = in_time and (action.id.int % 10 < 7 or not later)
                    steps.append((in_time[-1] if on_time else later[0], final))
            for group, status in steps:
                progress = make(
                    PlanActionProgress,
                    id=new_id(),
                    action_id=action.id,
                    core_group_id=group.id,
                    recorded_on=group.meeting_date,
                    status=status,
                    note=rng.choice(PROGRESS[status]),
                    created_by_id=by,
                    updated_by_id=by,
                )
                rows[PlanActionProgress].append(progress)
                events.append(
                    ("protection.planactionprogress", str(progress.id), plan.case.child_id)
                )
                action.status = status
                if status in (ActionStatus.DONE, ActionStatus.NOT_DONE):
                    action.closed_on = group.meeting_date
    ChildProtectionPlan.objects.bulk_update(
        plans, ["outcomes", "contingency", "updated_by_id"], batch_size=BATCH_SIZE
    )
    save_with_events(rows, MODELS, events, saved)
    return {
        "plan_actions": saved["protection.planaction"],
        "plan_action_progress": saved["protection.planactionprogress"],
    }


# Child in need plans (decision 0068): what should change for the child and family, and
# actions of lower intensity than a child protection plan's.
CIN_OUTCOMES = [
    "{name} goes to school every day and is ready to learn",
    "{name}'s parent has a daily routine for meals, bedtime and school",
    "{name}'s health needs are met: appointments kept, medicines given",
    "{name} has a trusted adult to talk to and says they feel listened to",
    "The family has a safe, warm home and enough money for food and bills",
    "{name}'s parent knows where to get help and asks for it early",
]

CIN_CONTINGENCIES = [
    "If {name}'s attendance falls below 90% or the routines slip, the social worker calls a "
    "review early and considers a referral for a parenting assessment.",
    "If the family stops working with the plan, or new worries about {name}'s safety arise, "
    "the social worker talks to the team manager about a strategy discussion.",
    "If the housing or money problems are not sorted within the plan, the social worker "
    "escalates to the housing service manager and brings the review forward.",
]

# (what, the kind of agency that owns it; None: the child's social worker)
CIN_ACTIONS = [
    ("Visit {name} at home every four weeks and see {name} alone", None),
    ("Do direct work with {name} on their wishes and feelings", None),
    ("Help {name}'s parent apply for the benefits and grants they are owed", None),
    ("Refer the family to the family support service for help with routines", None),
    ("Share {name}'s attendance every two weeks with the social worker", AgencyKind.EDUCATION),
    ("School nurse to see {name} and check growth and development", AgencyKind.HEALTH),
    ("Book {name}'s overdue dental and hearing checks", AgencyKind.HEALTH),
    ("Family support worker to visit twice a week for budgeting", AgencyKind.VOLUNTARY),
]

CIN_PROGRESS = {
    ActionStatus.IN_PROGRESS: [
        "Under way: the first sessions took place and the family took part.",
        "Started, though one appointment was missed; a new date is booked.",
        "Partly done: the referral is made and the family are on the waiting list.",
    ],
    ActionStatus.DONE: [
        "Done, and the review agreed it is complete.",
        "Completed: the family says it has made a difference.",
        "Done. Attendance is now above 95%.",
    ],
    ActionStatus.NOT_DONE: [
        "No longer needed: the review agreed the family no longer wants this help.",
    ],
}


def add_cin_plan_content(*, seed: int, authority_id: int, as_at: date) -> dict[str, int]:
    """Write outcomes, a contingency plan, actions and the progress recorded at reviews into
    every child in need plan of the authority (decision 0068), from a random stream of its
    own (``seed``), so that the rest of the borough stays as it was."""
    rng = random.Random(f"{seed}:cin-plans")

    def new_id() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    plans = list(
        CINPlan.objects.filter(case__authority_id=authority_id)
        .select_related("case__child")
        .order_by("start_date", "id")
    )
    reviews: dict = defaultdict(list)
    for review in CINPlanReview.objects.filter(plan__in=plans).order_by("review_date", "id"):
        reviews[review.plan_id].append(review)
    workers = dict(
        Allocation.objects.filter(case__authority_id=authority_id)
        .order_by("start_date")
        .values_list("case_id", "worker_id")
    )
    agencies: dict = defaultdict(list)
    for agency in Agency.objects.filter(authority_id=authority_id).order_by("name"):
        agencies[agency.kind].append(agency.pk)
    rows: dict = defaultdict(list)
    events: list = []
    saved: dict[str, int] = defaultdict(int)
    for plan in plans:
        name = _first_name(plan)
        plan.outcomes = "\n".join(_sentence(o, name) for o in rng.sample(CIN_OUTCOMES, 3))
        plan.contingency = _sentence(rng.choice(CIN_CONTINGENCIES), name)
        plan.updated_by_id = plan.created_by_id
        last = plan.end_date or as_at
        by = workers.get(plan.case_id) or plan.created_by_id
        for what, kind in rng.sample(CIN_ACTIONS, rng.randint(2, 4)):
            owner_user = owner_agency = None
            if kind is None or not agencies.get(kind):
                owner_user = workers.get(plan.case_id)
                if owner_user is None:
                    continue
            else:
                owner_agency = rng.choice(agencies[kind])
            due = plan.start_date + timedelta(days=rng.choice((20, 30, 45, 60, 90)))
            action = make(
                PlanAction,
                id=new_id(),
                cin_plan_id=plan.id,
                description=_sentence(what, name),
                owner_user_id=owner_user,
                owner_agency_id=owner_agency,
                due_date=due,
                status=ActionStatus.NOT_STARTED,
                created_by_id=by,
                updated_by_id=by,
            )
            rows[PlanAction].append(action)
            events.append(("protection.planaction", str(action.id), plan.case.child_id))
            # Each review goes through the open actions: in progress at the first, done at
            # the first after it is due (most); some of a current plan's stay open past
            # their date, and are overdue.
            stays_open = plan.end_date is None and rng.random() < 0.35
            for review in (r for r in reviews[plan.id] if r.review_date <= last):
                if action.status not in (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS):
                    break
                status = ActionStatus.IN_PROGRESS
                if review.review_date >= due and not stays_open:
                    status = ActionStatus.NOT_DONE if rng.random() < 0.05 else ActionStatus.DONE
                progress = make(
                    PlanActionProgress,
                    id=new_id(),
                    action_id=action.id,
                    cin_review_id=review.id,
                    recorded_on=review.review_date,
                    status=status,
                    note=rng.choice(CIN_PROGRESS[status]),
                    created_by_id=by,
                    updated_by_id=by,
                )
                rows[PlanActionProgress].append(progress)
                events.append(
                    ("protection.planactionprogress", str(progress.id), plan.case.child_id)
                )
                action.status = status
                if status in (ActionStatus.DONE, ActionStatus.NOT_DONE):
                    action.closed_on = review.review_date
    CINPlan.objects.bulk_update(
        plans, ["outcomes", "contingency", "updated_by_id"], batch_size=BATCH_SIZE
    )
    save_with_events(rows, MODELS, events, saved)
    return {
        "cin_plan_actions": saved["protection.planaction"],
        "cin_plan_action_progress": saved["protection.planactionprogress"],
    }
