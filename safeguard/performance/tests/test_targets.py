"""Targets (decision 0084): on target, within tolerance and off target on hand-built figures,
a trajectory's month, who proposes and who agrees, and the dashboard and indicator page
saying where each figure stands in words."""

from datetime import date
from decimal import Decimal

import pytest

from safeguard.core.errors import ApplicationError
from safeguard.performance import services, targets
from safeguard.performance.models import Direction, Target
from safeguard.performance.tests import build

APRIL = date(2026, 4, 30)


def _target(value, tolerance, direction=Direction.HIGHER, trajectory=None):
    return Target(
        indicator_id="icpc_within_15wd",
        value=Decimal(value),
        tolerance=Decimal(tolerance),
        direction=direction,
        trajectory=trajectory or {},
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(90.0, targets.ON), (85.0, targets.ON), (84.9, targets.WITHIN), (80.0, targets.WITHIN),
     (79.9, targets.OFF), (0.0, targets.OFF), (None, None)],
)  # fmt: skip
def test_higher_is_better_against_target_and_tolerance(value, expected):
    assert targets.status(_target("85", "5"), value, APRIL) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(10.0, targets.ON), (12.0, targets.ON), (14.0, targets.WITHIN), (14.1, targets.OFF)],
)
def test_lower_is_better_turns_the_comparison_round(value, expected):
    assert targets.status(_target("12", "2", Direction.LOWER), value, APRIL) == expected


def test_a_trajectory_month_replaces_the_target_for_periods_ending_in_it():
    t = _target("85", "0", trajectory={"2026-04": "70"})
    assert targets.status(t, 75.0, APRIL) == targets.ON
    assert targets.status(t, 75.0, date(2026, 5, 31)) == targets.OFF


def test_a_rate_is_compared_in_per_cent():
    from safeguard.performance.indicators import BY_ID
    from safeguard.performance.selectors import Figure

    fig = Figure(BY_ID["icpc_within_15wd"], 17, 20)  # 85%
    assert targets.shown_number(fig) == pytest.approx(85.0)
    assert targets.standing(_target("85", "0"), fig, APRIL).status == targets.ON
    assert targets.standing(_target("86", "0.5"), fig, APRIL).status == targets.OFF


@pytest.mark.django_db
def test_an_analyst_proposes_and_another_service_manager_agrees(world):
    t = services.target_set(
        by=world.analyst_eve, indicator_id="icpc_within_15wd", value="85", tolerance="5",
        direction="higher", trajectory="2026-04 80\n2026-05 82",
    )  # fmt: skip
    assert t.trajectory == {"2026-04": "80", "2026-05": "82"}
    assert targets.current(world.authority.pk) == {}  # not agreed yet
    with pytest.raises(ApplicationError):
        services.target_agree(by=world.tm_carol, target=t)
    services.target_agree(by=world.sm_dan, target=t)
    assert targets.current(world.authority.pk)["icpc_within_15wd"].pk == t.pk


@pytest.mark.django_db
def test_nobody_agrees_their_own_target_and_a_new_version_keeps_the_old(world):
    first = services.target_set(
        by=world.sm_dan, indicator_id="referrals", value="100", tolerance="10", direction="lower"
    )
    with pytest.raises(ApplicationError, match="Another service manager"):
        services.target_agree(by=world.sm_dan, target=first)
    services.target_agree(by=_other_manager(world), target=first)
    second = services.target_set(
        by=world.analyst_eve, indicator_id="referrals", value="90", tolerance="5", direction="lower"
    )
    services.target_agree(by=world.sm_dan, target=second)
    assert targets.current(world.authority.pk)["referrals"].pk == second.pk
    assert Target.objects.filter(indicator_id="referrals").count() == 2


def _other_manager(world):
    from safeguard.accounts.models import Role, User

    return User.objects.create_user(
        username="sm2", password="x-very-long-password", agency=world.csc,
        role=Role.SERVICE_MANAGER, first_name="Sara", last_name="Second",
    )  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "message"),
    [({"value": "lots"}, "as a number"), ({"tolerance": "-1"}, "below zero"),
     ({"value": "120"}, "0 to 100"), ({"indicator_id": "nope"}, "Choose an indicator"),
     ({"trajectory": "April 80"}, "YYYY-MM")],
)  # fmt: skip
def test_bad_input_is_refused_with_a_message_and_nothing_stored(world, fields, message):
    data = {"indicator_id": "icpc_within_15wd", "value": "85", "tolerance": "5",
            "direction": "higher", **fields}  # fmt: skip
    with pytest.raises(ApplicationError, match=message):
        services.target_set(by=world.analyst_eve, **data)
    assert not Target.objects.exists()


@pytest.mark.django_db
def test_social_workers_set_no_target(world):
    with pytest.raises(ApplicationError):
        services.target_set(
            by=world.sw_amy, indicator_id="referrals", value="1", tolerance="0", direction="higher"
        )


@pytest.mark.django_db
def test_the_dashboard_and_indicator_page_say_where_each_figure_stands(world, client):
    build.case(world, referred=date(2025, 6, 2), worker=world.sw_amy)
    build.case(world, referred=date(2025, 7, 2), worker=world.sw_amy)
    t = services.target_set(
        by=world.analyst_eve,
        indicator_id="referrals",
        value="10",
        tolerance="9",
        direction="higher",
    )
    services.target_agree(by=world.sm_dan, target=t)
    client.force_login(world.sm_dan)
    page = client.get("/performance/?from=2025-04-01&to=2026-03-31").content.decode()
    assert "Within tolerance" in page  # 2 referrals against 10, tolerance 9
    assert "No target set" in page
    page = client.get("/performance/referrals/?from=2025-04-01&to=2026-03-31").content.decode()
    assert "Within tolerance" in page and "Target 10, tolerance 9" in page
    page = client.get("/performance/targets/").content.decode()
    assert "Eve Evans" in page and "Dan Doyle" in page


@pytest.mark.django_db
def test_the_targets_form_keeps_typing_on_a_refusal(world, client):
    client.force_login(world.analyst_eve)
    response = client.post(
        "/performance/targets/",
        {"indicator_id": "referrals", "value": "ten", "tolerance": "1", "direction": "higher"},
    )
    assert response.status_code == 200
    assert "as a number" in response.content.decode()
    assert 'value="ten"' in response.content.decode()
    assert not Target.objects.exists()
