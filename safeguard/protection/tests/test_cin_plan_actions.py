"""Child in need plans that do something (issue 16 item 2, decision 0068): outcomes and a
contingency plan, actions (``PlanAction`` with ``cin_plan``) with an owner, a due date and a
status changed only by progress, reviews that go through the open actions, and overdue
actions on the case, the plan's page, the owner's due list and in supervision."""

import html
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguard.audit.models import ChangeEvent
from safeguard.casework import services as casework
from safeguard.casework.models import CINPlanReview
from safeguard.core.errors import ApplicationError
from safeguard.protection import services
from safeguard.protection.models import ActionStatus, PlanAction, PlanActionProgress
from safeguard.protection.tests.steps import plan_of_sam
from safeguard.testing.journey import open_case

pytestmark = pytest.mark.django_db

REFERRED = date(2025, 1, 6)
STARTED = date(2025, 2, 3)
DUE = date(2025, 3, 3)
REVIEWED = date(2025, 5, 1)


def _date(name: str, day: date) -> dict:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def _text(response) -> str:
    return html.unescape(response.content.decode())


def cin_plan_of_sam(world):
    case = open_case(world, received=REFERRED)
    return casework.cin_plan_start(
        by=world.sw_amy, case=case, start_date=STARTED, summary="Support at home"
    )


def _action(world, plan, *, owner_user=None, owner_agency=None, due=DUE, what="Weekly visits"):
    if owner_user is None and owner_agency is None:
        owner_user = world.sw_amy
    return services.cin_plan_action_add(
        by=world.sw_amy,
        cin_plan=plan,
        description=what,
        due_date=due,
        owner_user=owner_user,
        owner_agency=owner_agency,
    )


# --- The model ----------------------------------------------------------------------------------


