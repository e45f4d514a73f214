"""Caseloads: what each worker carries, weighed by the stage of each case, against what they
can carry; and the team caseload board.

A case's stage is the timescales app's (``timescales.selectors.with_stage``: unallocated,
child protection plan, section 47 enquiry, assessment, child in need, worked out in SQL);
each stage weighs so many points, an authority setting (``WEIGHT_FIELDS``). A worker can
carry the authority's full-time capacity, reduced in their first year after qualifying
(``capacity``). There is no national cap or weighting in England: every number is local
(domain.md §6).

These selectors return children but do not log access: the page passes the rows through
``people.selectors.show_rows`` (decision 0001).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from safeguard.accounts.models import AgencyKind, LocalAuthority, Team, User
from safeguard.accounts.roles import RECORDING_ROLES
from safeguard.accounts.selectors import social_care_teams
from safeguard.casework import selectors as casework
from safeguard.casework.models import Absence, Allocation, Case
from safeguard.people.models import Person
from safeguard.timescales import selectors as timescales
from safeguard.workforce.models import Post, PostHolder
from safeguard.workforce.permissions import managed_by, visible_to

# The authority's setting holding each stage's weight, in points.
WEIGHT_FIELDS = {
    "unallocated": "caseload_weight_unallocated",
    "cp_plan": "caseload_weight_cp_plan",
    "section47": "caseload_weight_section47",
    "assessment": "caseload_weight_assessment",
    "cin": "caseload_weight_cin",
}


def weights(authority: LocalAuthority) -> dict[str, int]:
    """Each stage's weight in points (``timescales.selectors.STAGES`` codes)."""
    return {s.code: getattr(authority, WEIGHT_FIELDS[s.code]) for s in timescales.STAGES}


