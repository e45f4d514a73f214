"""What is due: outstanding timescales for a worker, a team or the whole service.

These selectors return children (``Person``) but do NOT log access events: the page that
shows the rows must pass them through ``people.selectors.show_rows``, which checks the policy
and writes the access log (docs/decisions/0001).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case as DbCase
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Greatest, Lower
from django.http import Http404

from safeguard.accounts.models import AgencyKind, LocalAuthority, Team, User
from safeguard.assessments.models import Assessment
from safeguard.casework import selectors as casework
from safeguard.casework.codes import PRIORITY_RANK
from safeguard.casework.models import (
    Allocation,
    Case,
    DirectWork,
    UnallocatedReview,
    Visit,
    priority_rank_expression,
)
from safeguard.core.workdays import add_working_days, is_working_day, working_days_between
from safeguard.people.models import Person
from safeguard.protection.models import ChildProtectionPlan, Section47Enquiry
from safeguard.referrals.models import Contact
from safeguard.timescales.engine import DUE, OVERDUE, DueItem
from safeguard.timescales.models import DueEntry, SeenClock
from safeguard.timescales.rules import RULE_SETS, RULES_BY_ID

UNALLOCATED = "Unallocated"
WEEK_WORKING_DAYS = 5
DUE_PAGE_SIZE = 50


@dataclass(frozen=True)
class DueRow:
    """An outstanding item with the child, case (or, for a front-door next step, the contact)
    and the worker and team it belongs to."""

    item: DueItem
    child: Person
    case: Case | None
    worker: User | None
    team: Team | None
    on: date
    contact: Contact | None = None
    # The worker is away on ``on`` (an open absence: decision 0044), back on ``worker_back``
    # (None if not known).
    worker_away: bool = False
    worker_back: date | None = None

    @property
    def away_until(self) -> date | None:
        """The worker's last day away, when they are away and it is known."""
        if not (self.worker_away and self.worker_back):
            return None
        return self.worker_back - timedelta(days=1)

    @property
    def owner(self) -> str:
        return str(self.worker) if self.worker is not None else UNALLOCATED

    @property
    def record(self):
        """What the row's priority belongs to: the case, or the contact."""
        return self.case if self.case is not None else self.contact


# Every order ends with the rule and clock so that equal rows always come out the same way.
# The default puts priority first (red, amber, not rated, green), then due date: priority
# orders every queue (issue 13, item 2); the others are there to look things up. "Most
# overdue" is the earliest due date first: the longer past its date, the more overdue.
_CHILD = (Lower("child__family_name"), Lower("child__given_names"), "child_id")
_CLOCK = ("rule_id", "subject_id", "start_date")


def _rule_label_order():
    labels = sorted({r.id: r.label for rules in RULE_SETS.values() for r in rules}.items())
    return DbCase(
        *(When(rule_id=rule_id, then=Value(label)) for rule_id, label in labels),
        default=Value(""),
        output_field=CharField(),
    )


SORTS: dict[str, Callable[[], tuple]] = {
    "priority": lambda: ("priority_rank", "due_date", *_CHILD, *_CLOCK),
    "due_date": lambda: ("due_date", *_CHILD, *_CLOCK),
    "-working_days_overdue": lambda: ("due_date", *_CHILD, *_CLOCK),
    "child": lambda: (*_CHILD, "due_date", *_CLOCK),
    "rule": lambda: (_rule_label_order(), "due_date", *_CHILD, *_CLOCK),
}
DEFAULT_SORT = "priority"

# Filters the lists offer (issue 13, item 4): status by the day the list is read.
OVERDUE_STATUS = "overdue"
THIS_WEEK = "due_this_week"
LATER = "due_later"
STATUSES = {
    OVERDUE_STATUS: "Overdue",
    THIS_WEEK: "Due in the next 5 working days",
    LATER: "Due later",
}
PRIORITY_FILTERS = {"red": "Red", "amber": "Amber", "green": "Green", "none": "Not rated"}
STAGE_FILTERS = {
    "front_door": "Front door",
    "unallocated": "Unallocated",
    "cp_plan": "Child protection plan",
    "section47": "Section 47 enquiry",
    "assessment": "Assessment",
    "cin": "Child in need",
}


