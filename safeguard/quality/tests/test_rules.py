"""Each data-quality rule at its edge: a record that just breaks it and one that just passes."""

from datetime import date, timedelta

import pytest

from safeguard.casework.models import Allocation, Case
from safeguard.people.models import Person
from safeguard.quality.models import QualityIssue
from safeguard.quality.rules import UNALLOCATED_DAYS, census_year_of
from safeguard.quality.services import check_children
from safeguard.quality.tests import build

pytestmark = pytest.mark.django_db

TODAY = date(2025, 10, 1)  # census year 2025-26
DAY = timedelta(days=1)


def rules_of(person, today=TODAY) -> set[str]:
    check_children([person.pk], today=today)
    return set(QualityIssue.objects.filter(person=person).values_list("rule", flat=True))


def test_census_year_of_a_day():
    assert census_year_of(date(2025, 3, 31)).label == "2024-25"
    assert census_year_of(date(2025, 4, 1)).label == "2025-26"


def test_a_clean_child_has_no_issues(world):
    kid = build.child(world)
    c = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    build.cp_plan(c, start=date(2025, 7, 1))
    assert rules_of(kid) == set()


# SG01: date of birth missing for a child on a plan.


def test_sg01_no_date_of_birth_on_a_plan(world):
    kid = build.child(world, date_of_birth=None, expected_date_of_birth=TODAY - DAY, sex="U")
    c = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    build.cp_plan(c, start=date(2025, 7, 1))
    assert "SG01" in rules_of(kid)


def test_sg01_passes_while_the_expected_date_has_not_passed(world):
    kid = build.child(world, date_of_birth=None, expected_date_of_birth=TODAY, sex="U")
    c = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    build.cp_plan(c, start=date(2025, 7, 1))
    assert "SG01" not in rules_of(kid)


def test_sg01_passes_when_not_on_a_plan(world):
    kid = build.child(world, date_of_birth=None, sex="U")
    c = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    build.cp_plan(c, start=date(2025, 7, 1), end=TODAY)  # ended today: not open
    assert "SG01" not in rules_of(kid)


# SG02: an open case with no allocated worker for more than N days.


def test_sg02_unallocated_one_day_too_long(world):
    kid = build.child(world)
    build.case(world, kid, referred=TODAY - timedelta(days=UNALLOCATED_DAYS + 1))
    assert "SG02" in rules_of(kid)


def test_sg02_passes_at_exactly_n_days(world):
    kid = build.child(world)
    build.case(world, kid, referred=TODAY - timedelta(days=UNALLOCATED_DAYS))
    assert "SG02" not in rules_of(kid)


def test_sg02_counts_from_the_end_of_the_last_allocation(world):
    kid = build.child(world)
    c = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    ended = TODAY - timedelta(days=UNALLOCATED_DAYS + 1)
    Allocation.objects.filter(case=c).update(end_date=ended)
    assert "SG02" in rules_of(kid)
    Allocation.objects.filter(case=c).update(end_date=ended + DAY)
    assert "SG02" not in rules_of(kid)


# SG03: a plan open on a closed case.


def test_sg03_plan_ending_after_the_case_closed(world):
    kid = build.child(world)
    c = build.case(world, kid, referred=date(2025, 6, 2), closed=date(2025, 9, 1))
    build.cin_plan(c, start=date(2025, 7, 1), end=date(2025, 9, 2))
    assert "SG03" in rules_of(kid)


def test_sg03_passes_when_the_plan_ends_on_the_closure_date(world):
    kid = build.child(world)
    c = build.case(world, kid, referred=date(2025, 6, 2), closed=date(2025, 9, 1))
    build.cin_plan(c, start=date(2025, 7, 1), end=date(2025, 9, 1))
    assert "SG03" not in rules_of(kid)


def test_sg03_open_plan_on_a_closed_case(world):
    kid = build.child(world)
    c = build.case(world, kid, referred=date(2025, 6, 2), closed=date(2025, 9, 1))
    build.cp_plan(c, start=date(2025, 7, 1))
    assert "SG03" in rules_of(kid)


# SG04: date of death before date of birth.


def test_sg04_death_a_day_before_birth(world):
    kid = build.child(world, date_of_death=date(2014, 12, 31))
    build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    assert "SG04" in rules_of(kid)


def test_sg04_passes_on_the_same_day(world):
    kid = build.child(world, date_of_death=date(2015, 1, 1))
    build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    assert "SG04" not in rules_of(kid)


# SG05: a step dated before the referral.


def test_sg05_visit_the_day_before_the_referral(world):
    kid = build.child(world)
    c = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    v = build.visit(world, c, date(2025, 6, 1))
    assert "SG05" in rules_of(kid)
    issue = QualityIssue.objects.get(person=kid, rule="SG05")
    assert (issue.record_type, issue.record_id, issue.case_id) == ("casework.visit", v.pk, c.pk)
    assert (issue.worker, issue.team) == (world.sw_amy, world.team_a)


