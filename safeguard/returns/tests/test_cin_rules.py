"""Safeguard's own CIN census rules catch hand-built bad records: one case per rule.

Each case starts from a child whose records break no rule, changes one thing, and expects
exactly that rule (by its DfE number) among the failures, on that child, with the rule's
plain-English message.
"""

from dataclasses import replace
from datetime import date
from uuid import uuid4

import pytest

from safeguard.returns.builders.cin import (
    CinAssessment,
    CinChild,
    CinEpisode,
    CinPlanDates,
    CinProtectionPlan,
    CinReturn,
    CinSection47,
)
from safeguard.returns.census import CensusYear
from safeguard.returns.validators.cin import (
    CHILD_RULES,
    ERROR,
    QUERY,
    RETURN_RULES,
    rule_codes,
    validate_cin_return,
)

YEAR = CensusYear(2025)
UPN = "A801200005001"  # not the real check letter; fixed below
D = date


def _good_upn() -> str:
    from stdnum.gb import upn

    return upn.calc_check_digit(UPN[1:]) + UPN[1:]


def assessment(**kw) -> CinAssessment:
    values = {
        "record_id": uuid4(),
        "start_date": D(2025, 5, 2),
        "internal_review_date": None,
        "authorisation_date": D(2025, 6, 20),
        "factors": ("3B", "4B"),
    }
    return CinAssessment(**(values | kw))


def s47(**kw) -> CinSection47:
    values = {
        "record_id": uuid4(),
        "start_date": D(2025, 7, 1),
        "icpc_target": D(2025, 7, 21),
        "icpc_date": D(2025, 7, 18),  # a Friday
        "icpc_not_required": False,
    }
    return CinSection47(**(values | kw))


def cp_plan(**kw) -> CinProtectionPlan:
    values = {
        "record_id": uuid4(),
        "start_date": D(2025, 7, 18),
        "end_date": None,
        "initial_category": "NEG",
        "latest_category": "NEG",
        "previous_plans": 0,
        "review_dates": (D(2025, 10, 17),),
    }
    return CinProtectionPlan(**(values | kw))


def cin_plan(**kw) -> CinPlanDates:
    values = {"record_id": uuid4(), "start_date": D(2025, 6, 25), "end_date": D(2025, 7, 18)}
    return CinPlanDates(**(values | kw))


def episode(**kw) -> CinEpisode:
    values = {
        "record_id": uuid4(),
        "referral_date": D(2025, 5, 1),
        "referral_source": "2A",
        "primary_need": "N1",
        "closure_date": None,
        "closure_reason": "",
        "referral_nfa": False,
        "assessments": (assessment(),),
        "cin_plans": (cin_plan(),),
        "section47s": (s47(),),
        "cp_plans": (cp_plan(),),
    }
    return CinEpisode(**(values | kw))


def child(**kw) -> CinChild:
    values = {
        "person_id": uuid4(),
        "la_child_id": "KM000001",
        "upn": _good_upn(),
        "birth_date": D(2015, 3, 14),
        "expected_birth_date": None,
        "sex": "F",
        "death_date": None,
        "ethnicity": "WBRI",
        "disabilities": ("NONE",),
        "episodes": (episode(),),
    }
    return CinChild(**(values | kw))


def closed_episode(**kw) -> CinEpisode:
    values = {
        "referral_date": D(2024, 2, 1),
        "closure_date": D(2024, 4, 10),
        "closure_reason": "RC7",
        "assessments": (),
        "cin_plans": (),
        "section47s": (),
        "cp_plans": (),
    }
    return episode(**(values | kw))


def ep_with(**kw) -> tuple[CinEpisode, ...]:
    return (episode(**kw),)


