"""Reading backlog review exercises: choosing an exercise's cases by filters (one query), the
list of exercises, one exercise with its progress per reviewer, one case to review (the child's
case read through ``casework.selectors.access_case``, which logs the access) and the summary
by outcome and risk."""

from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter
from uuid import UUID

from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.http import Http404

from safeguard.accounts.models import AgencyKind, Team, User
from safeguard.accounts.roles import RECORDING_ROLES
from safeguard.backlog import permissions
from safeguard.backlog.models import Exercise, ExerciseCase, Outcome, OutcomeKind, Risk
from safeguard.backlog.permissions import Action
from safeguard.casework import permissions as case_permissions
from safeguard.casework.models import Allocation, Case, Visit, priority_rank_expression
from safeguard.casework.selectors import access_case
from safeguard.core.workdays import working_days_between
from safeguard.people import selectors as people
from safeguard.timescales.models import DueEntry
from safeguard.timescales.selectors import ListPage, with_last_seen

# "Not rated" in a filter of priorities (a case's empty priority).
UNRATED = "unrated"


@dataclass(frozen=True)
class Filters:
    """What chooses an exercise's cases; every filter given must hold (and)."""

    unallocated: bool = False
    overdue: bool = False
    unseen_days: int | None = None
    priorities: tuple[str, ...] = ()
    team: Team | None = None

    def as_json(self) -> dict:
        return {
            "unallocated": self.unallocated,
            "overdue": self.overdue,
            "unseen_days": self.unseen_days,
            "priorities": list(self.priorities),
            "team": self.team.pk if self.team else None,
            "team_name": self.team.name if self.team else "",
        }


def describe(filters: dict) -> list[str]:
    """The filters an exercise was opened with, in words."""
    words = []
    if filters.get("team_name"):
        words.append(f"open in {filters['team_name']}")
    if filters.get("unallocated"):
        words.append("unallocated")
    if filters.get("overdue"):
        words.append("with overdue items")
    if filters.get("unseen_days"):
        words.append(f"child not seen for {filters['unseen_days']} days or more")
    if filters.get("priorities"):
        labels = {"red": "red", "amber": "amber", "green": "green", UNRATED: "not rated"}
        words.append("priority " + " or ".join(labels.get(p, p) for p in filters["priorities"]))
    return words or ["every open case"]


def choose_cases(user, filters: Filters, *, on: date) -> list[Case]:
    """The open cases ``user`` may see that meet every filter, by priority (red first) then
    longest waiting: one query."""
    cases = case_permissions.visible_to(user).filter(
        closure_date__isnull=True, referral_date__lte=on
    )
    if filters.team is not None:
        cases = cases.filter(team=filters.team)
    if filters.unallocated:
        held = Allocation.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gt=on), case=OuterRef("pk"), start_date__lte=on
        )
        cases = cases.filter(~Exists(held))
    if filters.overdue:
        cases = cases.filter(Exists(DueEntry.objects.filter(case=OuterRef("pk"), due_date__lt=on)))
    if filters.unseen_days:
        cutoff = on - timedelta(days=filters.unseen_days)
        cases = with_last_seen(cases).filter(
            Q(last_seen__isnull=True) | Q(last_seen__lte=cutoff), referral_date__lte=cutoff
        )
    if filters.priorities:
        wanted = ["" if p == UNRATED else p for p in filters.priorities]
        cases = cases.filter(priority__in=wanted)
    return list(
        cases.annotate(priority_order=priority_rank_expression())
        .order_by("priority_order", "referral_date", "pk")
        .only("pk", "child_id", "authority_id", "team_id", "referral_date", "priority")
    )


def reviewer_choices(authority_id):
    """Who may review: the authority's active social workers and managers."""
    return User.objects.filter(
        agency__authority_id=authority_id,
        agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
        role__in=RECORDING_ROLES,
        is_active=True,
    ).order_by("last_name", "first_name", "pk")


def team_choices(authority_id):
    return Team.objects.filter(
        agency__authority_id=authority_id, agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE
    ).order_by("name", "pk")


@dataclass(frozen=True)
class ExerciseRow:
    exercise: Exercise
    total: int
    reviewed: int

    @property
    def left(self) -> int:
        return self.total - self.reviewed


def exercises_for(user) -> list[ExerciseRow]:
    """The exercises ``user`` may see, newest first, with how many cases each has and how many
    are reviewed: one query (counts only, no child)."""
    rows = (
        permissions.visible_to(user)
        .select_related("opened_by")
        .annotate(
            total=Count("cases", distinct=True),
            reviewed=Count("cases", filter=Q(cases__reviewed_on__isnull=False), distinct=True),
        )
    )
    return [ExerciseRow(e, e.total, e.reviewed) for e in rows]


def access_exercise(*, user, exercise_id: UUID) -> Exercise:
    exercise = (
        permissions.visible_to(user)
        .select_related("opened_by")
        .prefetch_related("reviewers")
        .filter(pk=exercise_id)
        .first()
    )
    if exercise is None or not permissions.can(user, Action.SEE, exercise):
        raise Http404("No such exercise")
    return exercise


