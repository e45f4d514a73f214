"""Reads of supervision: each worker's required interval on a day and whether they are
supervised within it, their sessions and open actions, the staff a manager oversees, and
what a new session starts from (caseload, overdue items, children unseen beyond standard,
data errors, the cases not discussed for longest, actions carried forward).

The rows about children returned here are not logged: a page passes them through
``people.selectors.show_rows`` (decision 0001).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Case as DbCase
from django.db.models import (
    CharField,
    Count,
    DateField,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.http import Http404

from safeguard.accounts.models import LocalAuthority, User
from safeguard.accounts.roles import RECORDING_ROLES
from safeguard.casework.models import Allocation, Case
from safeguard.core.workdays import add_months
from safeguard.quality.models import QualityIssue, Severity
from safeguard.quality.selectors import issues as quality_issues
from safeguard.supervision import permissions
from safeguard.supervision.models import (
    SCHEDULE,
    CaseDiscussion,
    CaseStageFrequency,
    Interval,
    Session,
    SessionAction,
    SessionDecision,
    WorkerFrequency,
    interval_after,
    interval_before,
)
from safeguard.supervision.permissions import Action
from safeguard.timescales import selectors as timescales
from safeguard.workforce import selectors as workforce

# domain.md §6 (employer standard 5): newly qualified staff weekly for the first 6 weeks,
# fortnightly to 6 months, then (like experienced staff) at least monthly.
NEWLY_QUALIFIED_WEEKLY_DAYS = 42
NEWLY_QUALIFIED_FORTNIGHTLY_MONTHS = 6

# How often a case at each stage is discussed, unless the authority sets otherwise
# (``CaseStageFrequency``): local standards ([L]); "child protection cases in supervision
# at least monthly" is the local example in domain.md §6.
CASE_STAGE_DEFAULTS = {
    "unallocated": Interval.MONTHLY,
    "section47": Interval.FORTNIGHTLY,
    "cp_plan": Interval.MONTHLY,
    "assessment": Interval.MONTHLY,
    "cin": Interval.QUARTERLY,
}


def scheduled_interval(qualified_on: date | None, on: date) -> str:
    """The standard schedule on ``on`` for a worker who qualified on ``qualified_on``: weekly
    for the first 6 weeks (42 days: the day of qualifying is the first), fortnightly until
    6 months after qualifying (``add_months``), then monthly. Without a date of qualifying,
    an experienced worker: monthly."""
    if qualified_on is None:
        return Interval.MONTHLY
    if on < qualified_on + timedelta(days=NEWLY_QUALIFIED_WEEKLY_DAYS):
        return Interval.WEEKLY
    if on < add_months(qualified_on, NEWLY_QUALIFIED_FORTNIGHTLY_MONTHS):
        return Interval.FORTNIGHTLY
    return Interval.MONTHLY


def _settings_on(worker_ids, on: date) -> dict[int, WorkerFrequency]:
    """Each worker's newest frequency setting started on or before ``on``: one query."""
    found: dict[int, WorkerFrequency] = {}
    rows = WorkerFrequency.objects.filter(worker_id__in=list(worker_ids), start_date__lte=on)
    for row in rows.order_by("worker_id", "-start_date", "-created_at"):
        found.setdefault(row.worker_id, row)
    return found


@dataclass
class Required:
    interval: str
    set_by_setting: WorkerFrequency | None

    @property
    def label(self) -> str:
        return Interval(self.interval).label

    @property
    def source(self) -> str:
        if self.set_by_setting is not None:
            return (
                f"set from {self.set_by_setting.start_date:%-d %B %Y}: {self.set_by_setting.reason}"
            )
        return "the standard schedule"


def required_intervals(workers: list[User], on: date) -> dict[int, Required]:
    """Each worker's required interval on ``on``: their own setting if one has started and
    is not "the standard schedule", else the schedule by date qualified. One query."""
    settings = _settings_on([w.pk for w in workers], on)
    found = {}
    for worker in workers:
        setting = settings.get(worker.pk)
        if setting is not None and setting.interval != SCHEDULE:
            found[worker.pk] = Required(setting.interval, setting)
        else:
            found[worker.pk] = Required(scheduled_interval(worker.qualified_on, on), None)
    return found