# Each rule number -> the children of a return that breaks it (and only needs to break it).
CASES = {
    "8500": lambda: [child(la_child_id="")],
    "1570": lambda: [child(la_child_id="K" * 21)],
    "1580": lambda: [child(la_child_id="KM-0001")],
    "1510": lambda: [child(upn=("B" if _good_upn()[0] != "B" else "C") + UPN[1:])],
    "1530": lambda: [child(upn="A990200005001")],
    "1540": lambda: [child(upn="A8012000X5001")],
    "1550": lambda: [child(upn="A80120000500I")],
    "4180": lambda: [child(sex="1")],
    "8750": lambda: [child(birth_date=None, expected_birth_date=D(2026, 6, 1), sex="F",
                           episodes=ep_with(referral_date=D(2025, 12, 1), assessments=(),
                                            cin_plans=(), section47s=(), cp_plans=()))],
    "4220": lambda: [child(ethnicity="XXXX")],
    "8540": lambda: [child(disabilities=("WALK",))],
    "8790": lambda: [child(disabilities=("NONE", "AUT"))],
    "8794": lambda: [child(disabilities=("AUT", "AUT"))],
    "8606": lambda: [child(birth_date=D(2025, 12, 1), episodes=ep_with(
        referral_date=D(2025, 1, 1), assessments=(), cin_plans=(), section47s=(), cp_plans=()))],
    "8866": lambda: [child(episodes=ep_with(referral_source="11"))],
    "8650": lambda: [child(episodes=ep_with(primary_need="N10"))],
    "8610": lambda: [child(episodes=ep_with(primary_need=""))],
    "8620": lambda: [child(episodes=(closed_episode(closure_date=D(2024, 3, 1)),
                                     episode()))],
    "8630": lambda: [child(episodes=(closed_episode(referral_date=D(2025, 5, 1),
                                                    closure_date=D(2025, 4, 20)), episode()))],
    "8640": lambda: [child(episodes=(closed_episode(closure_reason="RC10"), episode()))],
    "8805": lambda: [child(episodes=(closed_episode(closure_reason=""), episode()))],
    "8810": lambda: [child(episodes=ep_with(closure_reason="RC7"))],
    "8831": lambda: [child(episodes=ep_with(referral_nfa=True, primary_need="",
                                            cin_plans=(), section47s=(), cp_plans=()))],
    "4000": lambda: [child(episodes=ep_with(referral_nfa=True, assessments=(), section47s=(),
                                            cp_plans=()))],
    "2990": lambda: [child(episodes=ep_with(closure_date=D(2026, 1, 5), closure_reason="RC8",
                                            cp_plans=(cp_plan(end_date=D(2026, 1, 5)),)))],
    "8565": lambda: [child(episodes=ep_with(closure_date=D(2025, 6, 30), closure_reason="RC7",
                                            section47s=(), cp_plans=(),
                                            cin_plans=(cin_plan(start_date=D(2025, 7, 1),
                                                                end_date=D(2025, 7, 2)),)))],
    "1103": lambda: [child(episodes=ep_with(assessments=(assessment(start_date=D(2025, 4, 2)),)))],
    "4015": lambda: [child(episodes=ep_with(cin_plans=(cin_plan(start_date=D(2025, 4, 20)),)))],
    "2889": lambda: [child(episodes=ep_with(section47s=(s47(start_date=D(2025, 4, 29),
                                                            icpc_date=None,
                                                            icpc_not_required=True),)))],
    "1105": lambda: [child(episodes=ep_with(cp_plans=(cp_plan(start_date=D(2025, 4, 25)),)))],
    "1104": lambda: [child(episodes=ep_with(section47s=(s47(icpc_date=D(2025, 4, 25)),)))],
    "8815": lambda: [child(episodes=(episode(referral_date=D(2025, 4, 10), cin_plans=(),
                                             section47s=(), cp_plans=()), episode()))],
    "8816": lambda: [child(episodes=(episode(referral_date=D(2025, 4, 10), cin_plans=(),
                                             section47s=(), cp_plans=()), episode()))],
    "8820": lambda: [child(episodes=(closed_episode(referral_date=D(2025, 4, 2),
                                                    closure_date=D(2025, 6, 1)), episode()))],
    "8608": lambda: [child(episodes=ep_with(assessments=(assessment(
        authorisation_date=D(2025, 5, 1)),)))],
    "8614": lambda: [child(episodes=ep_with(assessments=(assessment(authorisation_date=None),)))],
    "8696": lambda: [child(episodes=(closed_episode(assessments=(assessment(
        start_date=D(2024, 2, 5), authorisation_date=D(2024, 3, 20)),)), episode()))],
    "8736": lambda: [child(episodes=(episode(referral_date=D(2024, 2, 1), assessments=(
        assessment(start_date=D(2024, 2, 5), authorisation_date=None, factors=()),)),))],
    "8869": lambda: [child(episodes=ep_with(assessments=(assessment(factors=("21", "3B")),)))],
    "8898": lambda: [child(episodes=ep_with(assessments=(assessment(factors=("3B", "3B")),)))],
    "8896": lambda: [child(episodes=ep_with(assessments=(
        assessment(authorisation_date=None, factors=()),
        assessment(start_date=D(2025, 5, 9), authorisation_date=None, factors=())),))],
    "8867": lambda: [child(episodes=ep_with(
        closure_date=D(2026, 1, 5), closure_reason="RC7", cin_plans=(), section47s=(),
        cp_plans=(), assessments=(assessment(authorisation_date=None, factors=()),)))],
    "4011": lambda: [child(episodes=ep_with(cin_plans=(cin_plan(end_date=D(2025, 6, 1)),)))],
    "4013": lambda: [child(episodes=(episode(referral_date=D(2024, 2, 1), assessments=(),
                                             section47s=(), cp_plans=(), cin_plans=(cin_plan(
        start_date=D(2024, 2, 10), end_date=D(2024, 3, 1)),)),))],
    "4004": lambda: [child(episodes=ep_with(section47s=(), cp_plans=(), cin_plans=(
        cin_plan(end_date=None), cin_plan(start_date=D(2025, 8, 1), end_date=None))))],
    "4014": lambda: [child(episodes=ep_with(section47s=(), cp_plans=(), cin_plans=(
        cin_plan(end_date=D(2025, 9, 1)), cin_plan(start_date=D(2025, 8, 1)))))],
    "4001": lambda: [child(episodes=ep_with(cin_plans=(cin_plan(end_date=None),)))],
    "4008": lambda: [child(death_date=D(2025, 6, 1), episodes=ep_with(
        section47s=(), cp_plans=(), cin_plans=(cin_plan(end_date=None),)))],
    "8615": lambda: [child(episodes=ep_with(section47s=(s47(icpc_date=D(2025, 6, 30)),),
                                            cp_plans=(cp_plan(start_date=D(2025, 6, 30)),)))],
    "8740": lambda: [child(episodes=(episode(referral_date=D(2024, 2, 1), cin_plans=(),
                                             cp_plans=(), section47s=(s47(
        start_date=D(2024, 3, 1), icpc_date=None),)),))],
    "8715": lambda: [child(episodes=(episode(referral_date=D(2024, 2, 1), cin_plans=(),
                                             section47s=(s47(start_date=D(2024, 3, 1),
                                                             icpc_date=D(2024, 3, 20)),),
                                             cp_plans=(cp_plan(start_date=D(2024, 3, 20)),)),))],
    "8875": lambda: [child(episodes=ep_with(section47s=(s47(icpc_date=D(2025, 7, 19)),),
                                            cp_plans=(cp_plan(start_date=D(2025, 7, 19)),)))],
    "8839": lambda: [child(episodes=ep_with(cp_plans=(), cin_plans=(), section47s=(
        s47(icpc_date=None), s47(start_date=D(2025, 7, 3), icpc_date=None))))],
    "8868": lambda: [child(episodes=ep_with(closure_date=D(2026, 1, 5), closure_reason="RC7",
                                            cin_plans=(), cp_plans=(),
                                            section47s=(s47(icpc_date=None),)))],
    "8730": lambda: [child(episodes=ep_with(cp_plans=(cp_plan(previous_plans=None),)))],
    "8840": lambda: [child(episodes=ep_with(cp_plans=(cp_plan(end_date=D(2025, 7, 18),
                                                              review_dates=()),)))],
    "8925": lambda: [child(episodes=ep_with(cp_plans=(cp_plan(end_date=D(2025, 7, 1),
                                                              review_dates=()),)))],
    "8930": lambda: [child(episodes=(episode(referral_date=D(2024, 2, 1), cin_plans=(),
                                             section47s=(), assessments=(), cp_plans=(cp_plan(
        start_date=D(2024, 2, 10), end_date=D(2024, 3, 1), review_dates=()),)),))],
    "8841": lambda: [child(episodes=ep_with(cp_plans=(cp_plan(review_dates=(D(2025, 7, 18),)),)))],
    "8905": lambda: [child(episodes=ep_with(cp_plans=(cp_plan(initial_category="XXX"),)))],
    "8910": lambda: [child(episodes=ep_with(cp_plans=(cp_plan(latest_category="XXX"),)))],
    "8915": lambda: [child(death_date=D(2025, 7, 10), episodes=ep_with(cin_plans=()))],
    "8920": lambda: [child(death_date=D(2025, 9, 1), episodes=ep_with(cin_plans=(), cp_plans=(
        cp_plan(end_date=D(2025, 10, 17)),)))],
    "8935": lambda: [child(episodes=ep_with(cp_plans=(
        cp_plan(), cp_plan(start_date=D(2025, 11, 3), review_dates=()))))],
    "8940": lambda: [child(episodes=ep_with(cp_plans=(
        cp_plan(end_date=D(2025, 12, 1)), cp_plan(start_date=D(2025, 11, 3), review_dates=()))))],
    "2885": lambda: [child(episodes=ep_with(cp_plans=(cp_plan(start_date=D(2025, 7, 21)),)))],
    "8600": lambda: [child(episodes=(episode(), closed_episode(
        referral_date=D(2026, 4, 1), closure_date=None, closure_reason="", referral_nfa=True)))],
    "4010": lambda: [child(episodes=ep_with(cin_plans=(cin_plan(
        start_date=D(2026, 4, 2), end_date=None),)))],
    "8720": lambda: [child(episodes=ep_with(cp_plans=(cp_plan(
        start_date=D(2026, 4, 2), review_dates=()),)))],
    "8832": lambda: [child(episodes=ep_with(referral_nfa=True, assessments=(), cin_plans=(),
                                            section47s=()))],
    "4016": lambda: [child(episodes=ep_with(cin_plans=(cin_plan(
        start_date=D(2025, 8, 1), end_date=D(2025, 9, 1)),)))],
    "4017": lambda: [child(episodes=ep_with(cin_plans=(cin_plan(end_date=D(2025, 7, 30)),)))],
    "8890": lambda: [child(episodes=ep_with(cp_plans=(), cin_plans=(), section47s=(
        s47(), s47(start_date=D(2025, 7, 10), icpc_date=None, icpc_not_required=True))))],
    "4003": lambda: [child(episodes=(closed_episode(
        referral_date=D(2024, 2, 1), closure_date=D(2025, 12, 1), closure_reason="RC7",
        cin_plans=(cin_plan(start_date=D(2025, 4, 2), end_date=D(2025, 6, 1)),),
        cp_plans=(cp_plan(start_date=D(2025, 3, 1), end_date=D(2025, 11, 3),
                          review_dates=(D(2025, 5, 1), D(2025, 11, 3))),)),))],
    "2883": lambda: [child(episodes=ep_with(section47s=(s47(icpc_date=None,
                                                            icpc_not_required=True),)))],
    "8510": lambda: [child(), child()],
    "1520": lambda: [child(), child(la_child_id="KM000002")],
    # Queries (to confirm before submitting; they do not stop the export).
    "8525Q": lambda: [child(birth_date=None, sex="U", episodes=ep_with(
        referral_date=D(2025, 12, 1), assessments=(), cin_plans=(), section47s=(),
        cp_plans=()))],
    "8530Q": lambda: [child(birth_date=None, expected_birth_date=D(2026, 12, 31), sex="U",
                            episodes=ep_with(referral_date=D(2025, 12, 1), assessments=(),
                                             cin_plans=(), section47s=(), cp_plans=()))],
    "8535Q": lambda: [child(birth_date=D(2025, 6, 1), death_date=D(2025, 5, 30),
                            episodes=(closed_episode(referral_date=D(2025, 4, 10),
                                                     closure_date=D(2025, 5, 30),
                                                     closure_reason="RC2"),))],
    "8545Q": lambda: [child(death_date=D(2025, 3, 20), episodes=(closed_episode(
        closure_date=D(2025, 4, 2), closure_reason="RC2"),))],
    "8555Q": lambda: [child(death_date=D(2025, 9, 1), episodes=(closed_episode(
        referral_date=D(2025, 9, 2), closure_date=D(2025, 9, 3), closure_reason="RC2"),))],
    "8569Q": lambda: [child(episodes=(closed_episode(
        referral_date=D(2025, 3, 28), closure_date=D(2025, 3, 28), closure_reason="RC7",
        referral_nfa=True, primary_need=""), episode()))],
    "8585Q": lambda: [child(episodes=(closed_episode(closure_reason="RC2"), episode()))],
    "8770Q": lambda: [child(upn="", upn_unknown="UN1")],
    "1560Q": lambda: [child(former_upn="A12345678901B")],
    "8775Q": lambda: [child(birth_date=D(2000, 3, 1))],
    "8825Q": lambda: [child(episodes=(closed_episode(closure_reason="RC8"), episode()))],
    "2991Q": lambda: [child(episodes=ep_with(assessments=()))],
    "8670Q": lambda: [child(episodes=ep_with(assessments=(assessment(
        start_date=D(2026, 1, 27), authorisation_date=None, factors=()),)))],
    "8863Q": lambda: [child(episodes=ep_with(assessments=(
        assessment(), assessment(start_date=D(2025, 6, 20), authorisation_date=D(2025, 7, 1)))))],
    "8873Q": lambda: [child(episodes=ep_with(assessments=(assessment(factors=("21",)),)))],
    "8897Q": lambda: [child(episodes=ep_with(assessments=(assessment(factors=()),)))],
    "4012Q": lambda: [child(episodes=ep_with(cin_plans=(cin_plan(end_date=D(2025, 6, 25)),)))],
    "4009Q": lambda: [child(death_date=D(2025, 7, 10), episodes=(closed_episode(
        referral_date=D(2025, 5, 1), closure_date=D(2025, 7, 10), closure_reason="RC2",
        cin_plans=(cin_plan(end_date=D(2025, 7, 11)),)),))],
    "8675Q": lambda: [child(episodes=ep_with(cp_plans=(), section47s=(s47(
        start_date=D(2026, 3, 10), icpc_target=D(2026, 3, 31), icpc_date=None),)))],
    "8870Q": lambda: [child(episodes=ep_with(section47s=(s47(icpc_target=D(2025, 7, 19)),)))],
    "8945Q": lambda: [child(episodes=ep_with(assessments=(assessment(factors=("18A",)),)))],
    "8950Q": lambda: [child(episodes=ep_with(assessments=(assessment(factors=("19A",)),)))],
    "2886Q": lambda: [child(sex="U")],
    "2887Q": lambda: [child()],
    "2888Q": lambda: [child(disabilities=("AUT",))],
}  # fmt: skip

