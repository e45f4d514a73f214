"""The CIN census return for one year, built from the records as frozen dataclasses.

What a year's return holds is set out in kpis.md §6 ("Export"). Everything is as at the
census reference date (31 March): a date after it has not happened yet for this return, so an
episode closed in April shows as open, an assessment authorised in April as not yet
authorised, and so on. That keeps a return for a past year the same whenever it is made.

The dataclasses keep Safeguard's record ids beside the census items so that a validation
failure can point at the record to fix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db.models import Prefetch, Q

from safeguard.accounts.models import LocalAuthority
from safeguard.assessments.models import Assessment
from safeguard.casework.models import Case, CINPlan
from safeguard.core.workdays import add_working_days
from safeguard.people.models import Person
from safeguard.protection.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    ConferenceKind,
    Section47Enquiry,
    StrategyDiscussion,
)
from safeguard.returns.census import CensusYear

# Children are read in batches, each with its episodes prefetched, so a large borough takes a
# bounded number of queries per batch and the progress bar moves as the batches are done.
BATCH_SIZE = 250

# Working Together 2010 and 2013 onward: the ICPC within 15 working days of the strategy
# discussion, the last one if several were held (InitialCPCtarget, N00105).
ICPC_TARGET_WORKING_DAYS = 15


@dataclass(frozen=True)
class CinAssessment:
    record_id: UUID
    start_date: date
    internal_review_date: date | None
    authorisation_date: date | None
    factors: tuple[str, ...]


@dataclass(frozen=True)
class CinPlanDates:
    record_id: UUID
    start_date: date
    end_date: date | None


@dataclass(frozen=True)
class CinSection47:
    record_id: UUID
    start_date: date
    icpc_target: date | None
    icpc_date: date | None
    icpc_not_required: bool


@dataclass(frozen=True)
class CinProtectionPlan:
    record_id: UUID
    start_date: date
    end_date: date | None
    initial_category: str
    latest_category: str
    previous_plans: int | None
    review_dates: tuple[date, ...]


@dataclass(frozen=True)
class CinEpisode:
    record_id: UUID
    referral_date: date
    referral_source: str
    primary_need: str
    closure_date: date | None
    closure_reason: str
    referral_nfa: bool
    assessments: tuple[CinAssessment, ...] = ()
    cin_plans: tuple[CinPlanDates, ...] = ()
    section47s: tuple[CinSection47, ...] = ()
    cp_plans: tuple[CinProtectionPlan, ...] = ()
    # The episode's own DateOfInitialCPC: an initial conference in the year recorded without
    # a section 47 enquiry (only ever from an import; Safeguard records it on the enquiry).
    icpc_date: date | None = None


@dataclass(frozen=True)
class CinChild:
    person_id: UUID
    la_child_id: str
    upn: str
    birth_date: date | None
    expected_birth_date: date | None
    sex: str
    death_date: date | None
    ethnicity: str
    disabilities: tuple[str, ...]
    episodes: tuple[CinEpisode, ...]
    former_upn: str = ""
    upn_unknown: str = ""  # UN1-UN7: why there is no UPN

    @property
    def is_unborn(self) -> bool:
        return self.birth_date is None


@dataclass(frozen=True)
class CinReturn:
    year: CensusYear
    la_code: str
    children: tuple[CinChild, ...]


Progress = Callable[[int, int], None]


def _as_at(day: date | None, reference: date) -> date | None:
    """A date that is after the reference date has not happened yet for this return."""
    return day if day is not None and day <= reference else None


def children_in_year_queryset(*, authority: LocalAuthority, year: CensusYear):
    """Children with an episode referred on or before the reference date and not closed
    before the year began."""
    in_year = Q(cases__referral_date__lte=year.reference_date) & (
        Q(cases__closure_date__isnull=True) | Q(cases__closure_date__gte=year.start)
    )
    return (
        Person.objects.filter(authority=authority)
        .filter(in_year, cases__authority=authority)
        .distinct()
        .order_by("la_child_id", "id")
    )


def _batch(ids: list[UUID]):
    # Only the columns the return uses, into plain lists (to_attr): a large return spent most
    # of its time making model instances and a queryset for each related manager's .all().
    cases = (
        Case.objects.order_by("referral_date", "id")
        .only(
            "child_id",
            "authority_id",
            "referral_date",
            "referral_source",
            "referral_nfa",
            "primary_need",
            "closure_date",
            "closure_reason",
        )
        .prefetch_related(
            Prefetch(
                "assessments",
                to_attr="census_assessments",
                queryset=Assessment.objects.order_by("start_date", "id").only(
                    "case_id", "start_date", "internal_review_date", "completed_date", "factors"
                ),
            ),
            Prefetch(
                "cin_plans",
                to_attr="census_cin_plans",
                queryset=CINPlan.objects.order_by("start_date", "id").only(
                    "case_id", "start_date", "end_date"
                ),
            ),
            Prefetch(
                "strategy_discussions",
                to_attr="census_strategy_discussions",
                queryset=StrategyDiscussion.objects.only(
                    "case_id", "discussion_date", "created_at"
                ),
            ),
            Prefetch(
                "conferences",
                queryset=ChildProtectionConference.objects.filter(
                    kind=ConferenceKind.INITIAL, section47__isnull=True
                )
                .order_by("conference_date", "id")
                .only("case_id", "conference_date"),
                to_attr="episode_conferences",
            ),
            Prefetch(
                "section47s",
                to_attr="census_section47s",
                queryset=Section47Enquiry.objects.select_related("strategy_discussion")
                .only(
                    "case_id",
                    "start_date",
                    "end_date",
                    "outcome",
                    "strategy_discussion__discussion_date",
                    "strategy_discussion__created_at",
                )
                .prefetch_related(
                    Prefetch(
                        "conferences",
                        queryset=ChildProtectionConference.objects.filter(
                            kind=ConferenceKind.INITIAL
                        )
                        .order_by("conference_date")
                        .only("section47_id", "conference_date"),
                        to_attr="initial_conferences",
                    )
                )
                .order_by("start_date", "id"),
            ),
            Prefetch(
                "cp_plans",
                to_attr="census_cp_plans",
                queryset=ChildProtectionPlan.objects.prefetch_related(
                    Prefetch(
                        "conferences",
                        queryset=ChildProtectionConference.objects.filter(
                            kind=ConferenceKind.REVIEW
                        )
                        .order_by("conference_date")
                        .only("plan_id", "conference_date"),
                        to_attr="review_conferences",
                    )
                )
                .only(
                    "case_id",
                    "start_date",
                    "end_date",
                    "initial_category",
                    "latest_category",
                    "previous_plans_elsewhere",
                )
                .order_by("start_date", "id"),
            ),
        )
    )
    people = Person.objects.filter(pk__in=ids).only(
        "date_of_birth", "expected_date_of_birth", "date_of_death", "sex", "ethnicity",
        "disabilities", "upn", "la_child_id", "former_upn", "upn_unknown",
    )  # fmt: skip
    return people.prefetch_related(Prefetch("cases", queryset=cases, to_attr="census_cases"))


def build_cin_return(
    *, authority: LocalAuthority, year: CensusYear, progress: Progress | None = None
) -> CinReturn:
    """The CIN census return of ``authority`` for ``year``; ``progress(done, total)`` is
    called as children are read."""
    ids = list(
        children_in_year_queryset(authority=authority, year=year).values_list("pk", flat=True)
    )
    total = len(ids)
    children: list[CinChild] = []
    if progress:
        progress(0, total)
    for start in range(0, total, BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        people = {p.pk: p for p in _batch(chunk)}
        for pk in chunk:
            children.append(_child(people[pk], authority=authority, year=year))
        if progress:
            progress(min(start + BATCH_SIZE, total), total)
    return CinReturn(year=year, la_code=authority.dfe_la_code, children=tuple(children))


def _child(person: Person, *, authority: LocalAuthority, year: CensusYear) -> CinChild:
    ref = year.reference_date
    cases = [c for c in person.census_cases if c.authority_id == authority.pk]
    born = _as_at(person.date_of_birth, ref)
    expected = None if born else (person.expected_date_of_birth or person.date_of_birth)
    # Every plan the child has had here, for NumberOfPreviousCPP.
    all_plan_starts = sorted(p.start_date for c in cases for p in c.census_cp_plans)
    episodes = tuple(
        _episode(case, year=year, all_plan_starts=all_plan_starts)
        for case in cases
        if case.referral_date <= ref
        and (case.closure_date is None or case.closure_date >= year.start)
    )
    return CinChild(
        person_id=person.pk,
        la_child_id=person.la_child_id or "",
        upn=person.upn or "",
        former_upn=person.former_upn,
        upn_unknown=person.upn_unknown,
        birth_date=born,
        expected_birth_date=expected,
        # A child born after the reference date was unborn on it: sex not known (rule 8750).
        sex=person.sex if born or person.date_of_birth is None else "U",
        death_date=_as_at(person.date_of_death, ref),
        ethnicity=person.ethnicity,
        disabilities=tuple(person.disabilities or ()),
        episodes=episodes,
    )


def _not_finished_before(start: date, end: date | None, year: CensusYear) -> bool:
    return start <= year.reference_date and (end is None or end >= year.start)


def _episode(case: Case, *, year: CensusYear, all_plan_starts: list[date]) -> CinEpisode:
    ref = year.reference_date
    closure = _as_at(case.closure_date, ref)
    assessments = tuple(
        _assessment(a, ref)
        for a in case.census_assessments
        if _not_finished_before(a.start_date, a.completed_date, year)
    )
    cin_plans = tuple(
        CinPlanDates(record_id=p.pk, start_date=p.start_date, end_date=_as_at(p.end_date, ref))
        for p in case.census_cin_plans
        if _not_finished_before(p.start_date, p.end_date, year)
    )
    section47s = tuple(
        s
        for s in (
            _section47(e, ref, case.census_strategy_discussions)
            for e in case.census_section47s
            if e.start_date <= ref
        )
        if s.start_date >= year.start
        or (s.icpc_date is not None and s.icpc_date >= year.start)
        or (s.icpc_date is None and not s.icpc_not_required)
    )
    cp_plans = tuple(
        _cp_plan(p, ref, all_plan_starts)
        for p in case.census_cp_plans
        if _not_finished_before(p.start_date, p.end_date, year)
    )
    episode_icpc = next(
        (
            c.conference_date
            for c in case.episode_conferences
            if year.start <= c.conference_date <= ref
        ),
        None,
    )
    return CinEpisode(
        record_id=case.pk,
        icpc_date=episode_icpc,
        referral_date=case.referral_date,
        referral_source=case.referral_source,
        primary_need=case.primary_need,
        closure_date=closure,
        closure_reason=case.closure_reason if closure else "",
        referral_nfa=case.referral_nfa,
        assessments=assessments,
        cin_plans=cin_plans,
        section47s=section47s,
        cp_plans=cp_plans,
    )


def _assessment(a: Assessment, ref: date) -> CinAssessment:
    authorised = _as_at(a.completed_date, ref)
    return CinAssessment(
        record_id=a.pk,
        start_date=a.start_date,
        internal_review_date=_as_at(a.internal_review_date, ref),
        authorisation_date=authorised,
        # Factors are identified at the end of the assessment (rule 8614).
        factors=tuple(a.factors or ()) if authorised else (),
    )


def _section47(e: Section47Enquiry, ref: date, discussions) -> CinSection47:
    icpc = next(
        (c.conference_date for c in e.initial_conferences if c.conference_date <= ref), None
    )
    # From the last strategy discussion held for the enquiry by the reference date.
    held = [d for d in e.strategy_discussions_held(discussions) if d.discussion_date <= ref]
    last = held[-1].discussion_date if held else e.strategy_discussion.discussion_date
    target = add_working_days(last, ICPC_TARGET_WORKING_DAYS)
    ended = _as_at(e.end_date, ref)
    return CinSection47(
        record_id=e.pk,
        start_date=e.start_date,
        icpc_target=target if target <= ref else None,
        icpc_date=icpc,
        icpc_not_required=icpc is None and ended is not None and e.icpc_not_required,
    )


def _cp_plan(p: ChildProtectionPlan, ref: date, all_plan_starts: list[date]) -> CinProtectionPlan:
    here_before = sum(1 for s in all_plan_starts if s < p.start_date)
    return CinProtectionPlan(
        record_id=p.pk,
        start_date=p.start_date,
        end_date=_as_at(p.end_date, ref),
        initial_category=p.initial_category,
        latest_category=p.latest_category,
        previous_plans=here_before + p.previous_plans_elsewhere,
        review_dates=tuple(
            sorted({c.conference_date for c in p.review_conferences if c.conference_date <= ref})
        ),
    )


def iter_episode_records(child: CinChild) -> Iterator[tuple[CinEpisode, str, date]]:
    """Each dated activity on each episode, as (episode, what, date): for rules about
    activity before referral or after closure."""
    for ep in child.episodes:
        for a in ep.assessments:
            yield ep, "assessment start", a.start_date
        for p in ep.cin_plans:
            yield ep, "child in need plan start", p.start_date
        for s in ep.section47s:
            yield ep, "section 47 enquiry start", s.start_date
        for p in ep.cp_plans:
            yield ep, "child protection plan start", p.start_date


def cin_children(
    person_ids, *, authority: LocalAuthority, year: CensusYear
) -> dict[UUID, CinChild]:
    """The census records for ``year`` of those of ``person_ids`` who are in that year's
    return, by person id: for checking some children (the data-quality checks) without
    building the whole return."""
    ids = list(
        children_in_year_queryset(authority=authority, year=year)
        .filter(pk__in=list(person_ids))
        .values_list("pk", flat=True)
    )
    return {p.pk: _child(p, authority=authority, year=year) for p in _batch(ids)}
