"""The subject access export holds a child protection plan's outcomes, contingency plan,
actions and the progress recorded on them (decision 0036)."""

import json
from datetime import date

import pytest

from safeguard.casework import services as casework
from safeguard.privacy.export import gather
from safeguard.protection import services
from safeguard.protection.tests.steps import plan_of_sam
from safeguard.testing.journey import open_case


@pytest.mark.django_db
def test_plan_actions_and_their_progress_are_in_the_export(world):
    plan = plan_of_sam(world)
    services.plan_write(
        by=world.sw_amy, plan=plan, outcomes="Sam is fed every day", contingency="Call a review"
    )
    action = services.plan_action_add(
        by=world.sw_amy,
        plan=plan,
        description="Weekly food parcel",
        due_date=date(2025, 3, 3),
        owner_agency=world.police_pat.agency,
    )
    services.plan_action_progress(
        by=world.sw_amy,
        action=action,
        recorded_on=date(2025, 2, 17),
        status="done",
        note="Parcels delivered each Friday",
    )
    text = json.dumps(gather(world.child_sam))
    for held in (
        "Sam is fed every day",
        "Call a review",
        "Weekly food parcel",
        "Testshire Police",
        "Parcels delivered each Friday",
    ):
        assert held in text, held


@pytest.mark.django_db
def test_child_in_need_plan_actions_and_review_progress_are_in_the_export(world):
    """The same for a child in need plan (decision 0068): its outcomes, contingency plan,
    actions with their owning agency, and the progress recorded at a review."""
    case = open_case(world, received=date(2025, 1, 6))
    plan = casework.cin_plan_start(
        by=world.sw_amy, case=case, start_date=date(2025, 2, 3), summary="Support at home"
    )
    casework.cin_plan_write(
        by=world.sw_amy, plan=plan, outcomes="Sam goes to school", contingency="Strategy talk"
    )
    action = services.cin_plan_action_add(
        by=world.sw_amy,
        cin_plan=plan,
        description="Breakfast club place",
        due_date=date(2025, 3, 3),
        owner_agency=world.police_pat.agency,
    )
    services.cin_review_record(
        by=world.sw_amy,
        plan=plan,
        review_date=date(2025, 3, 1),
        outcome="Going well",
        progress=[{"action": action, "status": "done", "note": "Place taken up in February"}],
    )
    text = json.dumps(gather(world.child_sam))
    for held in (
        "Sam goes to school",
        "Strategy talk",
        "Breakfast club place",
        "Testshire Police",
        "Going well",
        "Place taken up in February",
    ):
        assert held in text, held