# Rules about the return as a whole, not one child.
WHOLE_RETURN = {"2883", "2886Q", "2887Q", "2888Q"}


# 2887Q is about there being too few children recorded with no disability: no fillers there.
NO_FILLERS = {"2887Q"}


def filler(n: int) -> CinChild:
    """A child with no episode in the census year and "no disability" recorded: returns have
    enough of them that the queries about the whole return (2887Q) stay quiet."""
    return child(la_child_id=f"KMFILL{n:02d}", upn="", birth_date=D(2024, 1, 1), episodes=())


def census(children, *, fillers: int = 8) -> CinReturn:
    """A return of ``children`` beside ``fillers`` children who break no rule."""
    others = [filler(n) for n in range(fillers)]
    return CinReturn(year=YEAR, la_code="990", children=(*children, *others))


def test_the_starting_child_breaks_no_rule():
    assert validate_cin_return(census([child()])) == []


def test_every_rule_has_a_case_here():
    assert sorted(CASES) == sorted(rule_codes())
    assert len(set(rule_codes())) == len(rule_codes()), "a rule number is registered twice"


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_catches_its_bad_record(code):
    children = CASES[code]()
    failures = validate_cin_return(census(children, fillers=0 if code in NO_FILLERS else 8))
    hits = [f for f in failures if f.code == code]
    assert hits, f"rule {code} did not fire; got {[f.code for f in failures]}"
    rule = next(r for r in (*CHILD_RULES, *RETURN_RULES) if r.code == code)
    for hit in hits:
        assert hit.level == (QUERY if code.endswith("Q") else ERROR)
        assert hit.message == rule.message
        if code in WHOLE_RETURN:  # about the return as a whole, not one child
            assert (hit.la_child_id, hit.person_id) == ("", None)
            continue
        assert hit.la_child_id in {c.la_child_id for c in children}
        assert hit.person_id in {c.person_id for c in children}