def test_an_action_belongs_to_exactly_one_plan(world):
    """The check constraint: a child protection plan or a child in need plan, never both or
    neither."""
    cin_plan = cin_plan_of_sam(world)
    cp_plan = plan_of_sam(world, child=world.child_tom)
    fields = {"description": "x", "due_date": DUE, "owner_user": world.sw_amy}
    for both_or_neither in ({"plan": cp_plan, "cin_plan": cin_plan}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            PlanAction.objects.create(**fields, **both_or_neither)
    assert PlanAction.objects.create(**fields, cin_plan=cin_plan).on_plan == cin_plan


# --- Outcomes and contingency -------------------------------------------------------------------


def test_the_worker_writes_the_outcomes_and_contingency(world, client):
    plan = cin_plan_of_sam(world)
    client.force_login(world.sw_amy)
    url = reverse("protection:cin-plan-write", args=[plan.pk])
    response = client.post(
        url, {"outcomes": "Sam goes to school", "contingency": "", "version": plan.version}
    )
    assert "Write the contingency plan" in _text(response)
    response = client.post(
        url,
        {
            "outcomes": "Sam goes to school",
            "contingency": "Call a meeting",
            "version": plan.version,
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.outcomes, plan.contingency) == ("Sam goes to school", "Call a meeting")
    assert ChangeEvent.objects.filter(target_type="casework.cinplan", verb="updated").exists()
    case_page = _text(client.get(reverse("casework:case-detail", args=[plan.case_id])))
    assert "Sam goes to school" in case_page and "Call a meeting" in case_page
    assert reverse("protection:cin-plan-detail", args=[plan.pk]) in case_page


def test_an_ended_plan_cannot_be_written(world):
    plan = cin_plan_of_sam(world)
    casework.cin_plan_end(by=world.sw_amy, plan=plan, end_date=DUE)
    with pytest.raises(ApplicationError, match="has ended"):
        casework.cin_plan_write(by=world.sw_amy, plan=plan, outcomes="a", contingency="b")


# --- Actions and their progress -----------------------------------------------------------------


def test_adding_an_action_through_the_form(world, client):
    plan = cin_plan_of_sam(world)
    client.force_login(world.sw_amy)
    url = reverse("protection:cin-action-new", args=[plan.pk])
    data = {"description": "Family support worker twice a week", **_date("due_date", DUE)}
    response = client.post(url, {**data, "owner_user": world.sw_amy.pk})
    assert response.status_code == 302
    action = PlanAction.objects.get()
    assert (action.cin_plan, action.plan, action.status) == (plan, None, "not_started")
    assert action.created_by == world.sw_amy
    assert ChangeEvent.objects.filter(target_type="protection.planaction").exists()
    # Due before the plan started: refused, nothing stored.
    before = _date("due_date", STARTED - timedelta(days=1))
    response = client.post(url, {**data, **before, "owner_agency": world.police.pk})
    assert "cannot be due before the plan started" in _text(response)
    assert PlanAction.objects.count() == 1


def test_progress_between_reviews_and_at_a_review(world, client):
    plan = cin_plan_of_sam(world)
    action = _action(world, plan)
    review = casework.cin_plan_review_record(by=world.sw_amy, plan=plan, review_date=REVIEWED)
    client.force_login(world.sw_amy)
    url = reverse("protection:action-progress", args=[action.pk])
    page = _text(client.get(url))
    assert "Recorded at a review of the plan?" in page and "core group" not in page.lower()
    response = client.post(
        url,
        {
            "cin_review": "",
            "status": "in_progress",
            "note": "Started",
            "version": action.version,
            **_date("recorded_on", date(2025, 3, 10)),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("protection:cin-plan-detail", args=[plan.pk])
    action.refresh_from_db()
    response = client.post(
        url,
        {
            "cin_review": review.pk,
            "status": "done",
            "note": "Finished",
            "version": action.version,
            **_date("recorded_on", date(2025, 6, 1)),
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.closed_on) == ("done", REVIEWED)
    history = list(action.progress.values_list("status", "cin_review", "recorded_on"))
    assert history == [
        ("in_progress", None, date(2025, 3, 10)),
        ("done", review.pk, REVIEWED),
    ]


def test_a_core_group_is_not_a_child_in_need_plans_meeting(world):
    plan = cin_plan_of_sam(world)
    action = _action(world, plan)
    cp_plan = plan_of_sam(world, child=world.child_tom)
    group = services.core_group_record(by=world.sw_amy, plan=cp_plan, meeting_date=DUE)
    with pytest.raises(ApplicationError, match="core group of this plan"):
        services.plan_action_progress(
            by=world.sw_amy,
            action=action,
            recorded_on=DUE,
            status="done",
            note="x",
            core_group=group,
        )


# --- Reviews go through the open actions --------------------------------------------------------


def _review_post(actions, **overrides) -> dict:
    data = {"outcome": "Good progress", **_date("review_date", REVIEWED)}
    for index in range(len(actions)):
        data[f"action_{index}_status"] = "in_progress"
        data[f"action_{index}_note"] = f"Under way {index}"
    return {**data, **overrides}


def test_a_review_records_progress_on_each_open_action(world, client):
    plan = cin_plan_of_sam(world)
    first = _action(world, plan, what="Weekly visits")
    second = _action(world, plan, owner_agency=world.education, what="Attendance report")
    closed = _action(world, plan, what="Closed already")
    services.plan_action_progress(
        by=world.sw_amy, action=closed, recorded_on=DUE, status="not_done", note="Not needed"
    )
    client.force_login(world.sw_amy)
    url = reverse("protection:cin-review-new", args=[plan.pk])
    page = _text(client.get(url))
    assert "Weekly visits" in page and "Attendance report" in page
    assert "Closed already" not in page
    response = client.post(url, _review_post([first, second], action_1_status="done"))
    assert response.status_code == 302
    review = CINPlanReview.objects.get()
    assert review.outcome == "Good progress"
    rows = PlanActionProgress.objects.filter(cin_review=review).order_by("action__due_date")
    assert {(p.action_id, p.status, p.recorded_on) for p in rows} == {
        (first.pk, "in_progress", REVIEWED),
        (second.pk, "done", REVIEWED),
    }
    second.refresh_from_db()
    assert (second.status, second.closed_on) == (ActionStatus.DONE, REVIEWED)
    # The plan's page shows the review with the progress recorded at it.
    detail = _text(client.get(reverse("protection:cin-plan-detail", args=[plan.pk])))
    assert "Review of 1 May 2025" in detail and "Under way 0" in detail
    assert "at the review" in detail


def test_a_review_refused_for_one_action_stores_nothing(world, client):
    """The review and the progress are one transaction: a note missing on one action keeps
    the review out too."""
    plan = cin_plan_of_sam(world)
    first, second = _action(world, plan), _action(world, plan, what="Second")
    client.force_login(world.sw_amy)
    url = reverse("protection:cin-review-new", args=[plan.pk])
    response = client.post(url, _review_post([first, second], action_1_note=""))
    assert response.status_code == 200
    assert "Write what has happened on action 2" in _text(response)
    # Reopening a closed action is refused by the service, on that action's field.
    services.plan_action_progress(
        by=world.sw_amy, action=second, recorded_on=DUE, status="done", note="Done"
    )
    with pytest.raises(ApplicationError, match="open action"):
        services.cin_review_record(
            by=world.sw_amy,
            plan=plan,
            review_date=REVIEWED,
            progress=[{"action": first, "status": "done", "note": "x"},
                      {"action": second, "status": "in_progress", "note": "y"}],
        )  # fmt: skip
    assert not CINPlanReview.objects.exists()
    assert not PlanActionProgress.objects.filter(cin_review__isnull=False).exists()


def test_a_review_must_go_through_every_open_action(world):
    plan = cin_plan_of_sam(world)
    first = _action(world, plan)
    _action(world, plan, what="Missed")
    with pytest.raises(ApplicationError, match="every open action"):
        services.cin_review_record(
            by=world.sw_amy,
            plan=plan,
            review_date=REVIEWED,
            progress=[{"action": first, "status": "done", "note": "x"}],
        )
    assert not CINPlanReview.objects.exists()


# --- Overdue ------------------------------------------------------------------------------------




def test_the_case_page_shows_the_overdue_actions(world, client):
    plan = cin_plan_of_sam(world)
    _action(world, plan, owner_agency=world.police)
    _action(world, plan, due=date.today() + timedelta(days=30))
    client.force_login(world.sw_amy)
    text = _text(client.get(reverse("casework:case-detail", args=[plan.case_id])))
    section = text.split('id="cin-plans"', 1)[1].split('id="visits"', 1)[0]
    assert "2 actions" in section and "1 overdue" in section
    assert "Testshire Police: due 3 Mar 2025" in section


# --- The plan's page ----------------------------------------------------------------------------


def test_the_plan_page_shows_everything_and_narrative_only_to_readers(world, client):
    plan = cin_plan_of_sam(world)
    casework.cin_plan_write(
        by=world.sw_amy, plan=plan, outcomes="Sam is fed", contingency="Call a meeting"
    )
    action = _action(world, plan, what="Weekly food parcel")
    services.cin_review_record(
        by=world.sw_amy,
        plan=plan,
        review_date=REVIEWED,
        outcome="Keep going",
        progress=[{"action": action, "status": "in_progress", "note": "First parcel"}],
    )
    client.force_login(world.sw_amy)
    text = _text(client.get(reverse("protection:cin-plan-detail", args=[plan.pk])))
    for shown in (
        "Support at home",
        "Sam is fed",
        "Call a meeting",
        "Weekly food parcel",
        "Amy Adeyemi",
        "3 Mar 2025",
        "Overdue",
        "In progress",
        "First parcel",
        "Keep going",
        "Review of 1 May 2025",
    ):
        assert shown in text, shown
    client.force_login(world.analyst_eve)
    text = _text(client.get(reverse("protection:cin-plan-detail", args=[plan.pk])))
    assert "In progress" in text and "Weekly food parcel" not in text and "Sam is fed" not in text


def test_the_chronology_links_the_plan_to_its_page(world, client):
    plan = cin_plan_of_sam(world)
    casework.cin_plan_end(by=world.sw_amy, plan=plan, end_date=DUE)
    client.force_login(world.sw_amy)
    page = client.get(reverse("casework:chronology", args=[world.child_sam.pk]))
    assert page.content.decode().count(reverse("protection:cin-plan-detail", args=[plan.pk])) == 2


def _page_queries(client, plan) -> int:
    with CaptureQueriesContext(connection) as queries:
        url = reverse("protection:cin-plan-detail", args=[plan.pk])
        assert client.get(url).status_code == 200
    return len(queries)


def _grow(world, plan, count: int, offset: int = 0) -> None:
    for n in range(offset, offset + count):
        owner = {"owner_user": world.sw_ben} if n % 2 else {"owner_agency": world.health}
        action = _action(world, plan, what=f"Action {n}", **owner)
        review = casework.cin_plan_review_record(
            by=world.sw_amy, plan=plan, review_date=REVIEWED + timedelta(days=n)
        )
        services.plan_action_progress(
            by=world.sw_amy,
            action=action,
            recorded_on=REVIEWED,
            status="in_progress",
            note="Going",
            cin_review=review,
        )


def test_the_plan_page_makes_a_fixed_number_of_queries(world, client):
    plan = cin_plan_of_sam(world)
    _grow(world, plan, 1)
    client.force_login(world.sw_amy)
    client.get(reverse("protection:cin-plan-detail", args=[plan.pk]))
    few = _page_queries(client, plan)
    _grow(world, plan, 5, offset=1)
    assert _page_queries(client, plan) == few


# --- Who may ------------------------------------------------------------------------------------


def test_only_those_who_record_on_the_case_add_and_progress_actions(world, client):
    plan = cin_plan_of_sam(world)
    action = _action(world, plan)
    urls = [
        reverse("protection:cin-plan-write", args=[plan.pk]),
        reverse("protection:cin-action-new", args=[plan.pk]),
        reverse("protection:cin-review-new", args=[plan.pk]),
        reverse("protection:action-progress", args=[action.pk]),
    ]
    # An analyst sees the case file but records nothing on it; a partner and another
    # authority's social worker may not know of the case.
    for user, status in ((world.analyst_eve, 403), (world.police_pat, 404), (world.other_sw, 404)):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == status, (user, url)
            assert client.post(url, {"description": "x"}).status_code == status, (user, url)
    for user in (world.analyst_eve, world.police_pat):
        with pytest.raises(Exception) as refused:
            services.cin_plan_action_add(
                by=user, cin_plan=plan, description="x", due_date=DUE, owner_user=world.sw_amy
            )
        assert refused.type.__name__ == "PermissionDenied"
    assert PlanAction.objects.count() == 1
    # The case's worker and manager may.
    for user in (world.sw_amy, world.tm_carol):
        client.force_login(user)
        assert all(client.get(url).status_code == 200 for url in urls)