def _week_end(on: date) -> date:
    """The last of the next 5 working days, counting ``on`` itself when it is a working day."""
    if is_working_day(on):
        return add_working_days(on, WEEK_WORKING_DAYS - 1)
    return add_working_days(on, WEEK_WORKING_DAYS)


def _status_filter(status: str, on: date) -> Q:
    if status == OVERDUE_STATUS:
        return Q(due_date__lt=on)
    if status == THIS_WEEK:
        return Q(due_date__gte=on, due_date__lte=_week_end(on))
    return Q(due_date__gt=_week_end(on))


@dataclass(frozen=True)
class DueFilter:
    """What a list is narrowed to: each is optional; values outside the lists above are
    refused by the page before they get here."""

    worker: User | None = None
    team: Team | None = None
    stage: str = ""
    priority: str = ""
    status: str = ""
    next_step: bool = False
    # The items of absent colleagues whose cover falls to this user (decision 0044).
    cover_for: User | None = None

    def q(self, on: date) -> Q:
        q = Q()
        if self.cover_for is not None:
            q &= casework.covered_work(self.cover_for, on=on)
        if self.worker is not None:
            q &= Q(worker=self.worker)
        if self.team is not None:
            q &= Q(team=self.team)
        if self.stage:
            q &= Q(stage=self.stage)
        if self.priority:
            q &= Q(priority_rank=PRIORITY_RANK["" if self.priority == "none" else self.priority])
        if self.status:
            q &= _status_filter(self.status, on)
        if self.next_step:
            q &= Q(next_step=True)
        return q


def _case_open_on(on: date) -> Q:
    # Open on a day (kpis.md §1); a referral marked no further action counts as closed.
    return Case.open_on(on) & Q(referral_nfa=False)


def _allocation_open_on(on: date) -> Q:
    return Allocation.open_on(on)


def due_entries(authority: LocalAuthority, *, on: date, where: DueFilter = DueFilter()):
    """The outstanding items of ``authority`` narrowed by ``where``, as SQL (the table kept by
    ``timescales.projection``: anything saved but not yet worked out is worked out first)."""
    from safeguard.timescales import projection  # the projection reads this module's stages

    projection.flush()
    return DueEntry.objects.filter(where.q(on), authority=authority)


def due_counts_of(entries, *, on: date) -> dict[str, int]:
    """Overdue, due within the next 5 working days (today included) and due later: one
    aggregate query."""
    week_end = _week_end(on)
    return entries.aggregate(
        overdue=Count("pk", filter=Q(due_date__lt=on)),
        due_this_week=Count("pk", filter=Q(due_date__gte=on, due_date__lte=week_end)),
        due_later=Count("pk", filter=Q(due_date__gt=week_end)),
    )


def _rule(authority: LocalAuthority, rule_id: str):
    rules = RULES_BY_ID.get(authority.rule_set, {})
    if rule_id in rules:
        return rules[rule_id]
    return next(r[rule_id] for r in RULES_BY_ID.values() if rule_id in r)


def _item(entry: DueEntry, rule, on: date) -> DueItem:
    overdue = entry.due_date < on
    return DueItem(
        rule=rule,
        case_id=entry.case_id,
        child_id=entry.child_id,
        start_date=entry.start_date,
        due_date=entry.due_date,
        done_date=None,
        status=OVERDUE if overdue else DUE,
        working_days_overdue=working_days_between(entry.due_date, on) if overdue else 0,
        days_overdue=(on - entry.due_date).days if overdue else 0,
        subject_id=entry.subject_id,
        contact_id=entry.contact_id,
    )