def _anniversary(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # qualified on 29 February
        return day.replace(year=day.year + 1, day=28)


def is_newly_qualified(worker: User, on: date) -> bool:
    """In their first year after qualifying on ``on`` (the assessed and supported year in
    employment): from the date they qualified to the day before its anniversary."""
    return worker.qualified_on is not None and on < _anniversary(worker.qualified_on)


def capacity(worker: User, authority: LocalAuthority, on: date, fte: Decimal | None = None) -> int:
    """The points ``worker`` can carry on ``on``: the authority's full-time capacity times
    the full-time equivalent of the posts they are in (``fte``; a worker with no post
    recorded counts as full-time), or its newly-qualified share of that (rounded down) in
    their first year."""
    full = authority.full_time_capacity
    if fte is not None:
        full = int(full * fte)
    if is_newly_qualified(worker, on):
        return full * authority.newly_qualified_capacity_percent // 100
    return full


def post_fte(worker_ids, *, on: date) -> dict[int, Decimal]:
    """The full-time equivalent of the posts each of ``worker_ids`` is in on ``on`` (those
    in no post are left out): one query."""
    if not worker_ids:
        return {}
    held = (
        PostHolder.objects.filter(PostHolder.open_on(on), worker_id__in=list(worker_ids))
        .filter(Post.open_on(on, prefix="post__"))
        .values("worker")
        .annotate(fte=Sum("post__fte"))
    )
    return {row["worker"]: row["fte"] for row in held}


@dataclass
class CaseLoad:
    """One open case a worker holds, with its child, stage and weight."""

    case: Case
    child: Person
    stage: timescales.Stage
    weight: int


@dataclass
class WorkerLoad:
    """What one worker carries on a day, and what is late on their cases."""

    worker: User
    capacity: int
    newly_qualified: bool
    cases: list[CaseLoad] = field(default_factory=list)
    overdue: int = 0
    unseen: int = 0
    fte: Decimal | None = None  # of the posts they are in; None: no post recorded
    absence: Absence | None = None  # the absence running on the day (decision 0044)

    @property
    def case_count(self) -> int:
        return len(self.cases)

    @property
    def weighted(self) -> int:
        return sum(c.weight for c in self.cases)

    @property
    def percent(self) -> int:
        return round(100 * self.weighted / self.capacity) if self.capacity else 0

    @property
    def over_capacity(self) -> bool:
        return self.weighted > self.capacity

    def describe(self) -> str:
        """One line for the allocation form."""
        text = (
            f"{self.case_count} open case{'' if self.case_count == 1 else 's'}, weighted "
            f"load {self.weighted} of {self.capacity} points ({self.percent}%)"
        )
        if self.newly_qualified:
            text += ", newly qualified"
        if self.over_capacity:
            text += ", over capacity"
        return text


def _case_open_on(on: date) -> Q:
    # Open on a day, a referral marked no further action counting as closed: the same test
    # as the due lists' (kpis.md §1).
    return Case.open_on(on) & Q(referral_nfa=False)


def team_workers(team: Team) -> QuerySet[User]:
    """The team's active members who can hold cases (social workers and managers), by name."""
    return (
        team.members.filter(is_active=True, role__in=RECORDING_ROLES)
        .select_related("agency")
        .order_by("last_name", "first_name", "pk")
    )


def worker_loads(
    workers: list[User], *, authority: LocalAuthority, on: date
) -> dict[int, WorkerLoad]:
    """Each worker's open cases on ``on``, whichever team they hold them in, with each
    case's stage and weight: one query, whatever the number of workers and cases."""
    by_stage = weights(authority)
    if not workers:
        return {}
    ftes = post_fte([w.pk for w in workers], on=on)
    loads = {
        w.pk: WorkerLoad(
            worker=w,
            capacity=capacity(w, authority, on, ftes.get(w.pk)),
            newly_qualified=is_newly_qualified(w, on),
            fte=ftes.get(w.pk),
        )
        for w in workers
    }
    held = Allocation.objects.filter(Allocation.open_on(on), worker_id__in=list(loads))
    cases = timescales.with_stage(
        Case.objects.filter(_case_open_on(on), authority=authority, pk__in=held.values("case_id"))
        .select_related("child")
        .order_by("child__family_name", "child__given_names", "pk"),
        on=on,
    )
    for case in cases:
        load = loads.get(case.holder_id)
        if load is None:
            continue
        load.cases.append(
            CaseLoad(
                case=case,
                child=case.child,
                stage=timescales.STAGE_BY_CODE[case.stage],
                weight=by_stage[case.stage],
            )
        )
    return loads


def describe_candidates(*, team: Team, workers: list[User], on: date) -> dict[int, str]:
    """For the allocation form: each candidate's open cases, weighted load and capacity."""
    if not workers:
        return {}
    authority = LocalAuthority.objects.get(agencies__teams=team)
    loads = worker_loads(workers, authority=authority, on=on)
    return {pk: load.describe() for pk, load in loads.items()}


def team_by_id(team_id: int) -> Team:
    """The team whose board is asked for, with its agency, authority and line; 404 if none."""
    team = (
        Team.objects.select_related("agency__authority", "manager", "parent__manager")
        .filter(pk=team_id)
        .first()
    )
    if team is None:
        raise Http404("No such team")
    return team


@dataclass
class Board:
    """A team's caseload board on a day."""

    team: Team
    on: date
    loads: list[WorkerLoad]
    weights: dict[str, int]
    vacant: list[Post] = field(default_factory=list)  # the team's posts nobody is in

    @property
    def weighted(self) -> int:
        return sum(load.weighted for load in self.loads)

    @property
    def capacity(self) -> int:
        return sum(load.capacity for load in self.loads)

    @property
    def over_capacity(self) -> list[WorkerLoad]:
        return [load for load in self.loads if load.over_capacity]


def team_board(team: Team, *, on: date) -> Board:
    """Per worker of ``team`` (``team_workers``): their cases with stage and weight, weighted
    load and capacity, overdue items and children unseen beyond their standard on their
    cases in this team. A fixed number of queries, whatever the number of cases."""
    authority = team.agency.authority
    workers = list(team_workers(team))
    loads = worker_loads(workers, authority=authority, on=on)
    # Overdue items: what is due on the team's cases, counted by the worker holding each.
    overdue = timescales.overdue_by_worker(team, on=on)
    # Children not seen within their stage's standard, among the cases the team holds.
    holder = {c.case.pk: pk for pk, load in loads.items() for c in load.cases}
    unseen: dict[int, int] = defaultdict(int)
    for case in timescales.unseen_cases(authority, on=on, teams=[team]):
        if case.pk in holder:
            unseen[holder[case.pk]] += 1
    away = casework.absences_of(list(loads), on=on)
    for pk, load in loads.items():
        load.overdue, load.unseen = overdue.get(pk, 0), unseen[pk]
        load.absence = away.get(pk)
    return Board(
        team=team,
        on=on,
        loads=[loads[w.pk] for w in workers],
        weights=weights(authority),
        vacant=vacant_posts(team, on=on),
    )


def home_boards(user) -> QuerySet[Team]:
    """The boards a member of staff's home page links to: the teams they belong to or
    manage, that they may see (``permissions.visible_to``), by name."""
    return visible_to(user).filter(Q(members=user) | managed_by(user)).distinct().order_by("name")


# --- Posts and the service's workforce rates (issue 14 item 7, decision 0044) ------------------


def _held_on(on: date):
    return PostHolder.objects.filter(PostHolder.open_on(on), post=OuterRef("pk"))


def vacant_posts(team: Team, *, on: date) -> list[Post]:
    """``team``'s posts that exist on ``on`` with nobody in them: one query."""
    return list(
        Post.objects.filter(Post.open_on(on), team=team)
        .filter(~Exists(_held_on(on)))
        .order_by("grade", "start_date", "pk")
    )


@dataclass
class PostRow:
    post: Post
    holder: PostHolder | None
    newly_qualified: bool


def team_posts(team: Team, *, on: date) -> list[PostRow]:
    """``team``'s posts that exist on ``on`` or start later, each with who is in it that day
    (None: vacant), in two queries."""
    posts = (
        Post.objects.filter(team=team)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .order_by("start_date", "grade", "pk")
        .prefetch_related(
            Prefetch(
                "holders",
                queryset=PostHolder.objects.filter(PostHolder.open_on(on)).select_related("worker"),
                to_attr="current",
            )
        )
    )
    rows = []
    for post in posts:
        holder = post.current[0] if post.current else None
        nq = holder is not None and is_newly_qualified(holder.worker, on)
        rows.append(PostRow(post=post, holder=holder, newly_qualified=nq))
    return rows


def post_by_id(post_id) -> Post:
    """A post with its team (for the policy) and its current holder's worker; 404 if none."""
    post = Post.objects.select_related("team__agency").filter(pk=post_id).first()
    if post is None:
        raise Http404("No such post")
    return post


def post_holder(post: Post) -> PostHolder | None:
    """Who is in ``post`` now (their spell has no end), or None."""
    return post.holders.filter(end_date__isnull=True).select_related("worker").first()


def post_candidates(post: Post) -> QuerySet[User]:
    """Who may fill ``post``: active staff of its authority's social care who hold cases."""
    return User.objects.filter(
        is_active=True,
        role__in=RECORDING_ROLES,
        agency__authority_id=post.team.agency.authority_id,
        agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
    ).order_by("last_name", "first_name", "pk")


# A worker who starts another post within this many days of leaving one moved, not left.
MOVE_DAYS = 7


def _month_starts(on: date, months: int) -> list[date]:
    first = on.replace(day=1)
    starts = []
    for _ in range(months):
        starts.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(starts))


