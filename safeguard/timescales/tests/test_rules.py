"""The rule tables: what each rule set holds, that every name resolves, and due-date counting."""

from dataclasses import replace
from datetime import date

import pytest

from safeguard.accounts.models import LocalAuthority
from safeguard.timescales.engine import due_date
from safeguard.timescales.events import CONTACT_SCOPES, EVENTS, SCOPES
from safeguard.timescales.rules import (
    CP_VISIT,
    DEFAULT_RULE_SET,
    FIRST_REVIEW_CONFERENCE,
    INCLUSIVE,
    REFERRAL_DECISION,
    RULE_SETS,
    WORKING_DAYS,
    Rule,
    rules_for,
)

ALL_RULES = [(name, rule) for name, rules in RULE_SETS.items() for rule in rules]
CHILD_PROTECTION_AND_LOCAL = [
    "icpc", "first_core_group", "core_group", "first_review_conference", "review_conference",
    "cp_visit", "cin_visit", "cin_plan_review", "conference_minutes", "plan_action",
    "unallocated_review",
]
NEXT_STEPS = [
    "contact_referral", "contact_early_help", "referral_assessment", "referral_child_seen",
    "referral_strategy", "assessment_strategy", "assessment_cin_plan", "assessment_early_help",
    "strategy_section47",
]


def test_each_rule_set_holds_its_editions_rules():
    assert [r.id for r in RULE_SETS["wt2013"]] == [
        "referral_decision", "single_assessment", *CHILD_PROTECTION_AND_LOCAL, *NEXT_STEPS,
    ]
    for old in ("wt2006", "wt2010"):
        assert [r.id for r in RULE_SETS[old]] == [
            "referral_decision", "initial_assessment", "core_assessment",
            *CHILD_PROTECTION_AND_LOCAL, *NEXT_STEPS,
        ]


def test_the_editions_differ_only_in_their_assessments():
    lengths = {name: {r.id: r.length for r in rules} for name, rules in RULE_SETS.items()}
    assert lengths["wt2006"]["initial_assessment"] == 7
    assert lengths["wt2010"]["initial_assessment"] == 10
    assert lengths["wt2006"]["core_assessment"] == lengths["wt2010"]["core_assessment"] == 35
    assert lengths["wt2013"]["single_assessment"] == 45
    shared = {"referral_decision", *CHILD_PROTECTION_AND_LOCAL}
    assert {k: lengths["wt2006"][k] for k in shared} == {k: lengths["wt2013"][k] for k in shared}


def test_rule_sets_match_the_authority_setting():
    field = LocalAuthority._meta.get_field("rule_set")
    assert set(RULE_SETS) == {value for value, _ in field.choices}
    assert field.default == DEFAULT_RULE_SET


@pytest.mark.parametrize(("rule_set", "rule"), ALL_RULES, ids=lambda v: getattr(v, "id", v))
def test_every_rule_names_known_scopes_and_events(rule_set, rule):
    assert rule.scope in (CONTACT_SCOPES if rule.on_contact else SCOPES)
    assert rule.start in EVENTS
    assert rule.end in EVENTS
    assert rule.label and rule.label[0].isupper()
    assert rule.source.startswith(("Working Together", "Local standard"))


@pytest.mark.parametrize(("rule_set", "rule"), ALL_RULES, ids=lambda v: getattr(v, "id", v))
def test_local_standards_are_authority_fields(rule_set, rule):
    if rule.is_local_standard:
        LocalAuthority._meta.get_field(rule.length)  # raises if there is no such setting
        assert rule.length in rule.source
    else:
        assert isinstance(rule.length, int)


def test_rule_ids_are_unique_within_a_rule_set():
    for rules in RULE_SETS.values():
        assert len({r.id for r in rules}) == len(rules)


def test_unknown_rule_set_is_refused():
    assert rules_for("wt2013") is RULE_SETS["wt2013"]
    with pytest.raises(ValueError, match="wt1999"):
        rules_for("wt1999")


@pytest.mark.parametrize(
    "change", [{"unit": "weeks"}, {"counting": "both"}, {"length": 0}]
)
def test_a_malformed_rule_is_refused(change):
    with pytest.raises(ValueError):
        replace(REFERRAL_DECISION, **change)


# --- Counting ---------------------------------------------------------------------------

def _wd_rule(length, counting="exclusive") -> Rule:
    return replace(REFERRAL_DECISION, length=length, counting=counting, unit=WORKING_DAYS)


def test_exclusive_counting_makes_the_day_after_the_start_day_one():
    # Monday 3 March 2025: day 1 is Tuesday.
    assert due_date(_wd_rule(1), date(2025, 3, 3)) == date(2025, 3, 4)
    assert due_date(_wd_rule(5), date(2025, 3, 3)) == date(2025, 3, 10)


def test_inclusive_counting_makes_the_start_day_one():
    assert due_date(_wd_rule(1, INCLUSIVE), date(2025, 3, 3)) == date(2025, 3, 3)
    assert due_date(_wd_rule(5, INCLUSIVE), date(2025, 3, 3)) == date(2025, 3, 7)


def test_inclusive_counting_from_a_non_working_day_starts_on_the_next_working_day():
    # Good Friday 18 April 2025: Easter Monday is a bank holiday too, so day 1 is Tuesday 22.
    good_friday = date(2025, 4, 18)
    assert due_date(_wd_rule(1, INCLUSIVE), good_friday) == date(2025, 4, 22)
    assert due_date(_wd_rule(1), good_friday) == date(2025, 4, 22)
    # Saturday 7 June 2025: Monday is day 1 either way.
    assert due_date(_wd_rule(3, INCLUSIVE), date(2025, 6, 7)) == date(2025, 6, 11)


def test_counting_across_the_platinum_jubilee():
    # Wednesday 1 June 2022; Thursday 2 and Friday 3 June were bank holidays.
    assert due_date(_wd_rule(1), date(2022, 6, 1)) == date(2022, 6, 6)
    assert due_date(_wd_rule(2, INCLUSIVE), date(2022, 6, 1)) == date(2022, 6, 6)


def test_months_are_calendar_months_clamped_to_the_month_end():
    assert due_date(FIRST_REVIEW_CONFERENCE, date(2025, 8, 31)) == date(2025, 11, 30)
    inclusive = replace(FIRST_REVIEW_CONFERENCE, counting=INCLUSIVE)
    assert due_date(inclusive, date(2025, 8, 31)) == date(2025, 11, 29)
    assert due_date(replace(FIRST_REVIEW_CONFERENCE, length=6), date(2024, 2, 29)) == date(2024, 8, 29)


def test_local_standards_are_read_from_the_authority():
    authority = LocalAuthority(cp_visit_interval_wd=5)
    # Friday 19 December 2025: 5 working days on, across Christmas and Boxing Day.
    assert due_date(CP_VISIT, date(2025, 12, 19), authority) == date(2025, 12, 30)
    assert due_date(CP_VISIT, date(2025, 12, 19), LocalAuthority()) == date(2026, 1, 7)