def due_rows(entries, *, authority: LocalAuthority, on: date) -> list[DueRow]:
    """Rows for these entries (a page, or a short list), with their children, cases,
    contacts, workers and teams in one query."""
    loaded = entries.select_related("child", "case", "contact", "worker", "team").annotate(
        **casework.away_annotations(on)
    )
    return [
        DueRow(
            item=_item(e, _rule(authority, e.rule_id), on),
            child=e.child,
            case=e.case,
            contact=e.contact,
            worker=e.worker,
            team=e.team,
            on=on,
            worker_away=e.worker_away,
            worker_back=e.worker_back,
        )
        for e in loaded
    ]


def sort_entries(entries, sort: str = DEFAULT_SORT):
    try:
        order = SORTS[sort]()
    except KeyError:
        raise ValueError(f"Unknown sort {sort!r}; choose from {sorted(SORTS)}") from None
    return entries.order_by(*order)


class Paged:
    """Which page of a list this is, of how many: for a dataclass with ``total`` (items in the
    whole list), ``number`` (this page, from 1) and ``size`` (items to a page)."""

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages


@dataclass(frozen=True)
class ListPage(Paged):
    """One page of a list's rows (a due list, the unallocated cases)."""

    rows: list
    total: int
    number: int
    size: int


def due_page(
    authority: LocalAuthority,
    *,
    on: date,
    where: DueFilter = DueFilter(),
    sort: str = DEFAULT_SORT,
    number: int = 1,
    size: int = DUE_PAGE_SIZE,
) -> tuple[ListPage, dict[str, int]]:
    """Page ``number`` of the items ``where`` asks for, in ``sort`` order, and the list's
    counts by status: a fixed number of queries whatever the size of the borough. A page past
    the last gives the last."""
    entries = due_entries(authority, on=on, where=where)
    counts = due_counts_of(entries, on=on)
    total = sum(counts.values())
    number = min(max(1, number), max(1, -(-total // size)))
    ordered = sort_entries(entries, sort)[(number - 1) * size : number * size]
    rows = due_rows(ordered, authority=authority, on=on)
    return ListPage(rows=rows, total=total, number=number, size=size), counts


def overdue_by_worker(team: Team, *, on: date) -> dict[int, int]:
    """How many items on ``team``'s work each worker has overdue on ``on``: one aggregate
    query."""
    overdue = due_entries(team.agency.authority, on=on, where=DueFilter(team=team)).filter(
        due_date__lt=on, worker__isnull=False
    )
    return dict(overdue.values("worker").annotate(n=Count("pk")).values_list("worker", "n"))


def _all_rows(authority: LocalAuthority, where: DueFilter, on: date, sort: str) -> list[DueRow]:
    entries = sort_entries(due_entries(authority, on=on, where=where), sort)
    return due_rows(entries, authority=authority, on=on)


def due_for_worker(user: User, *, on: date, sort: str = DEFAULT_SORT) -> list[DueRow]:
    """Every outstanding item on the work of ``user``: the open cases allocated to them and
    the front-door next steps they decided.

    Does not log access to the children: the caller must (module docstring).
    """
    return _all_rows(user.agency.authority, DueFilter(worker=user), on, sort)


def due_for_team(team: Team, *, on: date, sort: str = DEFAULT_SORT) -> list[DueRow]:
    """Every outstanding item on the work of ``team``.

    Does not log access to the children: the caller must (module docstring).
    """
    return _all_rows(team.agency.authority, DueFilter(team=team), on, sort)


def due_for_service(
    authority: LocalAuthority, *, on: date, sort: str = DEFAULT_SORT
) -> list[DueRow]:
    """Every outstanding item of ``authority``, unallocated cases included (their ``owner``
    is "Unallocated"). For a page, ``due_page``.

    Does not log access to the children: the caller must (module docstring).
    """
    return _all_rows(authority, DueFilter(), on, sort)


def team_by_id(team_id: int) -> Team:
    """The team whose list is asked for, with its agency (for the policy); 404 if none."""
    team = Team.objects.select_related("agency").filter(pk=team_id).first()
    if team is None:
        raise Http404("No such team")
    return team


def due_counts(rows: Iterable[DueRow]) -> dict[str, int]:
    """Count rows as overdue, due within the next 5 working days (today included) or later."""
    counts = {"overdue": 0, "due_this_week": 0, "due_later": 0}
    for row in rows:
        if row.item.status == OVERDUE:
            counts["overdue"] += 1
        elif row.item.status == DUE:
            soon = row.item.due_date <= _week_end(row.on)
            counts["due_this_week" if soon else "due_later"] += 1
    return counts


def _unallocated(
    authority: LocalAuthority, on: date, team: Team | None = None
) -> QuerySet[Case]:
    held = Allocation.objects.filter(_allocation_open_on(on)).values("case_id")
    cases = Case.objects.filter(_case_open_on(on), authority=authority).exclude(pk__in=held)
    return cases if team is None else cases.filter(team=team)


def unallocated_cases(authority: LocalAuthority, *, on: date) -> list[Case]:
    """Open cases with no allocated worker on ``on``, by priority (red first), then longest
    waiting first: the backlog the 2009 inspection found nobody could see."""
    return list(
        _unallocated(authority, on)
        .select_related("child")
        .annotate(priority_order=priority_rank_expression())
        .order_by("priority_order", "referral_date", "pk")
    )


def unallocated_count(authority: LocalAuthority, *, on: date, team: Team | None = None) -> int:
    """How many open cases have no allocated worker on ``on``, in ``team``'s queue if given
    (one query)."""
    return _unallocated(authority, on, team).count()


def unallocated_queues(user: User, *, on: date) -> tuple[int, list[tuple[Team, int]]]:
    """How many open cases of the user's authority have no allocated worker on ``on``, and the
    unallocated queues of the teams ``user`` manages or belongs to, with how many cases wait in
    each, by team name: two queries (the cases are counted by team once, for both)."""
    authority_id = user.agency.authority_id
    teams = list(
        Team.objects.filter(Q(manager=user) | Q(members=user))
        .filter(agency__authority_id=authority_id, agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
        .distinct()
        .order_by("name", "pk")
    )
    counts = dict(
        _unallocated(user.agency.authority, on)
        .order_by()
        .values("team")
        .annotate(n=Count("pk"))
        .values_list("team", "n")
    )
    return sum(counts.values()), [(t, counts.get(t.pk, 0)) for t in teams]


def unallocated_by_team(user: User, *, on: date) -> list[tuple[Team, int]]:
    """The unallocated queues of the teams ``user`` manages or belongs to, with how many cases
    wait in each, by team name."""
    return unallocated_queues(user, on=on)[1]


REVIEW_RULE = "unallocated_review"


@dataclass(frozen=True)
class UnallocatedRow:
    """An unallocated case as its queue shows it."""

    case: Case
    child: Person
    waiting_since: date  # the referral, or the end of the last allocation
    last_seen: date | None
    next_due: DueRow | None
    on: date
    # The manager's review the case is due (``unallocated_review``), and the last one held.
    review: DueRow | None = None
    last_review: date | None = None

    @property
    def days_waiting(self) -> int:
        return (self.on - self.waiting_since).days

    @property
    def team(self) -> Team | None:
        return self.case.team


def unallocated_page(
    authority: LocalAuthority,
    *,
    on: date,
    number: int,
    size: int,
    team: Team | None = None,
) -> ListPage:
    """Page ``number`` of the unallocated cases (of ``team``'s queue, or all), priority first,
    then longest waiting, each with how long it has waited, when its child was last seen, its
    next due step and the manager's review it is due: a fixed number of queries whatever the
    number of cases."""
    cases = _unallocated(authority, on, team)
    last_ended = Subquery(
        Allocation.objects.filter(case=OuterRef("pk"), end_date__lte=on)
        .order_by("-end_date")
        .values("end_date")[:1]
    )
    last_review = Subquery(
        UnallocatedReview.objects.filter(case=OuterRef("pk"), review_date__lte=on)
        .order_by("-review_date")
        .values("review_date")[:1]
    )
    # The page's cases first, ordered on what the order needs alone; then what each row
    # shows, for those cases only (the sightings' subqueries would otherwise run for every
    # unallocated case of the borough, to show a page of them).
    ordering = cases.annotate(
        priority_order=priority_rank_expression(),
        waiting_since=Coalesce(last_ended, F("referral_date")),
    ).order_by("priority_order", "waiting_since", "pk")
    # Every unallocated case's id, in order, in one query: their number is the list's count
    # (a second query for it would find them all again).
    ordered_ids = list(ordering.values_list("pk", flat=True))
    total = len(ordered_ids)
    number = min(max(1, number), max(1, -(-total // size)))
    page_ids = ordered_ids[(number - 1) * size : number * size]
    shown = (
        with_last_seen(Case.objects.filter(pk__in=page_ids))
        .select_related("child", "team")
        .annotate(
            waiting_since=Coalesce(last_ended, F("referral_date")),
            last_review=last_review,
        )
    )
    by_id = {c.pk: c for c in shown}
    found = [by_id[pk] for pk in page_ids if pk in by_id]
    entries = due_entries(authority, on=on).filter(case__in=[c.pk for c in found])
    first_due: dict = {}
    reviews: dict = {}
    for row in due_rows(sort_entries(entries, "due_date"), authority=authority, on=on):
        if row.item.rule.id == REVIEW_RULE:
            reviews.setdefault(row.case.pk, row)
        else:
            first_due.setdefault(row.case.pk, row)
    rows = []
    for c in found:
        since = max(c.waiting_since, c.referral_date)
        rows.append(
            UnallocatedRow(
                case=c,
                child=c.child,
                waiting_since=since,
                last_seen=c.last_seen,
                next_due=first_due.get(c.pk),
                on=on,
                review=reviews.get(c.pk),
                last_review=c.last_review if c.last_review and c.last_review >= since else None,
            )
        )
    return ListPage(rows=rows, total=total, number=number, size=size)


# --- Days since seen ------------------------------------------------------------------------
#
# "Seen" means a record that the child was seen: a visit at which the child was seen
# (``Visit.child_seen``, by the visit's worker), an assessment's date the child was seen
# (``Assessment.child_seen_date``, by the worker who started the assessment: the assessment
# records no other name), or a session of direct work with the child (``DirectWork``, by its
# worker; decision 0070). ``SIGHTINGS`` lists them. Strategy discussions, section 47
# enquiries and conferences record no sighting of the child of their own: a child seen during
# an enquiry is seen at a visit.
# The last time seen is the child's, across all their cases (a sibling's case does not count).
#
# The stage of an open case, first that applies (an unallocated child has nobody to visit
# them, so that comes first whatever else is open; then the stages in order of the risk
# they answer to):
#   unallocated: no worker holds the case;
#   cp_plan: a child protection plan is open;
#   section47: a section 47 enquiry is open;
#   assessment: an assessment has started and is not yet authorised;
#   cin: otherwise (a child in need plan, or an open child-in-need case awaiting one).
# Looked-after children are not recorded in Safeguard yet.
#
# Each stage has a local standard in working days on the authority (``STAGES``). The clock
# runs from the last time the child was seen, or from the referral when they have not been
# seen since it: a child referred yesterday is not overdue for a sighting years ago.

UNSEEN_PAGE_SIZE = 50


@dataclass(frozen=True)
class Stage:
    code: str
    label: str
    standard_field: str  # the LocalAuthority field holding the standard, in working days


STAGES = (
    Stage("unallocated", "Unallocated", "unallocated_seen_wd"),
    Stage("cp_plan", "Child protection plan", "cp_visit_interval_wd"),
    Stage("section47", "Section 47 enquiry", "section47_seen_wd"),
    Stage("assessment", "Assessment", "assessment_seen_wd"),
    Stage("cin", "Child in need", "cin_visit_interval_wd"),
)
STAGE_BY_CODE = {s.code: s for s in STAGES}


def standards(authority: LocalAuthority) -> dict[str, int]:
    """Each stage's standard: how many working days a child may go unseen."""
    return {s.code: getattr(authority, s.standard_field) for s in STAGES}


@dataclass(frozen=True)
class Sighting:
    """A kind of record that says the child was seen: the day, who saw them, and which of
    its records count."""

    key: str
    model: type
    day: str
    by: str
    seen: Q


# The one list of what counts as the child seen (module note above), in the order a tie is
# settled: a visit first (it names the worker who saw the child), then an assessment, then a
# session of direct work (``casework.DirectWork``: done with the child, so the child was seen,
# by its worker). Annex A's "date child last seen" reads the same list (``returns``).
SIGHTINGS = (
    Sighting("visit", Visit, "visit_date", "worker_id", Q(child_seen=True)),
    Sighting(
        "assessment", Assessment, "child_seen_date", "created_by_id",
        Q(child_seen_date__isnull=False),
    ),
    Sighting("work", DirectWork, "work_date", "worker_id", Q()),
)  # fmt: skip


def _seen(sighting: Sighting):
    return sighting.model.objects.filter(
        sighting.seen, case__child_id=OuterRef("child_id")
    ).order_by(f"-{sighting.day}", "-created_at")


def with_sightings(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Each source's latest sighting and who saw the child then, each subquery once."""
    annotations = {}
    for sighting in SIGHTINGS:
        seen = _seen(sighting)
        annotations[f"_{sighting.key}_seen"] = Subquery(seen.values(sighting.day)[:1])
        annotations[f"_{sighting.key}_by"] = Subquery(seen.values(sighting.by)[:1])
    return cases.annotate(**annotations)


def latest_sighting(case: Case) -> tuple[date | None, int | None]:
    """The latest of a case's sightings (``with_sightings``); the first source in
    ``SIGHTINGS`` wins a tie."""
    found: tuple[date | None, int | None] = (None, None)
    for sighting in SIGHTINGS:
        day = getattr(case, f"_{sighting.key}_seen")
        if day is not None and (found[0] is None or day > found[0]):
            found = (day, getattr(case, f"_{sighting.key}_by"))
    return found


def _latest_is(key: str) -> Q:
    """The condition that source ``key``'s sighting is the latest (ties to the first)."""
    condition = Q(**{f"_{key}_seen__isnull": False})
    for other in SIGHTINGS:
        if other.key != key:
            condition &= Q(**{f"_{other.key}_seen__isnull": True}) | Q(
                **{f"_{key}_seen__gte": F(f"_{other.key}_seen")}
            )
    return condition


def with_last_seen(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate each case with ``last_seen`` (the latest date its child was seen, or None) and
    ``last_seen_by_id`` (who saw them then), in SQL: the latest of every source (module note
    above); a visit wins a tie, since it names the worker who saw the child. For one case or
    a few (each annotation repeats the subqueries); a list reads ``with_sightings``."""
    cases = with_sightings(cases)
    return cases.annotate(
        last_seen=DbCase(
            *(When(_latest_is(s.key), then=F(f"_{s.key}_seen")) for s in SIGHTINGS),
            default=None,
        ),
        last_seen_by_id=DbCase(
            *(When(_latest_is(s.key), then=F(f"_{s.key}_by")) for s in SIGHTINGS),
            default=None,
        ),
    )


def _open_checks(on: date) -> dict[str, Q | Exists]:
    """The test of each stage but the last, in ``STAGES`` order, for a query of cases."""
    return {
        "unallocated": ~Exists(
            Allocation.objects.filter(_allocation_open_on(on), case=OuterRef("pk"))
        ),
        "cp_plan": Exists(
            ChildProtectionPlan.objects.filter(ChildProtectionPlan.open_on(on), case=OuterRef("pk"))
        ),
        "section47": Exists(
            Section47Enquiry.objects.filter(Section47Enquiry.open_on(on), case=OuterRef("pk"))
        ),
        "assessment": Exists(
            Assessment.objects.filter(
                Q(completed_date__isnull=True) | Q(completed_date__gt=on),
                case=OuterRef("pk"),
                start_date__lte=on,
            )
        ),
    }


def with_stage(cases: QuerySet[Case], *, on: date) -> QuerySet[Case]:
    """Annotate each case with ``stage`` (a ``STAGES`` code) on ``on``, and the worker and team
    holding it (``holder_id``, ``holder_team_id``; None when unallocated). The stages'
    tests are ``_open_checks``, the same the list's filter uses."""
    held = Allocation.objects.filter(_allocation_open_on(on), case=OuterRef("pk")).order_by(
        "-start_date"
    )
    return cases.annotate(
        holder_id=Subquery(held.values("worker_id")[:1]),
        holder_team_id=Subquery(held.values("team_id")[:1]),
        stage=DbCase(
            *(When(check, then=Value(code)) for code, check in _open_checks(on).items()),
            default=Value("cin"),
            output_field=CharField(),
        ),
    )


def last_overdue_day(on: date, standard: int) -> date:
    """The latest day a child could have been seen and be past a standard of ``standard``
    working days on ``on``: more than ``standard`` working days have passed since it."""
    day = add_working_days(on, -standard)
    while working_days_between(day, on) <= standard:
        day -= timedelta(days=1)
    while working_days_between(day + timedelta(days=1), on) > standard:
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class UnseenRow:
    """An open child past their stage's standard, as the unseen list shows them."""

    case: Case
    child: Person
    stage: Stage
    standard: int
    last_seen: date | None
    seen_by: User | None
    worker: User | None
    team: Team | None
    on: date

    @property
    def since(self) -> date:
        """The day the clock runs from: the last sighting, or the referral (or the birth, for
        a child born since the referral) if none since."""
        start = max(self.case.referral_date, self.child.date_of_birth or self.case.referral_date)
        if self.last_seen is None or self.last_seen < start:
            return start
        return self.last_seen

    @property
    def working_days(self) -> int:
        """Working days since the child was last seen (or referred, if not seen since)."""
        return working_days_between(self.since, self.on)

    @property
    def days(self) -> int:
        return (self.on - self.since).days


def unseen_cases(
    authority: LocalAuthority, *, on: date, teams: Iterable[Team] | None = None
) -> QuerySet[SeenClock]:
    """The clocks (``SeenClock``: one per open case, primary key the case's) of ``authority``
    whose child is past their stage's standard for being seen on ``on``, longest unseen first,
    optionally only those held by ``teams``: one SQL query, to be paged; ``unseen_rows`` then
    reads the details of a page's cases.

    The clocks are kept by ``timescales.projection`` (decision 0049), so the list is a range of
    each stage's rows up to the last day a sighting could be and be past that stage's standard
    on ``on`` (``last_overdue_day``), read through an index, instead of working out every open
    child's last sighting. A child's clock starts no earlier than their birth: an unborn child
    cannot be seen (as the visit rules' clocks do), so the birth date is read with the list.
    """
    from safeguard.timescales import projection  # the projection reads this module's stages

    projection.flush()
    past = Q()
    for code, standard in standards(authority).items():
        cutoff = last_overdue_day(on, standard)
        past |= Q(stage=code, seen_since__lte=cutoff, child__date_of_birth__lte=cutoff)
    clocks = SeenClock.objects.filter(past, authority=authority)
    if teams is not None:
        clocks = clocks.filter(holder_team__in=list(teams))
    return clocks.annotate(_since=Greatest("seen_since", "child__date_of_birth")).order_by(
        "_since", "referral_date", "pk"
    )


@dataclass(frozen=True)
class UnseenPage(Paged):
    """One page of ``unseen_cases``: its cases, the number of cases on every page, which
    page it is and how many there are."""

    cases: list[SeenClock]
    total: int
    number: int
    size: int


def unseen_page(cases: QuerySet[SeenClock], *, number: int, size: int) -> UnseenPage:
    """Page ``number`` (from 1) of ``cases`` (``unseen_cases``), counted in the same query (a
    window count), so the open cases are gone through once; a page past the last gives the
    last, in one more query."""
    number = max(1, number)
    counted = cases.annotate(_total=Window(Count("pk")))
    found = list(counted[(number - 1) * size : number * size])
    if not found and number > 1:
        total = cases.count()
        number = max(1, -(-total // size))
        found = list(counted[(number - 1) * size : number * size])
    total = found[0]._total if found else 0
    return UnseenPage(cases=found, total=total, number=number, size=size)


def unseen_rows(
    cases: Iterable[Case | SeenClock],
    *,
    authority: LocalAuthority,
    on: date,
    teams: Iterable[Team] | None = None,
) -> list[UnseenRow]:
    """Rows for one page of ``unseen_cases`` (or any cases with clocks), in its order: the
    clocks with their cases, children and the staff they name in one query, whatever the
    page's length; the teams in one more unless given (``teams``: the authority's, which the
    page has already read)."""
    order = [c.pk for c in cases]
    found = SeenClock.objects.filter(pk__in=order).select_related(
        "case", "child", "last_seen_by", "holder"
    ).in_bulk()
    clocks = [found[pk] for pk in order if pk in found]
    if teams is not None:
        teams = {t.pk: t for t in teams}
    else:
        team_ids = {c.holder_team_id for c in clocks if c.holder_team_id is not None}
        teams = Team.objects.in_bulk(team_ids) if team_ids else {}
    by_stage = standards(authority)
    return [
        UnseenRow(
            case=c.case,
            child=c.child,
            stage=STAGE_BY_CODE[c.stage],
            standard=by_stage[c.stage],
            last_seen=c.last_seen,
            seen_by=c.last_seen_by,
            worker=c.holder,
            team=teams.get(c.holder_team_id),
            on=on,
        )
        for c in clocks
    ]


@dataclass(frozen=True)
class LastSeen:
    day: date
    by: User | None

    def days_ago(self, on: date) -> int:
        return (on - self.day).days


def with_last_seen_by(cases: QuerySet[Case]) -> QuerySet[Case]:
    """``with_last_seen``, with the name of who saw the child then: what ``last_seen`` reads.
    The case page reads it with the case itself (registered in ``apps.py``)."""
    by = User.objects.filter(pk=OuterRef("last_seen_by_id"))
    return with_last_seen(cases).annotate(
        _by_first=Subquery(by.values("first_name")[:1]),
        _by_last=Subquery(by.values("last_name")[:1]),
        _by_username=Subquery(by.values("username")[:1]),
    )


_LAST_SEEN_FIELDS = ("last_seen", "last_seen_by_id", "_by_first", "_by_last", "_by_username")


def last_seen(case: Case) -> LastSeen | None:
    """When and by whom ``case``'s child was last seen (any of their cases): read with the
    case when it was read through ``with_last_seen_by``, or in one query."""
    if all(hasattr(case, name) for name in _LAST_SEEN_FIELDS):
        seen = {name: getattr(case, name) for name in _LAST_SEEN_FIELDS}
    else:
        seen = (
            with_last_seen_by(Case.objects.filter(pk=case.pk)).values(*_LAST_SEEN_FIELDS).first()
        )
    if not seen or seen["last_seen"] is None:
        return None
    by = None
    if seen["last_seen_by_id"] is not None:
        by = User(
            pk=seen["last_seen_by_id"],
            first_name=seen["_by_first"] or "",
            last_name=seen["_by_last"] or "",
            username=seen["_by_username"] or "",
        )
    return LastSeen(day=seen["last_seen"], by=by)


def own_teams(user: User) -> QuerySet[Team]:
    """The teams ``user`` belongs to (a social worker's view of the unseen list)."""
    return user.teams.all()
