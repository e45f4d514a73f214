"""Plans that do something (issue 16 item 2, decision 0036): outcomes and a contingency plan,
actions with an owner, a due date and a status, progress recorded at core groups and kept as
history, and overdue actions on the case, the plan page and the owner's due list."""

import html
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguard.accounts.models import Agency
from safeguard.audit.models import ChangeEvent
from safeguard.core.errors import ApplicationError
from safeguard.protection import selectors, services
from safeguard.protection.models import ActionStatus, PlanAction, PlanActionProgress
from safeguard.protection.tests.steps import CORE_GROUP, ICPC, plan_of_sam

pytestmark = pytest.mark.django_db

DUE = date(2025, 3, 3)
CORE_GROUP_DAY = date(2025, 2, 17)


def _date(name: str, day: date) -> dict:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _action(
    world, plan, *, owner_user=None, owner_agency=None, due=DUE, what="Health visitor checks weekly"
):
    if owner_user is None and owner_agency is None:
        owner_user = world.sw_amy
    return services.plan_action_add(
        by=world.sw_amy,
        plan=plan,
        description=what,
        due_date=due,
        owner_user=owner_user,
        owner_agency=owner_agency,
    )


def _core_group(world, plan, day=CORE_GROUP_DAY):
    return services.core_group_record(
        by=world.sw_amy,
        plan=plan,
        meeting_date=day,
        attendees=CORE_GROUP,
        notes="Went through the plan.",
    )


# --- Outcomes and contingency ------------------------------------------------------------------


def test_outcomes_and_contingency_are_written_with_their_change_event(world):
    plan = plan_of_sam(world)
    services.plan_write(
        by=world.sw_amy,
        plan=plan,
        outcomes="Sam attends school every day\nSam's home is warm and has food",
        contingency="If attendance falls below 90%, a review conference is called.",
        version=plan.version,
    )
    plan.refresh_from_db()
    assert plan.outcomes.startswith("Sam attends school")
    assert plan.contingency.startswith("If attendance")
    assert ChangeEvent.objects.filter(target_id=str(plan.pk), verb="updated").exists()


@pytest.mark.parametrize(
    ("outcomes", "contingency", "field"), [(" ", "x", "outcomes"), ("x", "", "contingency")]
)
def test_outcomes_and_contingency_are_both_required(world, outcomes, contingency, field):
    plan = plan_of_sam(world)
    with pytest.raises(ApplicationError) as refused:
        services.plan_write(by=world.sw_amy, plan=plan, outcomes=outcomes, contingency=contingency)
    assert refused.value.field == field
    plan.refresh_from_db()
    assert plan.outcomes == "" and plan.contingency == ""


# --- Actions and their owners -------------------------------------------------------------------


def test_an_action_is_owned_by_a_person_or_an_agency(world):
    plan = plan_of_sam(world)
    police = world.police_pat.agency
    mine = _action(world, plan, owner_user=world.sw_amy)
    theirs = _action(world, plan, owner_agency=police, what="Police share call-outs to the home")
    assert mine.owner == world.sw_amy and mine.status == ActionStatus.NOT_STARTED
    assert theirs.owner == police
    assert set(police.plan_actions.all()) == {theirs}


def test_an_action_needs_one_owner_of_the_authority(world):
    plan = plan_of_sam(world)
    elsewhere = Agency.objects.get(name="Elsewhere Children's Services")
    for owners in (
        {},
        {"owner_user": world.sw_amy, "owner_agency": world.police_pat.agency},
        {"owner_agency": elsewhere},
        {"owner_user": world.other_sw},
        {"owner_user": world.disabled_dee},
    ):
        with pytest.raises(ApplicationError):
            services.plan_action_add(
                by=world.sw_amy, plan=plan, description="Something", due_date=DUE, **owners
            )
    with pytest.raises(ApplicationError):
        services.plan_action_add(
            by=world.sw_amy,
            plan=plan,
            description="Early",
            due_date=ICPC - timedelta(days=1),
            owner_user=world.sw_amy,
        )
    assert PlanAction.objects.count() == 0


# --- Progress at core groups --------------------------------------------------------------------