def test_messages_are_plain_english_sentences():
    for rule in (*CHILD_RULES, *RETURN_RULES):
        assert rule.message[0].isupper() and rule.message.endswith("."), rule.code
        assert "<" not in rule.message, rule.code  # no XML element names


def test_failures_point_at_the_record_to_fix():
    bad = assessment(factors=("21", "3B"))
    failures = validate_cin_return(census([child(episodes=ep_with(assessments=(bad,)))]))
    (failure,) = [f for f in failures if f.code == "8869"]
    assert failure.record_id == bad.record_id
    assert failure.detail == "21, 3B"


def test_dates_on_the_boundaries_of_the_year_are_in_it():
    ep = replace(
        closed_episode(referral_date=D(2025, 4, 1), closure_date=D(2026, 3, 31)),
        closure_reason="RC7",
    )
    assert validate_cin_return(census([child(episodes=(ep,))])) == []


def test_the_query_rules_are_the_validators_2025_26_queries():
    """Every query of csc-validator-be-cin's 2025-26 ruleset is checked here, bar one whose
    data the file never carries: 8842Q (a review with no date)."""
    queries = {code for code in rule_codes() if code.endswith("Q")}
    assert queries == {
        "1560Q", "2886Q", "2887Q", "2888Q", "2991Q", "4009Q", "4012Q", "8525Q", "8530Q", "8535Q",
        "8545Q", "8555Q", "8569Q", "8585Q", "8670Q", "8675Q", "8770Q", "8775Q", "8825Q",
        "8863Q", "8870Q", "8873Q", "8897Q", "8945Q", "8950Q",
    }  # fmt: skip
    for rule in (*CHILD_RULES, *RETURN_RULES):
        assert (rule.level == QUERY) == rule.code.endswith("Q"), rule.code


