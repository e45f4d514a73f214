"""Nothing is write-only (issue 16 item 5): every field a step records is shown on the page
for that step, to a reader allowed the narrative.

Each step below is made with its real services. Then every text field its model has (found
from the model, so that a field added later is covered without a change here) is filled
with a marker of its own, and the step's page must show every marker. A JSON field must say
here how it is filled (``JSON_SHAPES``): a new one fails until it does, and is shown.
"""

import html
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.db import models
from django.urls import reverse

from safeguard.casework import services as casework
from safeguard.casework.models import (
    Allocation,
    CaseNote,
    CaseSummary,
    CINPlan,
    CINPlanReview,
    DirectWork,
    LookedAfterPeriod,
    ManagementDecision,
    Visit,
)
from safeguard.protection import services as protection
from safeguard.protection.models import (
    ChairChallenge,
    ChildProtectionConference,
    ChildProtectionPlan,
    CoreGroupMeeting,
    PlanAction,
    PlanActionProgress,
    Section47Enquiry,
    StrategyDiscussion,
)
from safeguard.protection.tests.steps import ICPC, discussion_of_sam, enquiry_of_sam, plan_of_sam
from safeguard.referrals import services as referrals
from safeguard.referrals.management.commands.load_thresholds import DEFAULT_FILE
from safeguard.referrals.models import Contact, ContactGroup, Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def levels(world):
    """The authority's levels of need (Safeguard's default continuum), by number."""
    with DEFAULT_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    loaded = referrals.thresholds_load(by=None, authority=world.authority, data=data)
    return {level.number: level for level in loaded}


def people_rows(marker: str) -> tuple[list[dict], list[str]]:
    """A list of people as the forms store them (``PeopleRowsField``), and what must show."""
    shown = [f"{marker}-name", f"{marker}-role", f"{marker}-agency"]
    return [dict(zip(("name", "role", "agency"), shown, strict=True))], shown


def agencies_attended(marker: str) -> tuple[dict, list[str]]:
    """Attendance by agency as the conference forms store it (``AttendanceField``)."""
    return {f"{marker}-attended": True, f"{marker}-absent": False}, [
        f"{marker}-attended",
        f"{marker}-absent",
    ]


# How each JSON field is filled: a function of the marker to (the value, the texts shown).
JSON_SHAPES: dict[tuple[type[models.Model], str], Callable] = {
    (StrategyDiscussion, "attendees"): people_rows,
    (ChildProtectionConference, "core_group_members"): people_rows,
    (ChildProtectionConference, "attendance"): agencies_attended,
    (CoreGroupMeeting, "attendees"): people_rows,
}


def written_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields of ``model`` that hold what someone wrote: free text (a code list's field
    is shown by its label, which the pages' own tests check) and JSON."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.JSONField)
        or (isinstance(f, models.CharField | models.TextField) and not f.choices)
    ]


def fill(obj: models.Model) -> list[str]:
    """Overwrite every written field of ``obj`` with a marker of its own (in the database,
    past the services: this is about what the page shows, not what a form accepts), and
    return the texts its page must show."""
    model = type(obj)
    values, shown = {}, []
    for field in written_fields(model):
        marker = f"Mark{model.__name__}{field.name.title().replace('_', '')}"
        if isinstance(field, models.JSONField):
            shape = JSON_SHAPES.get((model, field.name))
            assert shape, f"Say in JSON_SHAPES how {model.__name__}.{field.name} is filled"
            values[field.name], texts = shape(marker)
            shown += texts
        else:
            assert field.max_length is None or len(marker) <= field.max_length, field
            values[field.name] = marker
            shown.append(marker)
    model.objects.filter(pk=obj.pk).update(**values)
    return shown


@dataclass(frozen=True)
class Step:
    model: type[models.Model]
    # Makes the record on the test world (with the levels of need loaded).
    make: Callable
    # The page that shows it in full.
    page: Callable


def _contact(world, levels):
    contact = referrals.contact_record(
        by=world.sw_amy,
        child=world.child_sam,
        contact_date=date(2025, 6, 2),
        source="2A",
        reason="Bruise on his arm",
        priority="amber",
    )
    level = levels[2]
    # A decision that departs from the threshold: the manager's reason is recorded too.
    outcome = "nfa" if level.implied_outcome != "nfa" else "advice"
    return referrals.contact_decide(
        by=world.tm_carol,
        contact=contact,
        level=level,
        indicators=list(level.indicators.all()[:2]),
        rationale="Seen by the school nurse",
        outcome=outcome,
        decision_date=date(2025, 6, 3),
        manager=world.tm_carol,
        manager_reason="Known to early help already",
        priority="green",
        priority_reason="Seen and safe",
    )