def last_signed(worker_ids, on: date) -> dict[int, date]:
    """Each worker's latest session signed by both, dated on or before ``on``: one query."""
    rows = (
        Session.objects.filter(
            supervisee_id__in=list(worker_ids),
            session_date__lte=on,
            supervisee_signed_at__isnull=False,
        )
        .values("supervisee_id")
        .annotate(last=Max("session_date"))
    )
    return {r["supervisee_id"]: r["last"] for r in rows}


@dataclass
class Status:
    """A worker's supervision on a day (kpis.md ``supervision_on_time``)."""

    worker: User
    on: date
    required: Required
    last: date | None

    @property
    def since(self) -> date:
        """The earliest date a session may be on and be within the interval on ``on``."""
        return interval_before(self.on, self.required.interval)

    @property
    def joined(self) -> date:
        return self.worker.date_joined.date()

    @property
    def new_starter(self) -> bool:
        """Joined less than one interval before ``on``: supervised until it ends. An account
        made after ``on`` (staff loaded later than the records they held) is not: they are
        judged by their sessions."""
        return self.since < self.joined <= self.on

    @property
    def in_time(self) -> bool:
        return (self.last is not None and self.last >= self.since) or self.new_starter

    @property
    def due(self) -> date:
        """When the next session is due: one interval after the last, or after joining."""
        return interval_after(self.last or self.joined, self.required.interval)

    @property
    def overdue(self) -> bool:
        return not self.in_time

    @property
    def days_overdue(self) -> int:
        return max((self.on - self.due).days, 0) if self.overdue else 0


def statuses(workers: list[User], on: date) -> list[Status]:
    """Each worker's status on ``on``, in the order given: two queries."""
    required = required_intervals(workers, on)
    last = last_signed([w.pk for w in workers], on)
    return [Status(w, on, required[w.pk], last.get(w.pk)) for w in workers]


def _fortnightly_from(on: date) -> date:
    """The earliest date of qualifying with ``on`` still before 6 months after it
    (``add_months(q, 6) > on``): ``add_months`` only ever grows, so one search."""
    q = add_months(on, -NEWLY_QUALIFIED_FORTNIGHTLY_MONTHS)
    while add_months(q, NEWLY_QUALIFIED_FORTNIGHTLY_MONTHS) > on:
        q -= timedelta(days=1)
    while add_months(q, NEWLY_QUALIFIED_FORTNIGHTLY_MONTHS) <= on:
        q += timedelta(days=1)
    return q


def supervised_staff(on: date) -> QuerySet[User]:
    """The staff supervised within their own required interval on ``on`` (kpis.md
    ``supervision_on_time``), as one SQL query for the performance app: the same rule as
    ``Status.in_time``, written with ``on`` as the only constant, so that its SQL depends on
    the day alone and never on the data (the performance app keeps a statement's SQL and
    runs it again on fresh data)."""
    setting = WorkerFrequency.objects.filter(worker=OuterRef("pk"), start_date__lte=on).order_by(
        "-start_date", "-created_at"
    )
    last = (
        Session.objects.filter(
            supervisee=OuterRef("pk"), session_date__lte=on, supervisee_signed_at__isnull=False
        )
        .order_by("-session_date")
        .values("session_date")[:1]
    )
    explicit = [Interval.WEEKLY, Interval.FORTNIGHTLY, Interval.MONTHLY]
    weekly_from = on - timedelta(days=NEWLY_QUALIFIED_WEEKLY_DAYS)
    since = {i: interval_before(on, i) for i in explicit}
    staff = User.objects.annotate(
        _setting=Subquery(setting.values("interval")[:1]),
        _last=Subquery(last),
        _joined=TruncDate("date_joined"),
    ).annotate(
        _interval=DbCase(
            When(_setting__in=explicit, then=F("_setting")),
            When(qualified_on__isnull=True, then=Value(Interval.MONTHLY)),
            When(qualified_on__gt=weekly_from, then=Value(Interval.WEEKLY)),
            When(qualified_on__gte=_fortnightly_from(on), then=Value(Interval.FORTNIGHTLY)),
            default=Value(Interval.MONTHLY),
            output_field=CharField(),
        )
    )
    staff = staff.annotate(
        _since=DbCase(
            *(When(_interval=i, then=Value(since[i])) for i in explicit[:2]),
            default=Value(since[Interval.MONTHLY]),
            output_field=DateField(),
        )
    )
    return staff.filter(Q(_last__gte=F("_since")) | Q(_joined__gt=F("_since"), _joined__lte=on))