def _codes(children) -> set[str]:
    return {f.code for f in validate_cin_return(census(children))}


@pytest.mark.parametrize(
    ("start", "fires"),
    # 45 working days before 31 March 2026, counting the 31st, is 28 January 2026.
    [(D(2026, 1, 27), True), (D(2026, 1, 28), False)],
)
def test_8670q_counts_45_working_days_back_from_31_march(start, fires):
    late = assessment(start_date=start, authorisation_date=None, factors=())
    assert ("8670Q" in _codes([child(episodes=ep_with(assessments=(late,)))])) is fires


@pytest.mark.parametrize(
    ("start", "fires"),
    # 15 working days before 31 March 2026, counting the 31st, is 11 March 2026.
    [(D(2026, 3, 10), True), (D(2026, 3, 11), False)],
)
def test_8675q_counts_15_working_days_back_from_31_march(start, fires):
    enquiry = s47(start_date=start, icpc_target=None, icpc_date=None)
    codes = _codes([child(episodes=ep_with(cp_plans=(), section47s=(enquiry,)))])
    assert ("8675Q" in codes) is fires


def test_8675q_not_when_no_conference_was_needed():
    enquiry = s47(start_date=D(2025, 7, 1), icpc_date=None, icpc_not_required=True)
    assert "8675Q" not in _codes([child(episodes=ep_with(cp_plans=(), section47s=(enquiry,)))])