def test_sg05_passes_on_the_referral_date(world):
    kid = build.child(world)
    c = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    build.visit(world, c, date(2025, 6, 2))
    assert "SG05" not in rules_of(kid)


# SG06: a step dated before the step it follows.


def test_sg06_enquiry_before_its_strategy_discussion(world):
    kid = build.child(world)
    c = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    build.s47(world, c, discussed=date(2025, 6, 10), start=date(2025, 6, 9))
    assert "SG06" in rules_of(kid)


def test_sg06_conference_before_its_enquiry(world):
    kid = build.child(world)
    c = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    e = build.s47(world, c, discussed=date(2025, 6, 10), start=date(2025, 6, 10))
    build.icpc(world, c, e, date(2025, 6, 9))
    assert "SG06" in rules_of(kid)


def test_sg06_passes_on_the_same_days(world):
    kid = build.child(world)
    c = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    e = build.s47(world, c, discussed=date(2025, 6, 10), start=date(2025, 6, 10))
    build.icpc(world, c, e, date(2025, 6, 10))
    assert "SG06" not in rules_of(kid)


# SG07: a step dated in the future.


def test_sg07_visit_tomorrow(world):
    kid = build.child(world)
    c = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    build.visit(world, c, TODAY + DAY)
    assert "SG07" in rules_of(kid)


def test_sg07_passes_today(world):
    kid = build.child(world)
    c = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    build.visit(world, c, TODAY)
    assert "SG07" not in rules_of(kid)


# SG08: a code not valid for the census year.


def test_sg08_ethnicity_not_a_census_code(world):
    kid = build.child(world)
    build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    Person.objects.filter(pk=kid.pk).update(ethnicity="WXYZ")
    found = rules_of(kid)
    assert "SG08" in found
    assert "CIN 4220" in found  # the DfE rule says the same for the census


def test_sg08_referral_source_not_a_code(world):
    kid = build.child(world)
    c = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    Case.objects.filter(pk=c.pk).update(referral_source="9Z")
    assert "SG08" in rules_of(kid)
    Case.objects.filter(pk=c.pk).update(referral_source="9")
    assert "SG08" not in rules_of(kid)


# The DfE CIN rules for one child, on their record for the current census year.


def test_cin_rule_on_the_childs_census_record(world):
    kid = build.child(world, la_child_id=None)
    c = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    assert "CIN 8500" in rules_of(kid)
    issue = QualityIssue.objects.get(person=kid, rule="CIN 8500")
    assert issue.record_type == "people.person"
    assert "LA child id" in issue.message
    Person.objects.filter(pk=kid.pk).update(la_child_id="Q1")
    assert "CIN 8500" not in rules_of(kid)
    assert c.pk  # the case is what put the child in the year's return


def test_cin_rules_skip_a_child_not_in_the_census_year(world):
    kid = build.child(world, la_child_id=None)
    build.case(world, kid, referred=date(2023, 6, 2), closed=date(2024, 1, 5))
    assert "CIN 8500" not in rules_of(kid)


def test_a_fixed_issue_is_removed_and_a_remaining_one_keeps_first_seen(world):
    kid = build.child(world)
    c = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    v1 = build.visit(world, c, date(2025, 6, 1))
    build.visit(world, c, date(2025, 5, 1))
    check_children([kid.pk], today=TODAY)
    first = {i.record_id: i.first_seen for i in QualityIssue.objects.filter(rule="SG05")}
    assert len(first) == 2
    v1.visit_date = date(2025, 6, 3)
    v1.save()
    check_children([kid.pk], today=TODAY)
    left = list(QualityIssue.objects.filter(rule="SG05"))
    assert len(left) == 1 and left[0].record_id != v1.pk
    assert left[0].first_seen == first[left[0].record_id]
    assert left[0].last_checked > left[0].first_seen


# DfE census queries: found at the point of entry too, as queries (to confirm), not errors.


def test_a_census_query_is_stored_as_a_query(world):
    kid = build.child(world, upn=None)  # of school age (born 2015) with no pupil number
    build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    assert "CIN 8770Q" in rules_of(kid)
    issue = QualityIssue.objects.get(person=kid, rule="CIN 8770Q")
    assert issue.severity == "query" and issue.record_type == "people.person"


@pytest.mark.parametrize(
    ("started", "found"),
    # On 1 October 2025, 45 working days back counting the day itself is 30 July 2025; 31
    # March 2026's count (28 January 2026) would have flagged both.
    [(date(2025, 7, 29), True), (date(2025, 7, 30), False)],
)
def test_a_long_open_assessment_counts_back_from_today_during_the_year(world, started, found):
    from safeguard.assessments.models import Assessment

    kid = build.child(world)
    c = build.case(world, kid, referred=date(2025, 7, 1), worker=world.sw_amy)
    Assessment.objects.create(case=c, kind="single", start_date=started)
    assert ("CIN 8670Q" in rules_of(kid)) is found