def _referral(world, levels):
    contact = referrals.contact_record(
        by=world.sw_amy,
        child=world.child_sam,
        contact_date=date(2025, 6, 2),
        source="2A",
        reason="Bruise on his arm",
    )
    level = next(lv for lv in levels.values() if lv.implied_outcome == "referral")
    referrals.contact_decide(
        by=world.sw_amy,
        contact=contact,
        level=level,
        indicators=[level.indicators.first()],
        rationale="Needs an assessment",
        outcome="referral",
        decision_date=date(2025, 6, 3),
    )
    return referrals.referral_record(
        by=world.sw_amy,
        child=world.child_sam,
        received_date=date(2025, 6, 3),
        source="2A",
        decision="assessment",
        decision_date=date(2025, 6, 3),
        reason="An assessment is needed",
        contact=contact,
        primary_need="N1",
    )


def _conference(world, levels):
    return plan_of_sam(world).conferences.get()


def _core_group(world, levels):
    return protection.core_group_record(
        by=world.sw_amy, plan=plan_of_sam(world), meeting_date=ICPC, notes="Went well"
    )


def _action(world, levels):
    return protection.plan_action_add(
        by=world.sw_amy,
        plan=plan_of_sam(world),
        description="Weekly checks",
        due_date=date(2025, 3, 3),
        owner_user=world.sw_amy,
    )


def _progress(world, levels):
    return protection.plan_action_progress(
        by=world.sw_amy,
        action=_action(world, levels),
        recorded_on=ICPC,
        status="in_progress",
        note="Started",
    )


def _challenge(world, levels):
    plan = plan_of_sam(world)
    challenge = protection.challenge_raise(
        by=world.chair_iris,
        case=plan.case,
        conference=plan.conferences.get(),
        kind="challenge",
        concern="No core group yet",
        raised_with="Carol Chen",
        raised_on=ICPC,
    )
    # Resolved, so that how it was resolved is recorded too.
    return protection.challenge_resolve(
        by=world.chair_iris, challenge=challenge, resolved_on=ICPC, resolution="Core group booked"
    )


# Casework's steps, shown on the case page, on Sam's case (referred 6 January 2025).
DAY = date(2025, 1, 8)


def _sams_case(world):
    return discussion_of_sam(world).case


def _allocation(world, levels):
    return casework.case_allocate(
        by=world.tm_carol,
        case=_sams_case(world),
        worker=world.sw_amy,
        team=world.team_a,
        start_date=DAY,
        reason="Knows the family",
    )


def _visit(world, levels):
    # Seen alone, so that where is recorded too.
    return casework.visit_record(
        by=world.sw_amy,
        case=_sams_case(world),
        kind="other",
        visit_date=DAY,
        child_seen=True,
        child_seen_alone=True,
        seen_alone_where="His bedroom",
        notes="Home visit",
    )


def _direct_work(world, levels):
    return casework.direct_work_record(
        by=world.sw_amy,
        case=_sams_case(world),
        work_date=DAY,
        where="School",
        purpose="Three houses",
        child_views="Likes school",
    )


def _case_note(world, levels):
    return casework.case_note_add(
        by=world.sw_amy, case=_sams_case(world), note_date=DAY, subject="Call", text="Spoke"
    )


def _decision(world, levels):
    return casework.decision_record(
        by=world.tm_carol, case=_sams_case(world), decision_date=DAY, decision="Continue"
    )


def _cin_plan(world, levels):
    return casework.cin_plan_start(
        by=world.sw_amy, case=_sams_case(world), start_date=DAY, summary="Support at home"
    )


def _cin_review(world, levels):
    plan = _cin_plan(world, levels)
    return casework.cin_plan_review_record(by=world.sw_amy, plan=plan, review_date=DAY)


def _cin_action(world, levels):
    return protection.cin_plan_action_add(
        by=world.sw_amy,
        cin_plan=_cin_plan(world, levels),
        description="Family support twice a week",
        due_date=date(2025, 3, 3),
        owner_user=world.sw_amy,
    )


def _cin_progress(world, levels):
    action = _cin_action(world, levels)
    review = protection.cin_review_record(
        by=world.sw_amy,
        plan=action.cin_plan,
        review_date=DAY,
        progress=[{"action": action, "status": "in_progress", "note": "Started"}],
    )
    return review.action_progress.get()


def _cin_plan_page(obj) -> str:
    """A child in need plan, its review, action or progress: the plan's page (decision
    0068)."""
    if isinstance(obj, PlanActionProgress):
        plan_id = obj.action.cin_plan_id
    elif isinstance(obj, CINPlan):
        plan_id = obj.pk
    else:
        plan_id = obj.cin_plan_id if isinstance(obj, PlanAction) else obj.plan_id
    return reverse("protection:cin-plan-detail", args=[plan_id])


def _case_summary(world, levels):
    return casework.case_summary_save(
        by=world.sw_amy,
        case=_sams_case(world),
        worries="Hunger",
        working_well="School",
        next_steps="Visit",
        risk_statement="Medium",
    )


def _looked_after(world, levels):
    period = casework.looked_after_start(
        by=world.sw_amy, case=_sams_case(world), start_date=DAY, legal_status="C2"
    )
    return casework.looked_after_end(by=world.sw_amy, period=period, end_date=DAY, reason="Home")