@dataclass(frozen=True)
class Progress:
    reviewer: User | None
    total: int
    reviewed: int

    @property
    def left(self) -> int:
        return self.total - self.reviewed


def progress(exercise: Exercise) -> list[Progress]:
    """Done and left per reviewer (the unassigned cases last): one query."""
    counts = (
        ExerciseCase.objects.filter(exercise=exercise)
        .values("reviewer")
        .annotate(total=Count("pk"), reviewed=Count("pk", filter=Q(reviewed_on__isnull=False)))
    )
    by_reviewer = {r["reviewer"]: r for r in counts}
    rows = [
        Progress(user, by_reviewer.get(user.pk, {}).get("total", 0),
                 by_reviewer.get(user.pk, {}).get("reviewed", 0))
        for user in sorted(exercise.reviewers.all(), key=lambda u: (u.last_name, u.first_name))
    ]  # fmt: skip
    if None in by_reviewer:
        rows.append(Progress(None, by_reviewer[None]["total"], by_reviewer[None]["reviewed"]))
    return rows


# Cases to a page of an exercise: the 2009 task force reviewed about 400, and each page logs
# access only for the children it shows.
CASES_PAGE_SIZE = 50


def exercise_cases(user, exercise: Exercise, *, mine: bool, request=None, number: int = 1):
    """One page of the exercise's cases as its page lists them (only ``user``'s own when
    ``mine``), with their outcomes; sealed children left out and counted
    (``people.show_rows``). Four queries and the access log of the page's children, however
    many cases. Returns the ``show_rows`` result and the page (``ListPage``)."""
    rows = ExerciseCase.objects.filter(exercise=exercise)
    if mine:
        rows = rows.filter(reviewer=user)
    total = rows.count()
    size = CASES_PAGE_SIZE
    number = min(max(1, number), max(1, -(-total // size)))
    start = (number - 1) * size
    page_rows = list(
        rows.select_related("case__child", "case__team", "reviewer")
        .prefetch_related("outcomes")
        .order_by("position")[start : start + size]
    )
    shown = people.show_rows(
        user=user, rows=page_rows, child=attrgetter("case.child"), request=request
    )
    return shown, ListPage(rows=shown.rows, total=total, number=number, size=size)


def access_exercise_case(*, user, exercise_id: UUID, item_id: UUID, request=None) -> ExerciseCase:
    """One case of an exercise; its child's case is read through ``access_case`` (logged)."""
    exercise = access_exercise(user=user, exercise_id=exercise_id)
    item = (
        ExerciseCase.objects.filter(exercise=exercise, pk=item_id)
        .select_related("reviewer")
        .prefetch_related("outcomes")
        .first()
    )
    if item is None:
        raise Http404("No such case in this exercise")
    item.exercise = exercise
    item.case = access_case(user=user, case_id=item.case_id, request=request)
    return item


@dataclass(frozen=True)
class Summary:
    """What an exercise found and did, as the 2009 task force reported its review."""

    exercise: Exercise
    total: int
    reviewed: int
    by_outcome: list[tuple[str, int]]
    by_risk: list[tuple[str, int]]
    first_review: date | None
    last_review: date | None
    visits_made: int
    on: date

    @property
    def left(self) -> int:
        return self.total - self.reviewed

    @property
    def working_days(self) -> int | None:
        """Working days from opening to the last review (to today while cases are left)."""
        end = self.last_review if self.left == 0 and self.last_review else self.on
        return working_days_between(self.exercise.opened_on, end)

    @property
    def finished(self) -> bool:
        return self.total > 0 and self.left == 0


def summary(exercise: Exercise, *, on: date) -> Summary:
    """Counts by outcome and by risk, the time taken and the cases left: three queries."""
    cases = ExerciseCase.objects.filter(exercise=exercise)
    totals = cases.aggregate(
        total=Count("pk"),
        reviewed=Count("pk", filter=Q(reviewed_on__isnull=False)),
        first=Min("reviewed_on"),
        last=Max("reviewed_on"),
    )
    risks = dict(
        cases.exclude(risk="").values("risk").annotate(n=Count("pk")).values_list("risk", "n")
    )
    visit_made = Visit.objects.filter(
        case_id=OuterRef("exercise_case__case_id"),
        visit_date__gte=OuterRef("exercise_case__reviewed_on"),
        child_seen=True,
    )
    outcomes = (
        Outcome.objects.filter(exercise_case__exercise=exercise)
        .values("kind")
        .annotate(
            n=Count("pk"),
            made=Count("pk", filter=Q(kind=OutcomeKind.HOME_VISIT) & Q(Exists(visit_made))),
        )
    )
    by_kind = {r["kind"]: r for r in outcomes}
    return Summary(
        exercise=exercise,
        total=totals["total"],
        reviewed=totals["reviewed"],
        by_outcome=[(k.label, by_kind.get(k.value, {}).get("n", 0)) for k in OutcomeKind],
        by_risk=[(r.label, risks.get(r.value, 0)) for r in Risk],
        first_review=totals["first"],
        last_review=totals["last"],
        visits_made=by_kind.get(OutcomeKind.HOME_VISIT, {}).get("made", 0),
        on=on,
    )
