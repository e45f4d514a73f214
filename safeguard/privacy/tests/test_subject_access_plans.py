"""The subject access export holds a child protection plan's outcomes, contingency plan,
actions and the progress recorded on them (decision 0036)."""

import json
from datetime import date

import pytest

from safeguard.privacy.export import gather
from safeguard.protection import services
from safeguard.protection.tests.steps import plan_of_sam


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
