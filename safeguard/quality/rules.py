"""The data-quality rules, checked for one child at a time.

Safeguard's own rules (ids ``SG...``) are declared below; each takes the child (a Person with
their cases and steps loaded, see ``services.CHILD_PREFETCH``) and today's date, and yields
``Found`` for each record that breaks it. The DfE CIN census rules that apply to one child
(``returns.validators.cin.CHILD_RULES``) are added by ``cin_findings``, run on the child's
census record for the current census year, with ids ``CIN <rule number>``.

To add a rule: write the check under ``@rule(...)`` and a test in ``tests/test_rules.py`` with
a record that just breaks it and one that just passes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from safeguard.assessments.codes import Factor
from safeguard.casework.codes import ClosureReason, PrimaryNeed, ReferralSource
from safeguard.people.codes import Disability, Ethnicity, Sex
from safeguard.protection.codes import CategoryOfAbuse
from safeguard.returns.builders.cin import CinChild
from safeguard.returns.census import CensusYear
from safeguard.returns.validators.cin import QUERY, validate_cin_child

ERROR = "error"
# An open case left with no allocated worker for more than this many days is an error.
UNALLOCATED_DAYS = 5


@dataclass(frozen=True)
class Found:
    rule: str
    severity: str
    message: str
    detail: str
    record_type: str
    record_id: UUID | None
    case_id: UUID | None


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    message: str
    check: Callable


RULES: list[Rule] = []


def rule(rule_id: str, title: str, message: str):
    def register(check):
        RULES.append(Rule(rule_id, title, message, check))
        return check

    return register


def census_year_of(day: date) -> CensusYear:
    """The census year (1 April to 31 March) that ``day`` falls in."""
    return CensusYear(day.year if day >= date(day.year, 4, 1) else day.year - 1)


def _d(day: date) -> str:
    return f"{day:%d %B %Y}".lstrip("0")


def _label(obj) -> str:
    return obj._meta.label_lower


def _cases(person):
    return list(person.cases.all())


def _open_plans(case, today: date):
    for plan in [*case.cp_plans.all(), *case.cin_plans.all()]:
        if plan.is_open_on(today):
            yield plan


# --- Missing data --------------------------------------------------------------------------


@rule(
    "SG01",
    "Date of birth missing for a child on a plan",
    "The child is on a child protection or child in need plan but has no date of birth (or, "
    "unborn, an expected date of birth that has passed): record the date of birth.",
)
def _dob_missing(person, today: date) -> Iterator[tuple]:
    if person.date_of_birth:
        return
    if person.expected_date_of_birth and person.expected_date_of_birth >= today:
        return
    for case in _cases(person):
        plan = next(_open_plans(case, today), None)
        if plan is not None:
            yield person, case, ""
            return


@rule(
    "SG02",
    "Open case with no allocated worker",
    f"The case is open but has had no allocated worker for more than {UNALLOCATED_DAYS} days: "
    "allocate it.",
)
def _unallocated(person, today: date):
    for case in _cases(person):
        if case.closure_date is not None or case.referral_date > today:
            continue
        allocations = list(case.allocations.all())
        if any(a.is_open_on(today) for a in allocations):
            continue
        since = max([case.referral_date, *(a.end_date for a in allocations if a.end_date)])
        if today - since > timedelta(days=UNALLOCATED_DAYS):
            yield case, case, f"unallocated since {_d(since)}"


# --- Contradictory data --------------------------------------------------------------------


@rule(
    "SG03",
    "Plan open on a closed case",
    "The case is closed but a plan on it is still open, or ends after the closure: end the "
    "plan, or reopen the case.",
)
def _plan_open_after_closure(person, today: date):
    for case in _cases(person):
        if case.closure_date is None:
            continue
        for plan in [*case.cp_plans.all(), *case.cin_plans.all()]:
            if plan.end_date is None or plan.end_date > case.closure_date:
                what = plan._meta.verbose_name
                yield plan, case, f"{what} started {_d(plan.start_date)}"


@rule(
    "SG04",
    "Date of death before date of birth",
    "The child's date of death is before their date of birth: correct the dates.",
)
def _death_before_birth(person, today: date):
    if (
        person.date_of_birth
        and person.date_of_death
        and person.date_of_death < person.date_of_birth
    ):
        yield person, None, f"born {_d(person.date_of_birth)}, died {_d(person.date_of_death)}"


# --- Dates out of order --------------------------------------------------------------------


def _steps(case):
    for a in case.assessments.all():
        yield a, "assessment", a.start_date
    for p in case.cin_plans.all():
        yield p, "child in need plan", p.start_date
    for s in case.strategy_discussions.all():
        yield s, "strategy discussion", s.discussion_date
    for e in case.section47s.all():
        yield e, "section 47 enquiry", e.start_date
    for c in case.conferences.all():
        yield c, "conference", c.conference_date
    for p in case.cp_plans.all():
        yield p, "child protection plan", p.start_date
    for v in case.visits.all():
        yield v, "visit", v.visit_date


@rule(
    "SG05",
    "Step dated before the referral",
    "A step on the case is dated before the case's referral date: correct the step's date or "
    "the referral date.",
)
def _step_before_referral(person, today: date):
    for case in _cases(person):
        for obj, what, day in _steps(case):
            if day < case.referral_date:
                yield obj, case, f"{what} dated {_d(day)}, referral {_d(case.referral_date)}"


@rule(
    "SG06",
    "Step dated before the step it follows",
    "A section 47 enquiry starts before its strategy discussion, or a conference is dated "
    "before its section 47 enquiry started: correct the dates.",
)
def _step_order(person, today: date):
    for case in _cases(person):
        discussions = {d.pk: d for d in case.strategy_discussions.all()}
        enquiries = {e.pk: e for e in case.section47s.all()}
        for e in enquiries.values():
            d = discussions.get(e.strategy_discussion_id)
            if d is not None and e.start_date < d.discussion_date:
                yield (
                    e,
                    case,
                    (f"enquiry started {_d(e.start_date)}, discussion {_d(d.discussion_date)}"),
                )
        for c in case.conferences.all():
            e = enquiries.get(c.section47_id)
            if e is not None and c.conference_date < e.start_date:
                yield (
                    c,
                    case,
                    (f"conference {_d(c.conference_date)}, enquiry started {_d(e.start_date)}"),
                )


@rule(
    "SG07",
    "Step dated in the future",
    "A step is dated after today: a step is recorded when it has happened. Correct the date.",
)
def _future_step(person, today: date):
    for case in _cases(person):
        if case.referral_date > today:
            yield case, case, f"referral dated {_d(case.referral_date)}"
        for obj, what, day in _steps(case):
            if day > today and what not in ("child protection plan", "child in need plan"):
                yield obj, case, f"{what} dated {_d(day)}"


# --- Codes ---------------------------------------------------------------------------------


def _code_problems(person) -> Iterator[tuple]:
    if person.sex not in Sex.values:
        yield person, None, f"sex {person.sex!r}"
    if person.ethnicity not in Ethnicity.values:
        yield person, None, f"ethnicity {person.ethnicity!r}"
    for code in person.disabilities or ():
        if code not in Disability.values:
            yield person, None, f"disability {code!r}"
    for case in _cases(person):
        if case.referral_source not in ReferralSource.values:
            yield case, case, f"referral source {case.referral_source!r}"
        if case.primary_need and case.primary_need not in PrimaryNeed.values:
            yield case, case, f"primary need {case.primary_need!r}"
        if case.closure_reason and case.closure_reason not in ClosureReason.values:
            yield case, case, f"reason for closure {case.closure_reason!r}"
        for a in case.assessments.all():
            for code in a.factors or ():
                if code not in Factor.values:
                    yield a, case, f"assessment factor {code!r}"
        for p in case.cp_plans.all():
            for code in {p.initial_category, p.latest_category}:
                if code not in CategoryOfAbuse.values:
                    yield p, case, f"category of abuse {code!r}"


@rule(
    "SG08",
    "Code not valid for the census year",
    "A code on the record is not one of the codes of the current census year: choose a "
    "current code.",
)
def _codes(person, today: date):
    yield from _code_problems(person)


def own_findings(person, today: date) -> list[Found]:
    found = []
    for r in RULES:
        for obj, case, detail in r.check(person, today):
            found.append(
                Found(
                    rule=r.id,
                    severity=ERROR,
                    message=r.message,
                    detail=detail,
                    record_type=_label(obj),
                    record_id=obj.pk,
                    case_id=case.pk if case is not None else None,
                )
            )
    return found


def _record_index(person) -> dict[UUID, tuple[str, UUID]]:
    """Each of the child's record ids -> (model label, case id)."""
    index = {person.pk: ("people.person", None)}
    for case in _cases(person):
        index[case.pk] = ("casework.case", case.pk)
        for obj, _what, _day in _steps(case):
            index[obj.pk] = (_label(obj), case.pk)
    return index


def cin_findings(
    person, child: CinChild | None, year: CensusYear, today: date | None = None
) -> list[Found]:
    """The DfE census rules that apply to one child, on their record for ``year``: errors and
    queries (to confirm, not necessarily wrong). The queries about time gone by count back
    from ``today`` during the year (an assessment open 45 working days now), not from the
    31 March still to come."""
    if child is None:
        return []
    index = _record_index(person)
    found = []
    for f in validate_cin_child(child, year, as_at=today):
        record_type, case_id = index.get(f.record_id, ("people.person", None))
        found.append(
            Found(
                rule=f"CIN {f.code}",
                severity=QUERY if f.level == QUERY else ERROR,
                message=f.message,
                detail=f.detail,
                record_type=record_type,
                record_id=f.record_id or person.pk,
                case_id=case_id,
            )
        )
    return found


def all_rules() -> Iterable[tuple[str, str]]:
    """(id, title) of every rule, for the summary page."""
    from safeguard.returns.validators.cin import CHILD_RULES

    yield from ((r.id, r.title) for r in RULES)
    yield from ((f"CIN {r.code}", r.message) for r in CHILD_RULES)
