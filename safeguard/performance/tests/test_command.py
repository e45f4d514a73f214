"""``safeguard kpis``: the layout of kpis.md section 5, byte for byte."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from safeguard.performance.selectors import last_census_year, round_half_up
from safeguard.performance.tests import build

pytestmark = pytest.mark.django_db

EXPECTED = """{
  "period": {"from": "2025-04-01", "to": "2026-03-31"},
  "kpis": {
    "referrals": {"count": 2},
    "rereferrals_12m": {"numerator": 1, "denominator": 2, "value": 0.5},
    "referrals_nfa": {"numerator": 0, "denominator": 2, "value": 0.0},
    "assessments_completed": {"count": 3},
    "assessments_within_45wd": {"numerator": 1, "denominator": 3, "value": 0.3333},
    "s47_started": {"count": 0},
    "icpcs": {"count": 0},
    "icpc_within_15wd": {"numerator": 0, "denominator": 0, "value": null},
    "cpp_started": {"count": 0},
    "cpp_repeat": {"numerator": 0, "denominator": 0, "value": null},
    "cpp_ended": {"count": 0},
    "cpp_ended_2y_plus": {"numerator": 0, "denominator": 0, "value": null},
    "cpp_open_at_end": {"count": 0},
    "cpp_reviews_on_time": {"numerator": 0, "denominator": 0, "value": null},
    "cin_open_at_end": {"count": 2},
    "children_in_need_at_end": {"count": 1},
    "ni64_cpp_2y_plus": {"numerator": 0, "denominator": 0, "value": null},
    "ni65_cpp_second_or_subsequent": {"numerator": 0, "denominator": 0, "value": null},
    "ni67_cpp_reviews_on_time": {"numerator": 0, "denominator": 0, "value": null},
    "referral_decisions_within_1wd": {"numerator": 0, "denominator": 0, "value": null},
    "cp_visits_on_time": {"numerator": 0, "denominator": 0, "value": null},
    "core_groups_on_time": {"numerator": 0, "denominator": 0, "value": null},
    "unallocated_cases": {"count": 1},
    "supervision_on_time": {"numerator": 0, "denominator": 1, "value": 0.0},
    "average_caseload": {"value": 1.0}
  }
}
"""


@pytest.fixture
def data(world):
    kid = build.child(world)
    build.case(world, kid, referred=date(2024, 6, 1), closed=date(2024, 7, 1))  # > 12 months
    first = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    build.case(world, kid, referred=date(2025, 7, 1))
    build.assessment(first, start=date(2025, 6, 2), done=date(2025, 6, 3))
    build.assessment(first, start=date(2025, 6, 2), done=date(2025, 9, 3))
    build.assessment(first, start=date(2025, 6, 2), done=date(2025, 10, 3))


def _run(*args) -> str:
    out = StringIO()
    call_command("kpis", *args, stdout=out)
    return out.getvalue()


def test_json_output_matches_section_5_byte_for_byte(data):
    output = _run("--from", "2025-04-01", "--to", "2026-03-31", "--json")
    assert output == EXPECTED
    assert json.loads(output)["kpis"]["referrals"] == {"count": 2}


def test_section_3_ids_appear_when_their_data_exist(world, data):
    c = build.case(world, referred=date(2025, 5, 1))
    build.assessment(c, start=date(2025, 5, 1), done=date(2025, 5, 2), kind="initial")
    kpis = json.loads(_run("--from", "2025-04-01", "--to", "2026-03-31", "--json"))["kpis"]
    assert kpis["ni59_initial_assessments_7wd"] == {"numerator": 1, "denominator": 1, "value": 1.0}
    assert kpis["ni60_core_assessments_35wd"]["value"] is None
    assert kpis["ni68_referrals_to_initial_assessment"]["numerator"] == 1


def test_readable_table_has_the_same_figures(data):
    lines = _run("--from", "2025-04-01", "--to", "2026-03-31").splitlines()
    assert lines[0] == "Performance indicators 2025-04-01 to 2026-03-31"
    assert lines[2].split() == ["indicator", "numerator", "denominator", "value"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[4:]}
    assert rows["referrals"] == ["2"]
    assert rows["assessments_within_45wd"] == ["1", "3", "0.3333"]
    assert rows["icpc_within_15wd"] == ["0", "0", "n/a"]
    assert rows["average_caseload"] == ["1.0"]


def test_default_period_is_the_last_complete_census_year():
    assert last_census_year(date(2026, 11, 26)).start == date(2025, 4, 1)
    assert last_census_year(date(2026, 3, 31)).end == date(2025, 3, 31)
    assert last_census_year(date(2026, 4, 1)).end == date(2026, 3, 31)


@pytest.mark.usefixtures("world")
def test_bad_dates_are_refused_with_a_message():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run("--from", "2025-13-01")
    with pytest.raises(CommandError, match="before"):
        _run("--from", "2026-04-01", "--to", "2026-03-31")
    with pytest.raises(CommandError, match="1970 and 2070"):
        _run("--from", "1960-04-01", "--to", "1961-03-31")


@pytest.mark.parametrize(
    "numerator, denominator, expected",
    [
        (1, 32, 0.0313),
        (312, 1520, 0.2053),
        (1, 3, 0.3333),
        (2, 3, 0.6667),
        (1, 8, 0.125),
        (1, 20000, 0.0001),
        (1, 20001, 0.0),
        (5, 5, 1.0),
        (87, 5, 17.4),
    ],
)
def test_values_round_half_up_to_four_places(numerator, denominator, expected):
    assert round_half_up(numerator, denominator) == expected