def test_a_core_group_goes_through_the_actions_and_the_history_is_kept(world):
    plan = plan_of_sam(world)
    action = _action(world, plan)
    first = _core_group(world, plan, CORE_GROUP_DAY)
    services.plan_action_progress(
        by=world.sw_amy,
        action=action,
        recorded_on=date(2025, 2, 20),
        status="in_progress",
        note="Two of four visits made.",
        core_group=first,
    )
    second = _core_group(world, plan, CORE_GROUP_DAY + timedelta(days=28))
    services.plan_action_progress(
        by=world.sw_amy,
        action=action,
        recorded_on=date(2025, 3, 20),
        status="done",
        note="All visits made; weight gain recorded.",
        core_group=second,
        version=None,
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    rows = list(action.progress.values_list("recorded_on", "status", "core_group", "note"))
    # Recorded at a core group: the meeting's date, whatever date was typed.
    assert rows == [
        (CORE_GROUP_DAY, "in_progress", first.pk, "Two of four visits made."),
        (second.meeting_date, "done", second.pk, "All visits made; weight gain recorded."),
    ]
    # Each status change is an audited change of the action.
    assert ChangeEvent.objects.filter(target_id=str(action.pk), verb="updated").count() == 2


def test_progress_is_refused_with_a_message_and_nothing_changes(world):
    plan = plan_of_sam(world)
    other_plan = plan_of_sam(world, child=world.child_tom, by=world.sw_ben)
    other_group = services.core_group_record(
        by=world.sw_ben, plan=other_plan, meeting_date=CORE_GROUP_DAY
    )
    action = _action(world, plan)
    bad = [
        {"status": "done", "note": " "},
        {"status": "nonsense", "note": "x"},
        {"status": "done", "note": "x", "core_group": other_group},
        {"status": "done", "note": "x", "recorded_on": ICPC - timedelta(days=1)},
    ]
    for change in bad:
        kwargs = {"recorded_on": CORE_GROUP_DAY, **change}
        with pytest.raises(ApplicationError):
            services.plan_action_progress(by=world.sw_amy, action=action, **kwargs)
    assert PlanActionProgress.objects.count() == 0
    # A closed action is not reopened: a new action is added instead.
    services.plan_action_progress(
        by=world.sw_amy, action=action, recorded_on=CORE_GROUP_DAY, status="done", note="Done."
    )
    with pytest.raises(ApplicationError):
        services.plan_action_progress(
            by=world.sw_amy,
            action=action,
            recorded_on=CORE_GROUP_DAY,
            status="in_progress",
            note="Again.",
        )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


# --- Overdue actions --------------------------------------------------------------------------


def test_overdue_actions_are_on_the_owners_list_only(world):
    plan = plan_of_sam(world)
    overdue = _action(world, plan, what="Overdue one")
    done = _action(world, plan, what="Done one")
    services.plan_action_progress(
        by=world.sw_amy, action=done, recorded_on=CORE_GROUP_DAY, status="done", note="Done."
    )
    _action(world, plan, what="Not yet due", due=date.today() + timedelta(days=30))
    _action(world, plan, owner_user=world.sw_ben, what="Ben's")
    _action(world, plan, owner_agency=world.police_pat.agency, what="Police's")
    assert list(selectors.overdue_actions_for(world.sw_amy)) == [overdue]
    assert [a.description for a in selectors.overdue_actions_for(world.sw_ben)] == ["Ben's"]


def test_overdue_actions_show_on_the_owners_due_list(world, client):
    plan = plan_of_sam(world)
    action = _action(world, plan, what="Arrange the dental check-up")
    client.force_login(world.sw_amy)
    page = client.get(reverse("timescales:mine"))
    text = _text(page)
    assert "Carry out the plan's action" in text and "Sam Smith" in text
    # Its row leads to the form that records progress on it.
    assert reverse("protection:action-progress", args=[action.pk]) in page.content.decode()
    client.force_login(world.sw_ben)
    text = _text(client.get(reverse("timescales:mine")))
    assert "Carry out the plan's action" not in text


def test_an_ended_plans_actions_are_not_overdue(world):
    plan = plan_of_sam(world)
    _action(world, plan)
    plan.end_date, plan.end_reason = date(2025, 4, 1), "RTR"
    plan.save()
    assert not selectors.overdue_actions_for(world.sw_amy).exists()


def test_the_case_page_shows_the_overdue_actions(world, client):
    plan = plan_of_sam(world)
    _action(world, plan, owner_agency=world.police_pat.agency)
    _action(world, plan, due=date.today() + timedelta(days=30))
    client.force_login(world.sw_amy)
    text = _text(client.get(reverse("casework:case-detail", args=[plan.case_id])))
    assert "2 actions" in text and "1 overdue" in text
    assert "Testshire Police: due 3 Mar 2025" in text
    assert reverse("protection:plan-detail", args=[plan.pk]) in text


# --- Pages -------------------------------------------------------------------------------------


def test_the_plan_page_shows_everything_written(world, client):
    plan = plan_of_sam(world)
    services.plan_write(
        by=world.sw_amy, plan=plan, outcomes="Sam is fed", contingency="Call a review"
    )
    action = _action(world, plan, what="Weekly food parcel")
    group = _core_group(world, plan)
    services.plan_action_progress(
        by=world.sw_amy,
        action=action,
        recorded_on=CORE_GROUP_DAY,
        status="in_progress",
        note="First parcel delivered",
        core_group=group,
    )
    client.force_login(world.sw_amy)
    text = _text(client.get(reverse("protection:plan-detail", args=[plan.pk])))
    for shown in (
        "Sam is fed",
        "Call a review",
        "Weekly food parcel",
        "Amy Adeyemi",
        "3 Mar 2025",
        "Overdue",
        "In progress",
        "First parcel delivered",
        "at the core group",
        "Went through the plan.",
        "Sid Singh",
    ):
        assert shown in text, shown
    # An analyst sees the dates and statuses, not what was written.
    client.force_login(world.analyst_eve)
    text = _text(client.get(reverse("protection:plan-detail", args=[plan.pk])))
    assert "In progress" in text and "Weekly food parcel" not in text and "Sam is fed" not in text


def _plan_page_queries(client, plan) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("protection:plan-detail", args=[plan.pk])).status_code == 200
    return len(queries)


