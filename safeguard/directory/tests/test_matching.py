"""Suggesting services (issue 19 item 2): eligibility by age, area, level and needs, lapsed and
ended entries never suggested, the reasons in words, the order, and a fixed number of
queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguard.directory.codes import Need
from safeguard.directory.matching import outward_code, suggest
from safeguard.directory.tests.helpers import make_service
from safeguard.referrals.services import thresholds_load_default

pytestmark = pytest.mark.django_db

# Sam Smith was born on 14 March 2015 and lives at TE1 1ST (the test world).
ON = date.today()


def names(found):
    return [s.service.name for s in found]


def sam_age():
    return ON.year - 2015 - ((ON.month, ON.day) < (3, 14))


def test_outward_code():
    assert outward_code("N17 6AB") == "N17"
    assert outward_code("n176ab") == "N17"
    assert outward_code("TE1 1ST") == "TE1"
    assert outward_code("") == ""


def test_age_bounds_are_inclusive(world):
    age = sam_age()
    make_service(world, "Exactly", min_age=age, max_age=age)
    make_service(world, "Too old for it", max_age=age - 1)
    make_service(world, "Too young for it", min_age=age + 1)
    make_service(world, "Any age")
    found = suggest(world.child_sam, on=ON)
    assert names(found) == ["Any age", "Exactly"]
    assert f"Age {age} is within {age}-{age}" in found[1].reasons


def test_an_unborn_child_is_age_0(world):
    make_service(world, "Under fives", min_age=0, max_age=4)
    make_service(world, "Teenagers", min_age=13, max_age=19)
    found = suggest(world.unborn, on=ON)
    assert names(found) == ["Under fives"]
    assert "Age 0 is within 0-4" in found[0].reasons


def test_area_by_postcode_district(world):
    make_service(world, "Here", areas=["TE1", "TE2"])
    make_service(world, "Elsewhere", areas=["N17"])
    found = suggest(world.child_sam, on=ON)
    assert names(found) == ["Here"]
    assert "Lives in TE1" in found[0].reasons


def test_level_when_given(world):
    thresholds_load_default(by=world.sm_dan, authority=world.authority)
    make_service(world, "Early help", levels=[2])
    make_service(world, "Child in need", levels=[3, 4])
    found = suggest(world.child_sam, on=ON, level=2)
    assert names(found) == ["Early help"]
    assert "Serves level 2: Early help: single agency" in found[0].reasons
    # No level asked: both may be suggested.
    assert set(names(suggest(world.child_sam, on=ON))) == {"Early help", "Child in need"}


def test_needs_given_and_ordered_by_needs_met_then_wait(world):
    make_service(
        world, "Both, long wait", needs=[Need.DOMESTIC_ABUSE, Need.HOUSING], waiting_weeks=9
    )
    make_service(
        world, "Both, short wait", needs=[Need.DOMESTIC_ABUSE, Need.HOUSING], waiting_weeks=2
    )
    make_service(world, "One", needs=[Need.HOUSING], waiting_weeks=0)
    make_service(world, "Other needs", needs=[Need.SEND])
    make_service(world, "Any need", waiting_weeks=1)
    found = suggest(world.child_sam, on=ON, needs=[Need.DOMESTIC_ABUSE, Need.HOUSING])
    assert names(found) == ["Both, short wait", "Both, long wait", "One", "Any need"]
    assert "Meets: Domestic abuse" in found[0].reasons


def test_lapsed_and_ended_services_are_never_suggested(world):
    make_service(world, "Current")
    make_service(world, "Lapsed", last_checked=ON - timedelta(days=400))
    make_service(world, "Ended", ended_on=ON - timedelta(days=1))
    make_service(world, "Ends tomorrow", ended_on=ON + timedelta(days=1))
    make_service(world, "Not taking referrals", accepting_referrals=False)
    make_service(world, "Another authority's", authority=world.other_authority)
    assert names(suggest(world.child_sam, on=ON)) == ["Current", "Ends tomorrow"]


def _count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_a_fixed_number_of_queries(world):
    thresholds_load_default(by=world.sm_dan, authority=world.authority)
    make_service(world, "First", levels=[2])
    few = _count_queries(lambda: suggest(world.child_sam, on=ON, level=2))
    for i in range(30):
        make_service(world, f"Service {i}", levels=[2], needs=[Need.HOUSING], areas=["TE1"])
    many = _count_queries(lambda: suggest(world.child_sam, on=ON, level=2))
    assert few == many <= 6
