"""The demo's child protection plans do something (decision 0036): outcomes, a contingency
plan, actions owned by people and agencies, progress at core groups, some overdue."""

import pytest

from safeguard.casework.models import CINPlan, DirectWork, Visit
from safeguard.demo.tests.test_demo_family import summaries_suit_the_childs_age
from safeguard.protection.models import (
    ActionStatus,
    ChildProtectionPlan,
    PlanAction,
    PlanActionProgress,
)
from safeguard.protection.selectors import overdue_actions

pytestmark = pytest.mark.xdist_group("borough")


@pytest.mark.django_db
def test_every_plan_has_outcomes_contingency_and_actions(borough):
    plans = ChildProtectionPlan.objects.all()
    assert plans.exists()
    assert not plans.filter(outcomes="").exists() and not plans.filter(contingency="").exists()
    assert not plans.filter(actions__isnull=True).exists()
    actions = PlanAction.objects.all()
    assert actions.filter(owner_user__isnull=False).exists()
    assert actions.filter(owner_agency__isnull=False).exists()
    assert actions.filter(status=ActionStatus.DONE).exists()
    assert PlanActionProgress.objects.filter(core_group__isnull=False).exists()
    assert overdue_actions(borough.as_at).exists()
    # Child in need plans too (decision 0068): outcomes, contingency, actions, some overdue
    # and some done, and the progress recorded at their reviews.
    cin_plans = CINPlan.objects.all()
    assert cin_plans.exists()
    assert not cin_plans.filter(outcomes="").exists()
    assert not cin_plans.filter(contingency="").exists()
    cin_actions = actions.filter(cin_plan__isnull=False)
    assert cin_actions.filter(status=ActionStatus.DONE).exists()
    assert cin_actions.filter(owner_agency__isnull=False).exists()
    assert overdue_actions(borough.as_at).filter(cin_plan__isnull=False).exists()
    assert PlanActionProgress.objects.filter(cin_review__isnull=False).exists()
    # Visits and direct work carry the child's voice and the worker's analysis.
    assert Visit.objects.exclude(child_views="").exists()
    assert not Visit.objects.filter(analysis="").exists()
    assert Visit.objects.exclude(seen_alone_where="").exists()
    assert DirectWork.objects.exclude(analysis="").exists()
    # The case summaries of the same borough suit each child's age (test_demo_family).
    summaries_suit_the_childs_age(borough.as_at)


def test_a_plan_for_an_unborn_child_is_written_about_the_baby():
    """An unborn child has no given name yet: the demo once failed on the first plan made
    before a birth (seen on a 10,000-child borough)."""
    from types import SimpleNamespace

    from safeguard.demo.generator.plans import _first_name, _sentence

    unborn = SimpleNamespace(case=SimpleNamespace(child=SimpleNamespace(given_names="")))
    named = SimpleNamespace(case=SimpleNamespace(child=SimpleNamespace(given_names="Ada May")))
    assert _first_name(unborn) == "the baby" and _first_name(named) == "Ada"
    assert _sentence("{name}'s basic needs are met every day", "the baby") == (
        "The baby's basic needs are met every day"
    )