@pytest.mark.parametrize(
    ("year", "referred", "fires"),
    # The census year starts on its first working day: 1 April 2025 (a Tuesday); in 2024-25
    # 2 April 2024, since 1 April 2024 was Easter Monday.
    [(2025, D(2025, 3, 31), True), (2025, D(2025, 4, 1), False),
     (2024, D(2024, 4, 1), True), (2024, D(2024, 4, 2), False)],
)  # fmt: skip
def test_8569q_nfa_referrals_from_before_the_year(year, referred, fires):
    nfa = closed_episode(referral_date=referred, closure_date=referred, referral_nfa=True,
                         primary_need="")  # fmt: skip
    ret = CinReturn(year=CensusYear(year), la_code="990",
                    children=(child(episodes=(nfa,)), *[filler(n) for n in range(8)]))  # fmt: skip
    assert ("8569Q" in {f.code for f in validate_cin_return(ret)}) is fires


def test_8863q_not_for_an_assessment_recorded_twice():
    """The same start and authorisation on both: a repeat, not an overlap (as DfE's check)."""
    a = assessment()
    twice = replace(a, record_id=uuid4())
    assert "8863Q" not in _codes([child(episodes=ep_with(assessments=(a, twice)))])


def test_8873q_not_when_the_episode_has_two_assessments():
    assessments = (
        assessment(factors=("21",)),
        assessment(start_date=D(2025, 7, 1), authorisation_date=D(2025, 7, 20)),
    )
    assert "8873Q" not in _codes([child(episodes=ep_with(assessments=assessments))])


