"""CP visits on time: the window-function form (``LEAD`` over a child's seen visits) against the
definition it replaced, which looked up "the first seen visit after this one" with a correlated
subquery for every visit. Both must pick the same children on hand-built edge cases, for
period ends that move every boundary."""

from datetime import date, timedelta

import pytest
from django.db.models import (
    DateField,
    Exists,
    F,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from safeguard.casework.models import Visit
from safeguard.people.models import Person
from safeguard.performance.calendar import ensure_calendar, index_of
from safeguard.performance.indicators import (
    Period,
    cases_of,
    cp_children_due_visits,
    cp_visits_on_time,
)
from safeguard.performance.tests import build

pytestmark = pytest.mark.django_db

TO = date(2026, 3, 31)  # a Tuesday; 17 March is 10 working days before it


def correlated_cp_visits_on_time(p: Period) -> QuerySet:
    """The definition before the window function, kept as the oracle: each point (plan start,
    each seen visit from the start) compared with the first seen visit after it, or ``to``."""

    def next_point(after: str):
        seen = (
            Visit.objects.filter(
                case__child=OuterRef("case__child"),
                child_seen=True,
                visit_date__gt=OuterRef(after),
                visit_date__lte=p.end,
            )
            .order_by()
            .values("case__child")
            .annotate(first=Min("visit_date"))
            .values("first")
        )
        return Coalesce(Subquery(seen), Value(p.end), output_field=DateField())

    broken_after_visit = (
        Visit.objects.filter(
            case__child=OuterRef("case__child"),
            child_seen=True,
            visit_date__gte=OuterRef("start_date"),
            visit_date__lte=p.end,
        )
        .annotate(_next=next_point("visit_date"))
        .annotate(_gap=index_of("_next") - index_of("visit_date"))
        .filter(_gap__gt=F("case__authority__cp_visit_interval_wd"))
    )
    on_time = (
        cp_children_due_visits(p)
        .annotate(_next=next_point("start_date"))
        .annotate(_gap=index_of("_next") - index_of("start_date"))
        .filter(_gap__lte=F("case__authority__cp_visit_interval_wd"))
    )
    return on_time.filter(~Exists(broken_after_visit))


def _children(plans: QuerySet) -> set:
    return set(cases_of(plans).values_list("child", flat=True))


def _on_plan(world, start, visits=(), *, unseen=(), who=None):
    c = build.case(world, who, referred=date(2026, 1, 5))
    build.plan(world, c, start=start)
    for day in visits:
        build.visit(world, c, day)
    for day in unseen:
        build.visit(world, c, day, seen=False)
    return c.child


@pytest.fixture
def edges(world):
    """Children at the edges of the definition, by what is expected of them on ``TO``."""
    ensure_calendar()
    kids = {}
    # Every gap exactly 10 working days: 2 -> 16 -> 30 March, then 1 to the end.
    kids["boundary"] = _on_plan(world, date(2026, 3, 2), [date(2026, 3, 16), date(2026, 3, 30)])
    # First gap 10, then 11 between two visits (16 -> 31 March).
    kids["one_day_over"] = _on_plan(world, date(2026, 3, 2), [date(2026, 3, 16), TO])
    # The last gap runs to the period end: 17 -> 31 March is 10, on time; 16 -> 31 is 11.
    kids["last_gap_to_end"] = _on_plan(world, date(2026, 3, 6), [date(2026, 3, 17)])
    kids["last_gap_too_long"] = _on_plan(
        world, date(2026, 3, 6), [date(2026, 3, 16)], unseen=[date(2026, 3, 25)]
    )
    # A plan with no visits: exactly 10 working days old is on time, 11 is not.
    kids["no_visits_10"] = _on_plan(world, date(2026, 3, 17))
    kids["no_visits_11"] = _on_plan(world, date(2026, 3, 16))
    # Visits on the start day, twice on one day, before the start and after the period end.
    kids["same_days"] = _on_plan(
        world,
        date(2026, 3, 2),
        [date(2026, 2, 2), date(2026, 3, 2), date(2026, 3, 13), date(2026, 3, 13),
         date(2026, 3, 27), date(2026, 4, 20)],
    )  # fmt: skip
    # An unborn child on a pre-birth plan, seen (through the mother) in time.
    unborn = Person.objects.create(
        authority=world.authority, given_names="", family_name="Unborn",
        expected_date_of_birth=date(2026, 5, 1),
    )  # fmt: skip
    kids["unborn"] = _on_plan(
        world, date(2026, 3, 2), [date(2026, 3, 12), date(2026, 3, 26)], who=unborn
    )
    # Two plans of one child on two cases: the visits of both cases count for each plan. The
    # older plan has a long gap (2 -> 18 February) before the newer one starts, so only the
    # newer plan is on time, and the child is counted once in each part.
    two = build.child(world)
    _on_plan(world, date(2026, 1, 19), [date(2026, 2, 2), date(2026, 2, 18)], who=two)
    _on_plan(world, date(2026, 2, 18), [date(2026, 3, 4), date(2026, 3, 18)], who=two)
    kids["two_plans"] = two
    # Two plans of one child, both broken by the same gap (4 -> 19 March) after both starts.
    both = build.child(world)
    _on_plan(world, date(2026, 2, 2), [date(2026, 2, 13), date(2026, 3, 4)], who=both)
    _on_plan(world, date(2026, 2, 16), [date(2026, 3, 19)], who=both)
    kids["two_plans_broken"] = both
    return kids


def test_the_window_form_picks_the_expected_children(edges):
    p = Period(date(2025, 4, 1), TO)
    on_time = {"boundary", "last_gap_to_end", "no_visits_10", "same_days", "unborn", "two_plans"}
    assert _children(cp_visits_on_time(p)) == {edges[k].pk for k in on_time}
    assert _children(cp_children_due_visits(p)) == {kid.pk for kid in edges.values()}


def test_the_window_form_agrees_with_the_correlated_definition(edges):
    # Every period end from 2 February to 20 April moves each boundary across each visit.
    day = date(2026, 2, 2)
    checked = 0
    while day <= date(2026, 4, 20):
        p = Period(date(2025, 4, 1), day)
        new, old = _children(cp_visits_on_time(p)), _children(correlated_cp_visits_on_time(p))
        assert new == old, day
        checked += bool(old)
        day += timedelta(days=1)
    assert checked > 30  # the comparison saw children on time on most days, not only none