def test_the_plan_page_makes_a_fixed_number_of_queries(world, client):
    plan = plan_of_sam(world)
    client.force_login(world.sw_amy)
    group = _core_group(world, plan)
    _action(world, plan)
    short = _plan_page_queries(client, plan)
    for n in range(6):
        action = _action(world, plan, owner_agency=world.police_pat.agency, what=f"Action {n}")
        services.plan_action_progress(
            by=world.sw_amy,
            action=action,
            recorded_on=CORE_GROUP_DAY,
            status="in_progress",
            note="Started",
            core_group=group,
        )
        _core_group(world, plan, CORE_GROUP_DAY + timedelta(days=n + 1))
    assert _plan_page_queries(client, plan) == short


def test_actions_and_progress_through_the_pages(world, client):
    plan = plan_of_sam(world)
    group = _core_group(world, plan)
    client.force_login(world.sw_amy)
    url = reverse("protection:action-new", args=[plan.pk])
    # Neither owner: shown again with a message, nothing stored.
    response = client.post(
        url, {"description": "Attend the parenting course", **_date("due_date", DUE)}
    )
    assert response.status_code == 200
    assert "Choose who owns the action" in _text(response)
    assert PlanAction.objects.count() == 0
    response = client.post(
        url,
        {
            "description": "Attend the parenting course",
            "owner_agency": world.police_pat.agency_id,
            **_date("due_date", DUE),
        },
    )
    assert response.status_code == 302
    action = PlanAction.objects.get()
    url = reverse("protection:action-progress", args=[action.pk])
    response = client.post(
        url,
        {
            "core_group": group.pk,
            "status": "in_progress",
            "note": "Booked for March",
            "version": action.version,
            **_date("recorded_on", CORE_GROUP_DAY),
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "in_progress"
    assert action.progress.get().core_group == group
    response = client.post(
        reverse("protection:plan-write", args=[plan.pk]),
        {"outcomes": "Sam is safe", "contingency": "Review", "version": plan.version},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.outcomes == "Sam is safe"


def test_after_a_core_group_the_worker_goes_to_the_plans_actions(world, client):
    plan = plan_of_sam(world)
    client.force_login(world.sw_amy)
    response = client.post(
        reverse("protection:core-group-new", args=[plan.pk]),
        {**_date("meeting_date", CORE_GROUP_DAY), "notes": "Met"},
    )
    assert response.status_code == 302
    assert response.url == reverse("protection:plan-detail", args=[plan.pk]) + "#actions"