@dataclass
class MonthRates:
    """One team's (or the service's) posts in one month: at its end (or on the day, for the
    month under way), and who left during it."""

    month: date
    posts_fte: Decimal = Decimal(0)
    filled_fte: Decimal = Decimal(0)
    agency_fte: Decimal = Decimal(0)
    filled_at_start: int = 0
    filled_at_end: int = 0
    leavers: int = 0

    @property
    def vacant_fte(self) -> Decimal:
        return self.posts_fte - self.filled_fte

    @property
    def vacancy_rate(self) -> float | None:
        """Vacant posts' FTE over all posts' FTE, per cent."""
        return float(100 * self.vacant_fte / self.posts_fte) if self.posts_fte else None

    @property
    def agency_rate(self) -> float | None:
        """Agency workers' FTE over filled posts' FTE, per cent."""
        return float(100 * self.agency_fte / self.filled_fte) if self.filled_fte else None

    @property
    def average_filled(self) -> float:
        return (self.filled_at_start + self.filled_at_end) / 2

    @property
    def turnover(self) -> float | None:
        """Leavers in the month over the average of filled posts at its start and end, per
        cent."""
        return 100 * self.leavers / self.average_filled if self.average_filled else None


@dataclass
class TeamRates:
    team: Team | None  # None: the whole service
    months: list[MonthRates]

    @property
    def latest(self) -> MonthRates:
        return self.months[-1]


