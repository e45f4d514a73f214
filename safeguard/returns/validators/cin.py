"""Safeguard's own check of the DfE CIN census validation rules, run before export.

Each rule is a declarative object: the DfE rule number, whether it is an error or a query
(numbers ending in Q), a plain-English message saying what to fix in the record, and a check.
A child rule's check takes one child of the return and the census year and yields
``(record_id, detail)`` for each record that breaks the rule; a return rule looks across
children (duplicates). Rule numbers and meanings follow DfE's 2025-26 rules as implemented by
csc-validator-be-cin (standards.md §1-2), which the CI test runs on the demo borough's export.

To add a rule: write the check below under ``@child_rule(...)`` or ``@return_rule(...)`` and a
test in ``returns/tests/test_cin_rules.py`` that builds a record breaking it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from uuid import UUID

from stdnum.gb import upn as stdnum_upn

from safeguard.assessments.codes import NO_FACTORS, Factor
from safeguard.casework.codes import ClosureReason, PrimaryNeed, ReferralSource
from safeguard.core.workdays import add_months, add_working_days, is_working_day
from safeguard.people.codes import Disability, Ethnicity, Sex
from safeguard.protection.codes import CategoryOfAbuse
from safeguard.returns.builders.cin import CinChild, CinEpisode, CinReturn, iter_episode_records
from safeguard.returns.census import CensusYear

ERROR = "error"
QUERY = "query"

Finding = tuple[UUID | None, str]


@dataclass(frozen=True)
class Failure:
    """One record breaking one rule, for one child (no child: the return as a whole)."""

    code: str
    level: str
    message: str
    la_child_id: str
    person_id: UUID | None
    record_id: UUID | None
    detail: str


@dataclass(frozen=True)
class ChildRule:
    code: str
    message: str
    check: Callable[..., Iterable[Finding]]
    level: str = ERROR
    # A rule about time gone by (an assessment open more than 45 working days) counts back
    # from a day: 31 March for the return; today, on a check during the year (quality app).
    # Its check takes (child, year, as_at).
    timed: bool = False

    def findings(self, child: CinChild, year: CensusYear, as_at: date) -> Iterable[Finding]:
        if self.timed:
            return self.check(child, year, as_at)
        return self.check(child, year)


@dataclass(frozen=True)
class ReturnRule:
    code: str
    message: str
    check: Callable[[CinReturn], Iterable[tuple[CinChild | None, Finding]]]
    level: str = ERROR


CHILD_RULES: list[ChildRule] = []
RETURN_RULES: list[ReturnRule] = []


def child_rule(code: str, message: str, *, level: str = ERROR, timed: bool = False):
    def register(check):
        CHILD_RULES.append(
            ChildRule(code=code, message=message, check=check, level=level, timed=timed)
        )
        return check

    return register


def return_rule(code: str, message: str, *, level: str = ERROR):
    def register(check):
        RETURN_RULES.append(ReturnRule(code=code, message=message, check=check, level=level))
        return check

    return register


def rule_codes() -> list[str]:
    return [r.code for r in (*CHILD_RULES, *RETURN_RULES)]


def validate_cin_return(census: CinReturn) -> list[Failure]:
    """Every failure of every rule on ``census``, in child order then rule order."""
    failures: list[Failure] = []

    def failure(rule, child: CinChild | None, finding: Finding) -> Failure:
        record_id, detail = finding
        return Failure(
            code=rule.code,
            level=rule.level,
            message=rule.message,
            la_child_id=child.la_child_id if child else "",
            person_id=child.person_id if child else None,
            record_id=record_id,
            detail=detail,
        )

    as_at = census.year.reference_date
    for child in census.children:
        for rule in CHILD_RULES:
            failures.extend(
                failure(rule, child, f) for f in rule.findings(child, census.year, as_at)
            )
    for rule in RETURN_RULES:
        failures.extend(failure(rule, child, f) for child, f in rule.check(census))
    return failures


def validate_cin_child(
    child: CinChild, year: CensusYear, *, as_at: date | None = None
) -> list[Failure]:
    """Every failure of the child rules on one child (the rules across children, such as
    duplicates, need the whole return). The rules about time gone by count back from
    ``as_at`` when given and before 31 March (a check during the year), else from 31 March."""
    as_at = min(as_at, year.reference_date) if as_at else year.reference_date
    return [
        Failure(
            code=rule.code,
            level=rule.level,
            message=rule.message,
            la_child_id=child.la_child_id,
            person_id=child.person_id,
            record_id=record_id,
            detail=detail,
        )
        for rule in CHILD_RULES
        for record_id, detail in rule.findings(child, year, as_at)
    ]


# Each code list once, as a set: Django's ``Choices.values`` builds a new list on every use,
# which made the code rules the slowest of all on a large return.
CODES = {
    choices: frozenset(choices.values)
    for choices in (
        Sex,
        Ethnicity,
        Disability,
        ReferralSource,
        PrimaryNeed,
        ClosureReason,
        CategoryOfAbuse,
    )
}


def _d(day: date | None) -> str:
    return f"{day:%d %B %Y}".lstrip("0") if day else "none"


def _ep(ep: CinEpisode) -> str:
    return f"episode referred {_d(ep.referral_date)}"


def _overlap(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    """Two periods share a day other than one's end being the other's start."""
    far = date.max
    return a_start < (b_end or far) and b_start < (a_end or far)


# --- The child ---------------------------------------------------------------------------

UPN_LETTERS = frozenset("ABCDEFGHJKLMNPQRTUVWXYZ")
# Rule 1530: post-April 1998 LA codes and the pseudo-LA codes 001-005.
_LA_RANGES = (
    (1, 5), (201, 213), (301, 320), (330, 336), (340, 344), (350, 359), (370, 373),
    (380, 384), (390, 394), (420, 420), (660, 681), (701, 708), (800, 803), (805, 808),
    (810, 813), (815, 816), (820, 823), (825, 826), (830, 831), (835, 841), (845, 846),
    (850, 852), (855, 857), (860, 861), (865, 896), (908, 909), (916, 916), (919, 919),
    (921, 921), (925, 926), (928, 929), (931, 931), (933, 933), (935, 938), (940, 941),
)  # fmt: skip
UPN_LA_CODES = frozenset(f"{n:03d}" for lo, hi in _LA_RANGES for n in range(lo, hi + 1))


@child_rule("8500", "The child has no LA child id: record the local child id on their record.")
def _la_child_id_missing(child, year):
    if not child.la_child_id:
        yield None, ""


@child_rule("1570", "The LA child id is longer than 20 characters: shorten it on the record.")
def _la_child_id_length(child, year):
    if len(child.la_child_id) > 20:
        yield None, f"LA child id {child.la_child_id!r}"


@child_rule("1580", "The LA child id has characters other than letters and digits: correct it.")
def _la_child_id_characters(child, year):
    lid = child.la_child_id
    if lid and not (lid.isascii() and lid.isalnum()):
        yield None, f"LA child id {lid!r}"


def _upn_shape_ok(upn: str) -> bool:
    return len(upn) == 13 and upn[1:12].isdigit() and (upn[12].isdigit() or upn[12] in UPN_LETTERS)


@child_rule("1510", "The UPN's check letter (its first character) is wrong: correct the UPN.")
def _upn_check_letter(child, year):
    upn = child.upn
    if upn and _upn_shape_ok(upn) and stdnum_upn.calc_check_digit(upn[1:]) != upn[0]:
        yield None, f"UPN {upn}"


@child_rule("1530", "The UPN's characters 2 to 4 are not a recognised LA number: correct the UPN.")
def _upn_la(child, year):
    if child.upn and child.upn[1:4] not in UPN_LA_CODES:
        yield None, f"UPN {child.upn}"


@child_rule("1540", "The UPN's characters 5 to 12 are not all digits: correct the UPN.")
def _upn_digits(child, year):
    if child.upn and not child.upn[4:12].isdigit():
        yield None, f"UPN {child.upn}"


@child_rule(
    "1550",
    "The UPN's last character must be a digit, or a letter other than I, O or S: correct it.",
)
def _upn_last(child, year):
    upn = child.upn
    if upn and (len(upn) != 13 or not (upn[12].isdigit() or upn[12] in UPN_LETTERS)):
        yield None, f"UPN {upn}"


@child_rule("4180", "The child's sex must be recorded as male, female or not known.")
def _sex_valid(child, year):
    if child.sex not in CODES[Sex]:
        yield None, f"sex {child.sex!r}"


@child_rule("8750", "An unborn child's sex must be recorded as not known.")
def _unborn_sex(child, year):
    if child.is_unborn and child.sex != Sex.UNKNOWN:
        yield None, f"sex {child.sex!r}"


@child_rule("4220", "The child's ethnicity is missing or not a census code: record it.")
def _ethnicity(child, year):
    if child.ethnicity not in CODES[Ethnicity]:
        yield None, f"ethnicity {child.ethnicity!r}"


@child_rule("8540", "A disability on the child's record is not a census disability code.")
def _disability_codes(child, year):
    for code in child.disabilities:
        if code not in CODES[Disability]:
            yield None, f"disability {code!r}"


@child_rule(
    "8790", "The child's disabilities include 'no disability' and a disability: remove one."
)
def _disability_none_and_other(child, year):
    if Disability.NONE in child.disabilities and len(set(child.disabilities)) > 1:
        yield None, ", ".join(child.disabilities)


@child_rule("8794", "The child's record lists the same disability twice: remove the repeat.")
def _disability_repeated(child, year):
    for code, count in Counter(child.disabilities).items():
        if count > 1:
            yield None, f"disability {code}"


@child_rule(
    "8606",
    "A referral is dated more than 40 weeks before the child's date of birth (or expected "
    "date of birth): check both dates.",
)
def _referral_before_conception(child, year):
    birth = child.birth_date or child.expected_birth_date
    if birth is None:
        return
    for ep in child.episodes:
        if ep.referral_date < birth - timedelta(weeks=40):
            yield ep.record_id, f"{_ep(ep)}, born or due {_d(birth)}"


# --- Episodes ----------------------------------------------------------------------------


@child_rule("8600", "An episode's referral date is after 31 March, the end of the census year.")
def _referral_in_period(child, year):
    for ep in child.episodes:
        if ep.referral_date > year.reference_date:
            yield ep.record_id, _ep(ep)


@child_rule("8866", "The episode's referral source is missing or not a census code.")
def _referral_source(child, year):
    for ep in child.episodes:
        if ep.referral_source not in CODES[ReferralSource]:
            yield ep.record_id, f"{_ep(ep)}: source {ep.referral_source!r}"


@child_rule("8650", "The episode's primary need is not a census code (N0 to N9).")
def _primary_need_code(child, year):
    for ep in child.episodes:
        if ep.primary_need and ep.primary_need not in CODES[PrimaryNeed]:
            yield ep.record_id, f"{_ep(ep)}: primary need {ep.primary_need!r}"


@child_rule(
    "8610",
    "The episode went on to further action but has no primary need: record the primary need "
    "(from the assessment, or N0 'not stated').",
)
def _primary_need_missing(child, year):
    for ep in child.episodes:
        if not ep.referral_nfa and not ep.primary_need:
            yield ep.record_id, _ep(ep)


@child_rule("8620", "The episode's closure date is not in the census year.")
def _closure_in_year(child, year):
    for ep in child.episodes:
        if ep.closure_date and ep.closure_date not in year:
            yield ep.record_id, f"{_ep(ep)}, closed {_d(ep.closure_date)}"


@child_rule("8630", "The episode is closed before it was referred: correct the dates.")
def _closure_before_referral(child, year):
    for ep in child.episodes:
        if ep.closure_date and ep.closure_date < ep.referral_date:
            yield ep.record_id, f"{_ep(ep)}, closed {_d(ep.closure_date)}"


@child_rule("8640", "The episode's reason for closure is not a census code (RC1 to RC9).")
def _closure_reason_code(child, year):
    for ep in child.episodes:
        if ep.closure_reason and ep.closure_reason not in CODES[ClosureReason]:
            yield ep.record_id, f"{_ep(ep)}: reason {ep.closure_reason!r}"


@child_rule("8805", "The episode has a closure date but no reason for closure: record one.")
def _closure_without_reason(child, year):
    for ep in child.episodes:
        if ep.closure_date and not ep.closure_reason:
            yield ep.record_id, _ep(ep)


@child_rule("8810", "The episode has a reason for closure but no closure date: record it.")
def _reason_without_closure(child, year):
    for ep in child.episodes:
        if ep.closure_reason and not ep.closure_date:
            yield ep.record_id, _ep(ep)


@child_rule(
    "8831",
    "The referral is marked 'no further action' but has assessments, plans or enquiries: "
    "either the referral was not NFA, or the activity belongs to another episode.",
)
def _nfa_with_activity(child, year):
    for ep in child.episodes:
        if ep.referral_nfa and (ep.assessments or ep.cin_plans or ep.section47s or ep.cp_plans):
            yield ep.record_id, _ep(ep)


@child_rule("4000", "A child in need plan is recorded on a referral marked 'no further action'.")
def _nfa_with_cin_plan(child, year):
    for ep in child.episodes:
        if ep.referral_nfa and ep.cin_plans:
            yield ep.record_id, _ep(ep)


@child_rule(
    "2990",
    "The episode was closed after assessment (RC8 or RC9) but has a child in need plan, "
    "section 47 enquiry or child protection plan: correct the reason for closure.",
)
def _closed_after_assessment_with_activity(child, year):
    for ep in child.episodes:
        if ep.closure_reason in ("RC8", "RC9") and (ep.cin_plans or ep.section47s or ep.cp_plans):
            yield ep.record_id, f"{_ep(ep)}, closed {ep.closure_reason}"


@child_rule("8565", "Activity is dated after the episode was closed: check the dates.")
def _activity_after_closure(child, year):
    for ep, what, day in iter_episode_records(child):
        if ep.closure_date and day > ep.closure_date:
            yield ep.record_id, f"{_ep(ep)}, closed {_d(ep.closure_date)}: {what} {_d(day)}"


def _before_referral(kind: str):
    def check(child, year):
        for ep, what, day in iter_episode_records(child):
            if what == kind and day < ep.referral_date:
                yield ep.record_id, f"{_ep(ep)}: {what} {_d(day)}"

    return check


child_rule("1103", "An assessment starts before the episode's referral date.")(
    _before_referral("assessment start")
)
child_rule("4015", "A child in need plan starts before the episode's referral date.")(
    _before_referral("child in need plan start")
)
child_rule("2889", "A section 47 enquiry starts before the episode's referral date.")(
    _before_referral("section 47 enquiry start")
)
child_rule("1105", "A child protection plan starts before the episode's referral date.")(
    _before_referral("child protection plan start")
)


@child_rule("1104", "An initial child protection conference is dated before the referral.")
def _icpc_before_referral(child, year):
    for ep in child.episodes:
        for s in ep.section47s:
            if s.icpc_date and s.icpc_date < ep.referral_date:
                yield s.record_id, f"{_ep(ep)}: conference {_d(s.icpc_date)}"


def _open_not_nfa(child: CinChild) -> list[CinEpisode]:
    return [ep for ep in child.episodes if ep.closure_date is None and not ep.referral_nfa]


@child_rule("8815", "The child has more than one open episode: close the episodes that have ended.")
def _two_open_episodes(child, year):
    open_eps = _open_not_nfa(child)
    if len(open_eps) > 1:
        for ep in open_eps:
            yield ep.record_id, _ep(ep)


@child_rule(
    "8816", "An open episode is not the child's latest: close it, or check the referral dates."
)
def _open_episode_not_latest(child, year):
    if not child.episodes:
        return
    latest = max(ep.referral_date for ep in child.episodes)
    for ep in _open_not_nfa(child):
        if ep.referral_date < latest:
            yield ep.record_id, _ep(ep)


@child_rule("8820", "Two of the child's episodes overlap: check their referral and closure dates.")
def _episodes_overlap(child, year):
    eps = sorted(child.episodes, key=lambda e: e.referral_date)
    for i, a in enumerate(eps):
        for b in eps[i + 1 :]:
            a_open = a.closure_date is None and not a.referral_nfa
            if (a.closure_date and b.referral_date < a.closure_date) or (
                a_open and b.referral_date < year.reference_date
            ):
                yield b.record_id, f"{_ep(b)} overlaps {_ep(a)}"


# --- Assessments -------------------------------------------------------------------------


def _assessments(child):
    for ep in child.episodes:
        for a in ep.assessments:
            yield ep, a


@child_rule("8608", "An assessment is authorised before it started: correct the dates.")
def _assessment_order(child, year):
    for _ep, a in _assessments(child):
        if a.authorisation_date and a.authorisation_date < a.start_date:
            yield a.record_id, f"assessment started {_d(a.start_date)}"


@child_rule("8614", "Factors are recorded on an assessment that is not yet authorised (completed).")
def _factors_before_completion(child, year):
    for _ep, a in _assessments(child):
        if a.factors and not a.authorisation_date:
            yield a.record_id, f"assessment started {_d(a.start_date)}"


@child_rule("8696", "An assessment's authorisation date is not in the census year.")
def _assessment_completed_in_year(child, year):
    for _ep, a in _assessments(child):
        if a.authorisation_date and a.authorisation_date not in year:
            yield a.record_id, f"authorised {_d(a.authorisation_date)}"


@child_rule("8736", "An assessment not yet authorised must have started in the census year.")
def _open_assessment_started_in_year(child, year):
    for _ep, a in _assessments(child):
        if not a.authorisation_date and a.start_date not in year:
            yield a.record_id, f"assessment started {_d(a.start_date)}"


@child_rule(
    "8869", "Factor 21 ('no factors identified') is recorded with other factors: remove one."
)
def _no_factors_alone(child, year):
    for _ep, a in _assessments(child):
        if NO_FACTORS in a.factors and len(set(a.factors)) > 1:
            yield a.record_id, ", ".join(a.factors)


@child_rule("8898", "An assessment lists the same factor twice: remove the repeat.")
def _factor_repeated(child, year):
    for _ep, a in _assessments(child):
        for code, count in Counter(a.factors).items():
            if count > 1:
                yield a.record_id, f"factor {code}"


@child_rule("8896", "An episode has two or more assessments open at once: authorise or end one.")
def _two_open_assessments(child, year):
    for ep in child.episodes:
        open_ones = [a for a in ep.assessments if not a.authorisation_date]
        if len(open_ones) > 1:
            yield ep.record_id, f"{_ep(ep)}: {len(open_ones)} open assessments"


@child_rule("8867", "The episode is closed but an assessment on it is not authorised (completed).")
def _closed_with_open_assessment(child, year):
    for ep, a in _assessments(child):
        if ep.closure_date and not a.authorisation_date:
            yield a.record_id, f"{_ep(ep)}: assessment started {_d(a.start_date)}"


# --- Child in need plans -----------------------------------------------------------------


def _cin_plans(child):
    for ep in child.episodes:
        for p in ep.cin_plans:
            yield ep, p


@child_rule("4011", "A child in need plan ends before it starts: correct the dates.")
def _cin_plan_order(child, year):
    for _ep, p in _cin_plans(child):
        if p.end_date and p.end_date < p.start_date:
            yield p.record_id, f"plan started {_d(p.start_date)}"


def _more_than_one_open(plans):
    """Every open plan, when more than one of a kind is open (CIN 4004, CP 8935)."""
    open_plans = [p for p in plans if p.end_date is None]
    if len(open_plans) > 1:
        for p in open_plans:
            yield p.record_id, f"plan started {_d(p.start_date)}"


def _overlapping(plans):
    """Each plan that overlaps an earlier one of the same kind (CIN 4014, CP 8940)."""
    plans = sorted(plans, key=lambda p: p.start_date)
    for i, a in enumerate(plans):
        for b in plans[i + 1 :]:
            if _overlap(a.start_date, a.end_date, b.start_date, b.end_date):
                yield b.record_id, f"plan started {_d(b.start_date)} overlaps {_d(a.start_date)}"


@child_rule("4013", "A child in need plan's end date is not in the census year.")
def _cin_plan_end_in_year(child, year):
    for _ep, p in _cin_plans(child):
        if p.end_date and p.end_date not in year:
            yield p.record_id, f"plan ended {_d(p.end_date)}"


@child_rule("4004", "The child has more than one open child in need plan: end the old one.")
def _two_open_cin_plans(child, year):
    yield from _more_than_one_open(p for _ep, p in _cin_plans(child))


@child_rule("4014", "Two of the child's child in need plans overlap: check their dates.")
def _cin_plans_overlap(child, year):
    yield from _overlapping(p for _ep, p in _cin_plans(child))


@child_rule(
    "4001",
    "A child in need plan and a child protection plan are both open: end the child in need "
    "plan when the protection plan starts.",
)
def _open_cin_and_cp_plans(child, year):
    for ep in child.episodes:
        if any(p.end_date is None for p in ep.cin_plans) and any(
            p.end_date is None for p in ep.cp_plans
        ):
            yield ep.record_id, _ep(ep)


@child_rule("4010", "A child in need plan starts after 31 March, the end of the census year.")
def _cin_plan_start_in_period(child, year):
    for _ep, p in _cin_plans(child):
        if p.start_date > year.reference_date:
            yield p.record_id, f"plan started {_d(p.start_date)}"


@child_rule(
    "4016",
    "A child in need plan starts while a child protection plan is open: a child is on one "
    "plan or the other.",
)
def _cin_plan_during_cp_plan(child, year):
    cps = [p for _ep, p in _cp_plans(child)]
    for _ep, cin in _cin_plans(child):
        for cp in cps:
            if cin.start_date >= cp.start_date and (
                (cp.end_date is not None and cin.start_date < cp.end_date)
                or (cp.end_date is None and cin.start_date <= year.reference_date)
            ):
                yield cin.record_id, f"plan started {_d(cin.start_date)}"


@child_rule(
    "4017",
    "A child protection plan starts while a child in need plan is open: end the child in "
    "need plan on the day the protection plan starts.",
)
def _cp_plan_during_cin_plan(child, year):
    cins = [p for _ep, p in _cin_plans(child)]
    for _ep, cp in _cp_plans(child):
        for cin in cins:
            if cp.start_date >= cin.start_date and (
                (cin.end_date is not None and cp.start_date < cin.end_date)
                or (cin.end_date is None and cp.start_date <= year.reference_date)
            ):
                yield cp.record_id, f"plan started {_d(cp.start_date)}"


@child_rule(
    "4003",
    "A child protection plan review is dated while a child in need plan was open: a child is "
    "on one plan or the other.",
)
def _review_during_cin_plan(child, year):
    # As DfE's rule: only ended plans of both kinds, and not the review that ended the plan.
    cins = [p for _ep, p in _cin_plans(child)]
    for _ep, cp in _cp_plans(child):
        if cp.end_date is None:
            continue
        for day in cp.review_dates:
            if day == cp.end_date:
                continue
            for cin in cins:
                if cin.start_date <= day and cin.end_date is not None and day < cin.end_date:
                    yield cp.record_id, f"review {_d(day)}, plan started {_d(cp.start_date)}"


@child_rule("4008", "A child in need plan starts after the child's date of death.")
def _cin_plan_after_death(child, year):
    for _ep, p in _cin_plans(child):
        if child.death_date and p.start_date > child.death_date:
            yield p.record_id, f"plan started {_d(p.start_date)}"


# --- Section 47 enquiries ----------------------------------------------------------------


def _enquiries(child):
    for ep in child.episodes:
        for s in ep.section47s:
            yield ep, s


def _s47_open(s) -> bool:
    return s.icpc_date is None and not s.icpc_not_required


@child_rule("8615", "An initial child protection conference is dated before its section 47.")
def _icpc_before_s47(child, year):
    for _ep, s in _enquiries(child):
        if s.icpc_date and s.icpc_date < s.start_date:
            yield s.record_id, f"enquiry {_d(s.start_date)}, conference {_d(s.icpc_date)}"


@child_rule(
    "8740",
    "A section 47 enquiry with no initial conference by 31 March must have started in the "
    "census year: record the conference, or that none was needed.",
)
def _open_s47_in_year(child, year):
    for _ep, s in _enquiries(child):
        if s.icpc_date is None and s.start_date not in year:
            yield s.record_id, f"enquiry started {_d(s.start_date)}"


@child_rule("8715", "An initial child protection conference is dated outside the census year.")
def _icpc_in_year(child, year):
    for _ep, s in _enquiries(child):
        if s.icpc_date and s.icpc_date not in year:
            yield s.record_id, f"conference {_d(s.icpc_date)}"


@child_rule("8875", "An initial child protection conference is dated on a weekend.")
def _icpc_weekend(child, year):
    for _ep, s in _enquiries(child):
        if s.icpc_date and s.icpc_date.weekday() >= 5:
            yield s.record_id, f"conference {s.icpc_date:%A} {_d(s.icpc_date)}"


@child_rule("8839", "An episode has two or more section 47 enquiries open at once: conclude one.")
def _two_open_s47s(child, year):
    for ep in child.episodes:
        if sum(1 for s in ep.section47s if _s47_open(s)) > 1:
            yield ep.record_id, _ep(ep)


@child_rule(
    "8890",
    "A section 47 enquiry starts while another on the same episode is still going on: "
    "record the first one's conference, or that none was needed.",
)
def _s47_during_s47(child, year):
    for ep in child.episodes:
        for a in ep.section47s:
            for b in ep.section47s:
                if a is b or (a.start_date == b.start_date and a.icpc_date == b.icpc_date):
                    continue
                if a.start_date >= b.start_date and (
                    (b.icpc_date is not None and a.start_date <= b.icpc_date)
                    or (
                        b.icpc_date is None
                        and not b.icpc_not_required
                        and a.start_date <= year.reference_date
                    )
                ):
                    yield a.record_id, f"enquiry started {_d(a.start_date)}"


@child_rule(
    "8868",
    "The episode is closed but a section 47 enquiry on it has neither an initial conference "
    "nor an outcome saying no conference was needed.",
)
def _closed_with_open_s47(child, year):
    for ep, s in _enquiries(child):
        if ep.closure_date and _s47_open(s):
            yield s.record_id, f"{_ep(ep)}: enquiry started {_d(s.start_date)}"


# --- Child protection plans --------------------------------------------------------------


def _cp_plans(child):
    for ep in child.episodes:
        for p in ep.cp_plans:
            yield ep, p


@child_rule("8720", "A child protection plan starts after 31 March, the end of the census year.")
def _cp_plan_start_in_period(child, year):
    for _ep, p in _cp_plans(child):
        if p.start_date > year.reference_date:
            yield p.record_id, f"plan started {_d(p.start_date)}"


@child_rule("8832", "A child protection plan is recorded on a referral marked 'no further action'.")
def _nfa_with_cp_plan(child, year):
    for ep in child.episodes:
        if ep.referral_nfa and ep.cp_plans:
            yield ep.record_id, _ep(ep)


@child_rule("8730", "A child protection plan has no number of previous plans.")
def _previous_plans(child, year):
    for _ep, p in _cp_plans(child):
        if p.previous_plans is None:
            yield p.record_id, f"plan started {_d(p.start_date)}"


@child_rule("8840", "A child protection plan starts and ends on the same day.")
def _cp_plan_same_day(child, year):
    for _ep, p in _cp_plans(child):
        if p.end_date == p.start_date:
            yield p.record_id, f"plan {_d(p.start_date)}"


@child_rule("8925", "A child protection plan ends before it starts: correct the dates.")
def _cp_plan_order(child, year):
    for _ep, p in _cp_plans(child):
        if p.end_date and p.end_date < p.start_date:
            yield p.record_id, f"plan started {_d(p.start_date)}"


@child_rule("8930", "A child protection plan's end date is not in the census year.")
def _cp_plan_end_in_year(child, year):
    for _ep, p in _cp_plans(child):
        if p.end_date and p.end_date not in year:
            yield p.record_id, f"plan ended {_d(p.end_date)}"


@child_rule(
    "8841", "A child protection plan review is dated on or before the day the plan started."
)
def _review_after_start(child, year):
    for _ep, p in _cp_plans(child):
        for day in p.review_dates:
            if day <= p.start_date:
                yield p.record_id, f"plan started {_d(p.start_date)}, review {_d(day)}"


@child_rule("8905", "A child protection plan's initial category of abuse is not a census code.")
def _initial_category(child, year):
    for _ep, p in _cp_plans(child):
        if p.initial_category not in CODES[CategoryOfAbuse]:
            yield p.record_id, f"category {p.initial_category!r}"


@child_rule("8910", "A child protection plan's latest category of abuse is not a census code.")
def _latest_category(child, year):
    for _ep, p in _cp_plans(child):
        if p.latest_category not in CODES[CategoryOfAbuse]:
            yield p.record_id, f"category {p.latest_category!r}"


@child_rule("8915", "A child protection plan starts after the child's date of death.")
def _cp_plan_after_death(child, year):
    for _ep, p in _cp_plans(child):
        if child.death_date and p.start_date > child.death_date:
            yield p.record_id, f"plan started {_d(p.start_date)}"


@child_rule("8920", "A child protection plan ends after the child's date of death.")
def _cp_plan_ends_after_death(child, year):
    for _ep, p in _cp_plans(child):
        if child.death_date and p.end_date and p.end_date > child.death_date:
            yield p.record_id, f"plan ended {_d(p.end_date)}"


@child_rule("8935", "The child has more than one open child protection plan: end the old one.")
def _two_open_cp_plans(child, year):
    yield from _more_than_one_open(p for _ep, p in _cp_plans(child))


@child_rule("8940", "Two of the child's child protection plans overlap: check their dates.")
def _cp_plans_overlap(child, year):
    yield from _overlapping(p for _ep, p in _cp_plans(child))


@child_rule(
    "2885",
    "A child protection plan that started in the year does not start on the day of an initial "
    "conference on its episode: the plan starts at the conference that decided it.",
)
def _cp_plan_starts_at_icpc(child, year):
    for ep in child.episodes:
        icpcs = {s.icpc_date for s in ep.section47s if not s.icpc_not_required}
        if not icpcs:
            continue
        for p in ep.cp_plans:
            if p.start_date in year and p.start_date not in icpcs:
                yield p.record_id, f"plan started {_d(p.start_date)}"


# --- Queries -----------------------------------------------------------------------------
# A query (DfE number ending in Q) is something the authority must confirm or explain before
# submitting; the record may well be right. Queries do not stop the export. Each follows
# what csc-validator-be-cin checks for the year's ruleset, on the record as the writer emits
# it (an expected date of birth is sent only for an unborn child). Not here, because the file
# never carries what it looks at: 8842Q (a review with no date).


@cache
def _working_days_before(day: date, n: int) -> date:
    """The n-th working day before ``day``, counting ``day`` itself when it is one (as the
    census counts "n working days before 31 March"); the day itself for n = 1 on a working
    day, and the first working day on or after it for n = 1 on a weekend or bank holiday."""
    if n == 1:
        return day if is_working_day(day) else add_working_days(day, 1)
    return add_working_days(day, -(n - 1))


def _sent_expected_birth(child: CinChild) -> date | None:
    return child.expected_birth_date if child.birth_date is None else None


@child_rule(
    "8525Q",
    "The child has neither a date of birth nor an expected date of birth: record one.",
    level=QUERY,
)
def _no_birth_date(child, year):
    if child.birth_date is None and child.expected_birth_date is None:
        yield None, ""


@child_rule(
    "8530Q",
    "The unborn child's expected date of birth is not between March and December of the "
    "year the census ends: check it, or record the birth.",
    level=QUERY,
)
def _expected_birth_out_of_range(child, year):
    due = _sent_expected_birth(child)
    ref = year.reference_date
    if due and (due >= add_months(ref, 9) or due <= ref - timedelta(days=30)):
        yield None, f"due {_d(due)}"


@child_rule(
    "8535Q",
    "The child has a date of death but no date of birth, or one after it: check both dates.",
    level=QUERY,
)
def _death_before_birth(child, year):
    if child.death_date and (child.birth_date is None or child.birth_date > child.death_date):
        yield None, f"born {_d(child.birth_date)}, died {_d(child.death_date)}"


@child_rule("8545Q", "The child's date of death is not in the census year: check it.", level=QUERY)
def _death_in_year(child, year):
    if child.death_date and child.death_date not in year:
        yield None, f"died {_d(child.death_date)}"


@child_rule(
    "8555Q",
    "An episode's referral is dated after the child's date of death: check both.",
    level=QUERY,
)
def _referral_after_death(child, year):
    if child.death_date:
        for ep in child.episodes:
            if ep.referral_date > child.death_date:
                yield ep.record_id, f"{_ep(ep)}, died {_d(child.death_date)}"


@child_rule(
    "8569Q",
    "A referral from before the census year is marked 'no further action': an episode that "
    "ended at referral belongs to the year it was referred in. Check the referral date.",
    level=QUERY,
)
def _old_referral_nfa(child, year):
    first = _working_days_before(year.start, 1)
    for ep in child.episodes:
        if ep.referral_nfa and ep.referral_date < first:
            yield ep.record_id, _ep(ep)


@child_rule(
    "8585Q",
    "An episode was closed because the child died (RC2) but the child has no date of death: "
    "record it, or correct the reason for closure.",
    level=QUERY,
)
def _died_without_death_date(child, year):
    if child.death_date is None:
        for ep in child.episodes:
            if ep.closure_reason == "RC2":
                yield ep.record_id, _ep(ep)


@child_rule(
    "1560Q",
    "The former UPN is not a letter followed by 12 digits: check it and correct it, or "
    "remove it.",
    level=QUERY,
)
def _former_upn_shape(child, year):
    former = child.former_upn
    if former and not (len(former) == 13 and former[0].isalpha() and former[1:].isdigit()):
        yield None, f"former UPN {former}"


# The reasons for a missing UPN that can apply to a child of school age (all but UN1).
SCHOOL_AGE_UPN_UNKNOWN = frozenset({"UN2", "UN3", "UN4", "UN5", "UN6", "UN7"})


@child_rule(
    "8770Q",
    "The child is of school age and has no UPN: record the child's unique pupil number.",
    level=QUERY,
)
def _school_age_without_upn(child, year):
    # Of school age on 31 August after the census: five by then, born by 31 August six years
    # before it. A reason for the missing UPN answers the query, except UN1 ("not of school
    # age"), which cannot be true of a child of school age.
    school_age_born_by = date(year.reference_date.year - 6, 8, 31)
    if (
        not child.upn
        and child.upn_unknown.upper() not in SCHOOL_AGE_UPN_UNKNOWN
        and child.birth_date
        and child.birth_date <= school_age_born_by
        and any(not ep.referral_nfa for ep in child.episodes)
    ):
        yield None, f"born {_d(child.birth_date)}"


@child_rule(
    "8775Q",
    "The child was 25 or over on 31 March and has an episode open after their 25th birthday: "
    "check the date of birth, or close the episode.",
    level=QUERY,
)
def _over_25(child, year):
    born = child.birth_date
    if born is None or born >= add_months(year.reference_date, -300):
        return
    twenty_five = add_months(born, 300)
    for ep in child.episodes:
        if ep.closure_date is None or ep.closure_date > twenty_five:
            yield ep.record_id, f"{_ep(ep)}, born {_d(born)}"


@child_rule(
    "8825Q",
    "The episode was closed after assessment (RC8 or RC9) but has no assessment: record the "
    "assessment, or correct the reason for closure.",
    level=QUERY,
)
def _closed_after_assessment_without_one(child, year):
    for ep in child.episodes:
        if ep.closure_reason in ("RC8", "RC9") and not ep.assessments:
            yield ep.record_id, f"{_ep(ep)}, closed {ep.closure_reason}"


@child_rule(
    "2991Q",
    "The episode has a section 47 enquiry but no assessment: record the assessment, or "
    "confirm there was none.",
    level=QUERY,
)
def _s47_without_assessment(child, year):
    for ep in child.episodes:
        if ep.section47s and not ep.assessments:
            yield ep.record_id, _ep(ep)


@child_rule(
    "8670Q",
    "An assessment started more than 45 working days ago (counting back from 31 March for "
    "the return) and is still not authorised: record its authorisation, or confirm it is "
    "still going on.",
    level=QUERY,
    timed=True,
)
def _long_open_assessment(child, year, as_at):
    limit = _working_days_before(as_at, 45)
    for _ep, a in _assessments(child):
        if a.authorisation_date is None and a.start_date < limit:
            yield a.record_id, f"assessment started {_d(a.start_date)}"


@child_rule(
    "8863Q",
    "An assessment starts while another on the same episode is still going on: check their "
    "start and authorisation dates.",
    level=QUERY,
)
def _assessment_during_assessment(child, year):
    ref = year.reference_date
    for ep in child.episodes:
        for a in ep.assessments:
            for b in ep.assessments:
                if (a.start_date, a.authorisation_date) == (b.start_date, b.authorisation_date):
                    continue
                if a.start_date >= b.start_date and (
                    (b.authorisation_date is not None and a.start_date <= b.authorisation_date)
                    or (b.authorisation_date is None and a.start_date <= ref)
                ):
                    yield a.record_id, f"assessment started {_d(a.start_date)}"


@child_rule(
    "8873Q",
    "The episode's only assessment found no factors (21) but the episode is not closed as "
    "'closed after assessment' (RC8 or RC9): check the factors and the reason for closure.",
    level=QUERY,
)
def _no_factors_not_closed_after_assessment(child, year):
    for ep in child.episodes:
        if (
            len(ep.assessments) == 1
            and any("21" in f for f in ep.assessments[0].factors)
            and ep.closure_reason not in ("RC8", "RC9")
        ):
            yield ep.assessments[0].record_id, f"{_ep(ep)}, closure {ep.closure_reason or 'none'}"


@child_rule(
    "8897Q",
    "An assessment authorised in the census year has no factors, or a factor that is not a "
    "census code: record the factors identified (21 if none).",
    level=QUERY,
)
def _authorised_assessment_factors(child, year):
    for _ep, a in _assessments(child):
        if a.authorisation_date is None or a.authorisation_date < year.start:
            continue
        if not a.factors:
            yield a.record_id, f"assessment started {_d(a.start_date)}: no factors"
        for code in a.factors:
            if code not in _KNOWN_FACTORS:
                yield a.record_id, f"assessment started {_d(a.start_date)}: factor {code!r}"


# Factors 18A and 19A were replaced by 18B/18C and 19B/19C; a return may still carry them, and
# DfE asks about them (8945Q, 8950Q) rather than counting them as unknown codes (8897Q).
RETIRED_FACTORS = {"18A": "18B or 18C", "19A": "19B or 19C"}
_KNOWN_FACTORS = frozenset(Factor.values) | RETIRED_FACTORS.keys()


def _retired_factor(code: str):
    def check(child, year):
        for _ep, a in _assessments(child):
            if code in a.factors:
                yield a.record_id, f"assessment started {_d(a.start_date)}: factor {code}"

    return check


child_rule(
    "8945Q",
    f"An assessment records factor 18A, no longer in use: record {RETIRED_FACTORS['18A']}.",
    level=QUERY,
)(_retired_factor("18A"))
child_rule(
    "8950Q",
    f"An assessment records factor 19A, no longer in use: record {RETIRED_FACTORS['19A']}.",
    level=QUERY,
)(_retired_factor("19A"))


@child_rule(
    "4012Q",
    "A child in need plan starts and ends on the same day: check its dates.",
    level=QUERY,
)
def _cin_plan_same_day(child, year):
    for _ep, p in _cin_plans(child):
        if p.end_date == p.start_date:
            yield p.record_id, f"plan {_d(p.start_date)}"


@child_rule(
    "4009Q",
    "A child in need plan ends after the child's date of death: check both dates.",
    level=QUERY,
)
def _cin_plan_ends_after_death(child, year):
    for _ep, p in _cin_plans(child):
        if child.death_date and p.end_date and p.end_date > child.death_date:
            yield p.record_id, f"plan ended {_d(p.end_date)}"


@child_rule(
    "8675Q",
    "A section 47 enquiry started more than 15 working days ago (counting back from 31 March "
    "for the return) and has no initial conference, nor an outcome saying none was needed: "
    "record which.",
    level=QUERY,
    timed=True,
)
def _long_open_s47(child, year, as_at):
    limit = _working_days_before(as_at, 15)
    for _ep, s in _enquiries(child):
        if _s47_open(s) and s.start_date < limit:
            yield s.record_id, f"enquiry started {_d(s.start_date)}"


@child_rule(
    "8870Q",
    "The target date for the initial child protection conference is on a weekend: check it.",
    level=QUERY,
)
def _icpc_target_weekend(child, year):
    for _ep, s in _enquiries(child):
        if s.icpc_target and s.icpc_target.weekday() >= 5:
            yield s.record_id, f"target {s.icpc_target:%A} {_d(s.icpc_target)}"


# --- Across the return -------------------------------------------------------------------


@return_rule("8510", "Another child in the return has the same LA child id: one must change.")
def _duplicate_la_child_id(census):
    counts = Counter(c.la_child_id for c in census.children if c.la_child_id)
    for child in census.children:
        if counts[child.la_child_id] > 1:
            yield child, (None, f"LA child id {child.la_child_id}")


@return_rule("1520", "Another child in the return has the same UPN: one must change.")
def _duplicate_upn(census):
    counts = Counter(c.upn for c in census.children if c.upn)
    for child in census.children:
        if child.upn and counts[child.upn] > 1:
            yield child, (None, f"UPN {child.upn}")


@return_rule(
    "2883",
    "More child protection plans start in the year than initial conferences are recorded in "
    "it: record each plan's initial conference on its section 47 enquiry.",
)
def _plans_without_conferences(census):
    year = census.year
    episodes = [ep for c in census.children for ep in c.episodes]
    plans = sum(1 for ep in episodes for p in ep.cp_plans if p.start_date in year)
    icpcs = sum(1 for ep in episodes for s in ep.section47s if s.icpc_date and s.icpc_date in year)
    if plans > icpcs:
        yield None, (None, f"{plans} plans started in the year, {icpcs} initial conferences")


# Queries about the return as a whole (no one child to fix).


@return_rule(
    "2886Q",
    "More than 2% of the children in the return (unborn children aside) have their sex "
    "recorded as not known: check their records.",
    level=QUERY,
)
def _many_sex_unknown(census):
    children = census.children
    unknown = sum(1 for c in children if c.sex == Sex.UNKNOWN and _sent_expected_birth(c) is None)
    if children and unknown / len(children) > 0.02:
        yield None, (None, f"{unknown} of {len(children)} children")


@return_rule(
    "2887Q",
    "Fewer than 8 children in the return are recorded as having no disability (NONE): check "
    "that children without a disability are recorded as such, not left blank.",
    level=QUERY,
)
def _few_recorded_without_disability(census):
    # DfE's wording is "less than 8 disability codes have been used"; its validator counts the
    # NONE entries, and Safeguard checks the same so that both give the same answer.
    none = sum(c.disabilities.count(Disability.NONE) for c in census.children)
    if none <= 7:
        yield None, (None, f"{none} children recorded with no disability")


@return_rule(
    "2888Q",
    "No child in the return has more than one disability recorded: record every disability "
    "a child has.",
    level=QUERY,
)
def _one_disability_each(census):
    counts = [sum(1 for d in c.disabilities if d != Disability.NONE) for c in census.children]
    if any(counts) and max(counts) <= 1:
        yield None, (None, f"{sum(counts)} children with one disability each")


def iter_rules() -> Iterator[ChildRule | ReturnRule]:
    yield from CHILD_RULES
    yield from RETURN_RULES