def supervised_workers(worker_ids, on: date) -> set[int]:
    """Of ``worker_ids``, those ``supervised_staff`` on ``on``: one query."""
    ids = list(worker_ids)
    return set(supervised_staff(on).filter(pk__in=ids).values_list("pk", flat=True))


# -- Access -------------------------------------------------------------------------------


def access_worker(*, user, worker_id: int, action: Action = Action.SEE_RECORD) -> User:
    """The member of staff whose supervision ``user`` asks for: 404 when there is no such
    case-holding member of staff of the user's authority, 403 when the user may not."""
    worker = (
        User.objects.select_related("agency")
        .filter(pk=worker_id, role__in=RECORDING_ROLES, agency__authority_id=user.authority_id)
        .first()
        if user.is_authenticated and user.authority_id
        else None
    )
    if worker is None:
        raise Http404("No such member of staff")
    if not permissions.can(user, action, worker):
        raise PermissionDenied("You cannot see this supervision record")
    return worker


def access_session(*, user, session_id: UUID, action: Action = Action.SEE_SESSION) -> Session:
    """The session, for ``user`` to ``action``: 404 when they may not see it, 403 when they
    may see it but not do that."""
    session = (
        permissions.visible_to(user)
        .select_related("supervisor", "supervisee")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise Http404("No such supervision session")
    if action != Action.SEE_SESSION and not permissions.can(user, action, session):
        raise PermissionDenied("You cannot do this to this session")
    return session


# -- Pages --------------------------------------------------------------------------------


def sessions_of(worker: User) -> list[Session]:
    """The worker's sessions, newest first, with their supervisors and counts: one query."""
    return list(
        Session.objects.filter(supervisee=worker)
        .select_related("supervisor")
        .annotate(
            cases=Count("discussions", distinct=True),
            open_actions=Count("actions", filter=Q(actions__done_on__isnull=True), distinct=True),
        )
        .order_by("-session_date", "-created_at")
    )


def open_actions(worker: User) -> list[SessionAction]:
    """The actions of the worker's sessions not yet done, oldest due first, with the case and
    child each is about: carried forward into every session until done. One query."""
    return list(
        SessionAction.objects.filter(session__supervisee=worker, done_on__isnull=True)
        .select_related("owner", "session", "discussion__case__child")
        .order_by("due_date", "created_at")
    )


def session_page(session: Session) -> Session:
    """The session with its discussions (case, child, decisions, actions) and its actions:
    a fixed number of queries."""
    discussions = CaseDiscussion.objects.select_related("case__child").prefetch_related(
        Prefetch("decisions", queryset=SessionDecision.objects.order_by("created_at")),
        Prefetch("actions", queryset=SessionAction.objects.select_related("owner")),
    )
    session.discussion_list = list(discussions.filter(session=session).order_by("created_at"))
    session.general_actions = list(
        SessionAction.objects.filter(session=session, discussion__isnull=True).select_related(
            "owner"
        )
    )
    session.done_here = list(
        SessionAction.objects.filter(done_in=session).select_related(
            "owner", "discussion__case__child"
        )
    )
    return session


def staff_statuses(user, on: date) -> list[Status]:
    """The staff in ``user``'s management line, each with their status, most overdue first:
    three queries."""
    workers = list(
        permissions.supervisees(user)
        .select_related("agency")
        .order_by("last_name", "first_name", "pk")
    )
    found = statuses(workers, on)
    return sorted(found, key=lambda s: (not s.overdue, s.due, s.worker.last_name, s.worker.pk))


def overdue_count(user, on: date) -> int:
    return sum(1 for s in staff_statuses(user, on) if s.overdue)


# -- The new session ----------------------------------------------------------------------


def case_intervals(authority: LocalAuthority) -> dict[str, str]:
    """Each stage's case supervision interval for ``authority``: its settings over the
    defaults. One query."""
    found = dict(CASE_STAGE_DEFAULTS)
    rows = CaseStageFrequency.objects.filter(authority=authority).values_list("stage", "interval")
    found.update(dict(rows))
    return found


@dataclass
class CaseToDiscuss:
    """One case of the supervisee's caseload, as the new session lists it."""

    load: workforce.CaseLoad
    last_discussed: date | None
    interval: str
    overdue_items: int = 0
    unseen: bool = False
    errors: int = 0

    @property
    def child(self):
        return self.load.child

    @property
    def case(self):
        return self.load.case

    @property
    def due(self) -> date | None:
        return interval_after(self.last_discussed, self.interval) if self.last_discussed else None

    @property
    def interval_label(self) -> str:
        return Interval(self.interval).label.lower()

    def discussion_overdue(self, on: date) -> bool:
        return self.last_discussed is None or self.due < on


@dataclass
class Prefill:
    """What a new session with ``worker`` starts from on ``on``."""

    worker: User
    on: date
    load: workforce.WorkerLoad
    cases: list[CaseToDiscuss]
    overdue_items: list = field(default_factory=list)
    unseen: list[CaseToDiscuss] = field(default_factory=list)
    errors: list[QualityIssue] = field(default_factory=list)
    carried: list[SessionAction] = field(default_factory=list)
    status: Status | None = None


def prefill(worker: User, *, on: date) -> Prefill:
    """The supervisee's caseload (workforce), their overdue items and the children on their
    cases unseen beyond standard (timescales), the data errors on their cases (quality),
    each case with when it was last discussed in supervision (never discussed first, then
    the longest ago), and the open actions of earlier sessions. A fixed number of queries,
    whatever the caseload."""
    authority = worker.agency.authority
    load = workforce.worker_loads([worker], authority=authority, on=on)[worker.pk]
    case_ids = [c.case.pk for c in load.cases]
    discussed = dict(
        CaseDiscussion.objects.filter(
            case_id__in=case_ids, session__supervisee_signed_at__isnull=False
        )
        .values("case_id")
        .annotate(last=Max("session__session_date"))
        .values_list("case_id", "last")
    )
    by_stage = case_intervals(authority)
    cases = [
        CaseToDiscuss(
            load=c, last_discussed=discussed.get(c.case.pk), interval=by_stage[c.stage.code]
        )
        for c in load.cases
    ]
    by_case = {c.case.pk: c for c in cases}
    overdue_rows = [r for r in timescales.due_for_worker(worker, on=on) if r.item.due_date < on]
    for row in overdue_rows:
        if row.case is not None and row.case.pk in by_case:
            by_case[row.case.pk].overdue_items += 1
    unseen_ids = set(
        timescales.unseen_cases(authority, on=on)
        .filter(pk__in=case_ids)
        .values_list("pk", flat=True)
    )
    for pk in unseen_ids:
        by_case[pk].unseen = True
    errors = list(
        quality_issues(QualityIssue.objects.filter(worker=worker, severity=Severity.ERROR))
    )
    for issue in errors:
        if issue.case_id in by_case:
            by_case[issue.case_id].errors += 1
    cases.sort(
        key=lambda c: (
            c.last_discussed is not None,
            c.last_discussed or on,
            c.child.family_name,
            c.case.pk,
        )
    )
    return Prefill(
        worker=worker,
        on=on,
        load=load,
        cases=cases,
        overdue_items=overdue_rows,
        unseen=[c for c in cases if c.unseen],
        errors=errors,
        carried=open_actions(worker),
        status=statuses([worker], on)[0],
    )


def cases_held(worker: User, *, start: date, end: date) -> QuerySet[Case]:
    """The cases allocated to ``worker`` on some day from ``start`` to ``end``: those a
    session held on ``start`` and recorded on ``end`` may discuss."""
    held = Allocation.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gt=start), worker=worker, start_date__lte=end
    ).values("case_id")
    return Case.objects.filter(pk__in=held).select_related("child")