def workforce_rates(authority: LocalAuthority, *, on: date, months: int = 12) -> list[TeamRates]:
    """The service's vacancy, agency and turnover rates for each of the last ``months``
    months to ``on``: the whole service first, then each social care team with a post, by
    name. Three queries, whatever the number of posts.

    Vacancy and agency rates are taken at the end of each month (for the month under way, on
    ``on``): vacant posts' FTE over all posts' FTE; agency workers' FTE over filled posts'
    FTE. Turnover is the leavers in the month over the average of the filled posts at its
    start and end, in posts: a leaver is a worker whose last day in a post fell in the month
    and who started no other post of the authority within ``MOVE_DAYS`` days after it.
    """
    teams = {t.pk: t for t in social_care_teams(authority.pk)}
    posts = list(Post.objects.filter(team_id__in=list(teams)))
    holders = list(PostHolder.objects.filter(post__team_id__in=list(teams)))
    post_by_id = {p.pk: p for p in posts}
    starts_by_worker: dict[int, list[date]] = defaultdict(list)
    for h in holders:
        starts_by_worker[h.worker_id].append(h.start_date)

    def left_service(h: PostHolder) -> bool:
        return not any(
            h.end_date <= s <= h.end_date + timedelta(days=MOVE_DAYS)
            for s in starts_by_worker[h.worker_id]
        )

    team_ids = sorted({p.team_id for p in posts}, key=lambda pk: (teams[pk].name, pk))
    keys = [None, *team_ids]
    table = {k: [] for k in keys}

    def open_on(start: date | None, end: date | None, day: date) -> bool:
        # ``DatedSpan.is_open_on``, on the dates read once below (this loop runs months x
        # records times: thousands of posts on a large service).
        return (start is None or start <= day) and (end is None or end > day)

    post_spans = [(p.start_date, p.end_date, p.fte, p.team_id) for p in posts]
    holder_spans = [(h, h.start_date, h.end_date, post_by_id[h.post_id]) for h in holders]
    for start in _month_starts(on, months):
        next_start = (start + timedelta(days=32)).replace(day=1)
        end = min(on, next_start - timedelta(days=1))
        after_end = end + timedelta(days=1)
        rows = {k: MonthRates(month=start) for k in keys}
        for p_start, p_end, fte, team_id in post_spans:
            if open_on(p_start, p_end, end):
                for k in (None, team_id):
                    rows[k].posts_fte += fte
        for h, h_start, h_end, p in holder_spans:
            targets = (None, p.team_id)
            if open_on(h_start, h_end, end) and open_on(p.start_date, p.end_date, end):
                for k in targets:
                    rows[k].filled_fte += p.fte
                    rows[k].filled_at_end += 1
                    if h.agency:
                        rows[k].agency_fte += p.fte
            if open_on(h_start, h_end, start) and open_on(p.start_date, p.end_date, start):
                for k in targets:
                    rows[k].filled_at_start += 1
            # The last day in post is the day before end_date.
            last_in_month = h_end is not None and start < h_end <= after_end
            if last_in_month and left_service(h):
                for k in targets:
                    rows[k].leavers += 1
        for k in keys:
            table[k].append(rows[k])
    return [TeamRates(team=None if k is None else teams[k], months=table[k]) for k in keys]