def _case_page(obj) -> str:
    case_id = obj.case_id if hasattr(obj, "case_id") else obj.plan.case_id
    return reverse("casework:case-detail", args=[case_id])


def _plan_page(obj) -> str:
    plan_id = obj.action.plan_id if isinstance(obj, PlanActionProgress) else obj.plan_id
    return reverse("protection:plan-detail", args=[plan_id])


def _contact_group(world, levels):
    return referrals.contact_group_record(
        by=world.sw_amy,
        children=[world.child_sam, world.child_sally],
        contact_date=date(2025, 6, 2),
        source="2A",
        reason="Both children hungry at school",
    )


STEPS = [
    Step(
        StrategyDiscussion,
        lambda world, levels: discussion_of_sam(world),
        lambda d: reverse("protection:strategy-detail", args=[d.pk]),
    ),
    Step(
        Section47Enquiry,
        lambda world, levels: enquiry_of_sam(world),
        lambda e: reverse("protection:section47-detail", args=[e.pk]),
    ),
    Step(
        ChildProtectionConference,
        _conference,
        lambda c: reverse("protection:conference-detail", args=[c.pk]),
    ),
    Step(Contact, _contact, lambda c: reverse("referrals:contact-detail", args=[c.pk])),
    # A contact about several children (decision 0065): on the page deciding them.
    Step(
        ContactGroup,
        _contact_group,
        lambda g: reverse("referrals:contact-group-decide", args=[g.pk]),
    ),
    Step(
        ChildProtectionPlan,
        lambda world, levels: plan_of_sam(world),
        lambda p: reverse("protection:plan-detail", args=[p.pk]),
    ),
    Step(CoreGroupMeeting, _core_group, _plan_page),
    Step(PlanAction, _action, _plan_page),
    Step(PlanActionProgress, _progress, _plan_page),
    Step(
        ChairChallenge,
        _challenge,
        lambda c: reverse("protection:conference-detail", args=[c.conference_id]),
    ),
    # A referral, and casework's own steps, are shown on the case's page.
    Step(Referral, _referral, _case_page),
    Step(Allocation, _allocation, _case_page),
    Step(Visit, _visit, _case_page),
    Step(DirectWork, _direct_work, _case_page),
    Step(CaseNote, _case_note, _case_page),
    Step(ManagementDecision, _decision, _case_page),
    # A child in need plan, its reviews, actions and progress: on the plan's page (decision
    # 0068), in summary on the case page.
    Step(CINPlan, _cin_plan, _cin_plan_page),
    Step(CINPlanReview, _cin_review, _cin_plan_page),
    Step(PlanAction, _cin_action, _cin_plan_page),
    Step(PlanActionProgress, _cin_progress, _cin_plan_page),
    Step(CaseSummary, _case_summary, _case_page),
    # A period of care (decision 0076): on the case page.
    Step(LookedAfterPeriod, _looked_after, _case_page),
]


def test_every_written_field_of_the_steps_is_named():
    """Each step has fields someone wrote (or says it has none), so the test below tries
    something: a step whose text moved elsewhere must be looked at again."""
    without = {s.model.__name__ for s in STEPS if not written_fields(s.model)}
    assert without == {"Section47Enquiry"}


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.model.__name__)
def test_every_written_field_is_shown_on_its_page(step, world, client, levels):
    obj = step.make(world, levels)
    shown = fill(obj)
    obj.refresh_from_db()
    client.force_login(world.sw_amy)
    response = client.get(step.page(obj))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    missing = [text for text in shown if text not in page]
    assert not missing, f"{step.model.__name__}: written but shown nowhere on its page: {missing}"


@pytest.mark.parametrize(
    "step",
    [
        s
        for s in STEPS
        if s.model in (StrategyDiscussion, Section47Enquiry, ChildProtectionConference)
    ],
    ids=lambda s: s.model.__name__,
)
def test_the_case_page_links_each_protection_step(step, world, client, levels):
    """In summary on the case: each step's row on the case page links to its page."""
    obj = step.make(world, levels)
    client.force_login(world.sw_amy)
    page = client.get(reverse("casework:case-detail", args=[obj.case_id])).content.decode()
    assert step.page(obj) in page


def test_the_case_page_shows_the_contacts_reason_in_full_and_its_rationale(world, client, levels):
    referral = _referral(world, levels)
    long_reason = " ".join(f"word{i}" for i in range(60))
    Contact.objects.filter(pk=referral.contact_id).update(reason=long_reason)
    client.force_login(world.sw_amy)
    page = html.unescape(
        client.get(reverse("casework:case-detail", args=[referral.case_id])).content.decode()
    )
    assert "word59" in page
    assert "Needs an assessment" in page
    assert reverse("referrals:contact-detail", args=[referral.contact_id]) in page
    # Analysts see the contact's date, source and outcome, not why.
    client.force_login(world.analyst_eve)
    page = client.get(reverse("casework:case-detail", args=[referral.case_id])).content.decode()
    assert "word59" not in page and "Needs an assessment" not in page
