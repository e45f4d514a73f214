"""A child is on a child protection plan or a child in need plan, never both: a child in need
plan cannot start on a day the child protection plan is open (``DatedSpan.open_on``): from the
day it started, up to but not on the day it ended."""

from datetime import timedelta

import pytest

from safeguard.casework import services as casework
from safeguard.core.errors import ApplicationError
from safeguard.protection.codes import PlanEndReason
from safeguard.protection.models import ChildProtectionPlan
from safeguard.protection.tests.steps import ICPC, plan_of_sam

pytestmark = pytest.mark.django_db

ENDED = ICPC + timedelta(days=10)


def _start(world, plan, day):
    return casework.cin_plan_start(by=world.sw_amy, case=plan.case, start_date=day)


@pytest.mark.parametrize("day", [ICPC, ICPC + timedelta(days=1), ENDED - timedelta(days=1)])
def test_a_child_in_need_plan_cannot_start_while_the_child_protection_plan_is_open(world, day):
    plan = plan_of_sam(world)
    ChildProtectionPlan.objects.filter(pk=plan.pk).update(
        end_date=ENDED, end_reason=PlanEndReason.RISK_REDUCED
    )
    with pytest.raises(ApplicationError, match="child protection plan"):
        _start(world, plan, day)


def test_a_child_in_need_plan_may_start_the_day_the_child_protection_plan_ended(world):
    plan = plan_of_sam(world)
    ChildProtectionPlan.objects.filter(pk=plan.pk).update(
        end_date=ENDED, end_reason=PlanEndReason.RISK_REDUCED
    )
    assert _start(world, plan, ENDED).start_date == ENDED