@pytest.mark.parametrize(
    ("first_year", "days_45", "days_15", "year_starts"),
    # The days csc-validator-be-cin's pandas offsets give (its england_working_days) for each
    # census year: 45 and 15 working days before 31 March, and the first working day of the
    # year (31 March 2024 was Easter Sunday; 1 April 2024 Easter Monday).
    [(2023, D(2024, 1, 29), D(2024, 3, 11), D(2023, 4, 3)),
     (2024, D(2025, 1, 28), D(2025, 3, 11), D(2024, 4, 2)),
     (2025, D(2026, 1, 28), D(2026, 3, 11), D(2025, 4, 1)),
     (2026, D(2027, 1, 26), D(2027, 3, 9), D(2026, 4, 1))],
)  # fmt: skip
def test_working_days_are_counted_as_the_dfe_validator_counts_them(
    first_year, days_45, days_15, year_starts
):
    from safeguard.returns.validators.cin import _working_days_before

    year = CensusYear(first_year)
    assert _working_days_before(year.reference_date, 45) == days_45
    assert _working_days_before(year.reference_date, 15) == days_15
    assert _working_days_before(year.start, 1) == year_starts


def test_a_reason_for_no_upn_answers_8770q_unless_it_says_not_of_school_age():
    """8770Q asks for a UPN or a reason a child of school age has none: UN2 to UN7 answer it;
    UN1 ("not of school age") cannot be true of such a child, so it does not."""
    assert "8770Q" not in _codes([child(upn="", upn_unknown="UN5")])
    assert "8770Q" in _codes([child(upn="", upn_unknown="UN1")])


def test_a_well_formed_former_upn_raises_no_query():
    assert "1560Q" not in _codes([child(former_upn="A123456789013")])
