"""Issue 14, item 2: every open case has a worker or waits in its team's unallocated queue;
the queue shows priority, days waiting, last seen, the next due step and the manager's review;
allocating needs a reason and moves what is due; a manager reviews each waiting case every
``unallocated_review_wd`` working days, and an overdue review shows as overdue."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from safeguard.casework import services as casework
from safeguard.casework.models import Case, UnallocatedReview
from safeguard.core.errors import ApplicationError
from safeguard.core.workdays import add_working_days
from safeguard.testing.journey import open_case
from safeguard.timescales.engine import case_timescales
from safeguard.timescales.models import DueEntry
from safeguard.timescales.selectors import (
    unallocated_by_team,
    unallocated_count,
    unallocated_page,
    unallocated_queues,
)

pytestmark = pytest.mark.django_db

MONDAY = date(2025, 3, 3)


def reviews(case, on):
    return [
        (i.start_date, i.due_date, i.done_date, i.status)
        for i in case_timescales(case, on=on)
        if i.rule.id == "unallocated_review"
    ]


def on(field: str, day: date) -> dict:
    return {
        f"{field}_day": str(day.day),
        f"{field}_month": str(day.month),
        f"{field}_year": str(day.year),
    }


# --- The responsible team -------------------------------------------------------------------


def test_a_case_opened_waits_in_the_team_of_whoever_opened_it(world):
    case = open_case(world, received=MONDAY)
    assert case.team == world.team_a
    tom = open_case(world, world.child_tom, received=MONDAY, by=world.sw_ben)
    assert tom.team == world.team_b


def test_allocation_makes_the_allocated_team_answer_for_the_case(world):
    case = open_case(world, received=MONDAY)
    casework.case_allocate(
        by=world.tm_carol, case=case, worker=world.sw_ben, team=world.team_b,
        start_date=MONDAY, reason="Ben's team covers the school",
    )  # fmt: skip
    case.refresh_from_db()
    assert case.team == world.team_b


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_allocating_without_a_reason_is_refused_and_changes_nothing(world, reason):
    case = open_case(world, received=MONDAY)
    with pytest.raises(ApplicationError, match="Give the reason for allocating the case"):
        casework.case_allocate(
            by=world.tm_carol, case=case, worker=world.sw_ben, team=world.team_b,
            start_date=MONDAY, reason=reason,
        )  # fmt: skip
    case.refresh_from_db()
    assert (case.team, case.allocations.count()) == (world.team_a, 0)


def test_due_items_move_with_the_case(world):
    """The open items of an unallocated case wait with its team; allocated, they are the
    worker's in the new team; reallocated, they move again."""
    case = open_case(world, received=MONDAY)

    def items():
        return set(
            DueEntry.objects.filter(case=case).values_list("rule_id", "worker_id", "team_id")
        )

    waiting = items()
    assert {(w, t) for _, w, t in waiting} == {(None, world.team_a.pk)}
    assert "unallocated_review" in {r for r, _, _ in waiting}
    casework.case_allocate(
        by=world.tm_carol, case=case, worker=world.sw_ben, team=world.team_b,
        start_date=MONDAY, reason="Ben knows the family",
    )  # fmt: skip
    held = items()
    assert {(w, t) for _, w, t in held} == {(world.sw_ben.pk, world.team_b.pk)}
    # Allocated the day it opened, it never waited: no review is due.
    assert "unallocated_review" not in {r for r, _, _ in held}
    assert {r for r, _, _ in held} == {r for r, _, _ in waiting} - {"unallocated_review"}
    casework.case_allocate(
        by=world.tm_carol, case=case, worker=world.sw_amy, team=world.team_a,
        start_date=date(2025, 3, 10), reason="Ben is leaving",
    )  # fmt: skip
    assert {(w, t) for _, w, t in items()} == {(world.sw_amy.pk, world.team_a.pk)}


def test_the_migration_fills_the_team_from_the_allocation_or_the_opener(world):
    import importlib

    from django.apps import apps

    fill = importlib.import_module(
        "safeguard.casework.migrations.0009_case_team_and_unallocated_reviews"
    ).fill_teams
    held = open_case(world, received=MONDAY)
    casework.case_allocate(
        by=world.tm_carol, case=held, worker=world.sw_ben, team=world.team_b,
        start_date=MONDAY, reason="Test",
    )  # fmt: skip
    waiting = open_case(world, world.child_tom, received=MONDAY)
    Case.objects.update(team=None)
    fill(apps, None)
    assert dict(Case.objects.values_list("pk", "team")) == {
        held.pk: world.team_b.pk,
        waiting.pk: world.team_a.pk,
    }


# --- The review clock -----------------------------------------------------------------------


def test_the_review_clock_runs_from_the_referral_and_restarts_at_each_review(world):
    case = open_case(world, received=MONDAY)
    # 5 working days from Monday 3 March: Monday 10 March.
    assert reviews(case, date(2025, 3, 7)) == [(MONDAY, date(2025, 3, 10), None, "due")]
    assert reviews(case, date(2025, 3, 10)) == [(MONDAY, date(2025, 3, 10), None, "due")]
    assert reviews(case, date(2025, 3, 11)) == [(MONDAY, date(2025, 3, 10), None, "overdue")]
    casework.unallocated_review_record(
        by=world.tm_carol, case=case, review_date=date(2025, 3, 11),
        decision="Wait: the health visitor sees the family weekly meanwhile",
    )  # fmt: skip
    assert reviews(case, date(2025, 3, 12)) == [
        (MONDAY, date(2025, 3, 10), date(2025, 3, 11), "late"),
        (date(2025, 3, 11), date(2025, 3, 18), None, "due"),
    ]


def test_the_standard_is_the_authoritys(world):
    world.authority.unallocated_review_wd = 2
    world.authority.save()
    case = open_case(world, received=MONDAY)
    case.refresh_from_db()
    assert reviews(case, MONDAY) == [(MONDAY, date(2025, 3, 5), None, "due")]


def test_a_case_waiting_again_after_an_allocation_ends_starts_a_new_clock(world):
    case = open_case(world, received=MONDAY)
    allocation = casework.case_allocate(
        by=world.tm_carol, case=case, worker=world.sw_amy, team=world.team_a,
        start_date=date(2025, 3, 4), reason="Test",
    )  # fmt: skip
    allocation.end_date = date(2025, 3, 20)  # Amy left (recorded outside a service)
    allocation.save()
    case.refresh_from_db()
    assert reviews(case, date(2025, 3, 19)) == []
    # The first wait (one day) ended unreviewed and is not shown; the new one runs.
    assert reviews(case, date(2025, 3, 21)) == [(date(2025, 3, 20), date(2025, 3, 27), None, "due")]


def test_only_a_manager_reviews_and_only_a_waiting_case(world):
    case = open_case(world, received=MONDAY)
    with pytest.raises(PermissionDenied):
        casework.unallocated_review_record(
            by=world.sw_amy, case=case, review_date=MONDAY, decision="Wait"
        )
    with pytest.raises(ApplicationError, match="Enter the decision"):
        casework.unallocated_review_record(
            by=world.tm_carol, case=case, review_date=MONDAY, decision="  "
        )
    casework.case_allocate(
        by=world.tm_carol, case=case, worker=world.sw_amy, team=world.team_a,
        start_date=date(2025, 3, 5), reason="Test",
    )  # fmt: skip
    with pytest.raises(ApplicationError, match="only a case nobody holds"):
        casework.unallocated_review_record(
            by=world.tm_carol, case=case, review_date=date(2025, 3, 6), decision="Wait"
        )
    # The day before it was allocated, it waited: a late record of that review is taken.
    casework.unallocated_review_record(
        by=world.tm_carol, case=case, review_date=date(2025, 3, 4), decision="Allocate to Amy"
    )
    assert UnallocatedReview.objects.filter(case=case).count() == 1


def test_the_review_form_records_the_decision(world, client):
    case = open_case(world, received=MONDAY)
    client.force_login(world.tm_carol)
    url = reverse("casework:unallocated-review-new", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "", **on("review_date", MONDAY)})
    assert "Enter the decision on the case" in response.content.decode()
    response = client.post(url, {"decision": "Keep waiting: low risk", **on("review_date", MONDAY)})
    assert response.status_code == 302
    review = UnallocatedReview.objects.get(case=case)
    assert (review.reviewed_by, review.decision) == (world.tm_carol, "Keep waiting: low risk")
    page = client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    assert "Keep waiting: low risk" in page and "Reviews while unallocated" in page


# --- The team's queue -----------------------------------------------------------------------


def test_the_team_queue_shows_its_own_waiting_cases_with_the_review_due(world, client):
    today = timezone.localdate()
    opened = add_working_days(today, -8)
    sam = open_case(world, received=opened)
    tom = open_case(world, world.child_tom, received=opened, by=world.sw_ben)
    casework.unallocated_review_record(
        by=world.tm_carol, case=sam, review_date=add_working_days(today, -1), decision="Wait"
    )
    client.force_login(world.tm_carol)
    response = client.get(reverse("timescales:team-unallocated", args=[world.team_a.pk]))
    [row] = response.context["rows"]
    assert row.case == sam and row.days_waiting == (today - opened).days
    assert row.last_review == add_working_days(today, -1)
    assert row.review.item.status == "due" and row.next_due is not None
    response = client.get(reverse("timescales:team-unallocated", args=[world.team_b.pk]))
    [row] = response.context["rows"]
    assert row.case == tom and row.last_review is None
    # Referred 8 working days ago and never reviewed: the review is overdue.
    assert row.review.item.status == "overdue"
    assert "Review overdue" in response.content.decode()
    assert reverse("casework:unallocated-review-new", args=[tom.pk]) in response.content.decode()


def test_the_managers_home_page_links_to_their_teams_queues(world, client):
    open_case(world, received=MONDAY)
    world.team_a.manager = world.tm_carol
    world.team_a.save()
    assert unallocated_by_team(world.tm_carol, on=timezone.localdate()) == [(world.team_a, 1)]
    client.force_login(world.tm_carol)
    content = client.get(reverse("work:home")).content.decode()
    assert reverse("timescales:team-unallocated", args=[world.team_a.pk]) in content
    team_page = client.get(reverse("timescales:team", args=[world.team_a.pk])).content.decode()
    assert "1 unallocated case in Child Protection Team A" in team_page


def test_the_service_total_and_the_managers_queues_are_counted_together(world, client):
    """The home page's two unallocated figures come from one count by team: the service's
    total (every team, and a case without one) and the manager's own teams."""
    sam = open_case(world, received=MONDAY)
    tom = open_case(world, world.child_tom, received=MONDAY, by=world.sw_ben)
    Case.objects.filter(pk=sam.pk).update(team=world.team_a)
    Case.objects.filter(pk=tom.pk).update(team=world.team_b)
    world.team_a.manager = world.tm_carol
    world.team_a.save()
    today = timezone.localdate()
    total, queues = unallocated_queues(world.tm_carol, on=today)
    assert (total, queues) == (2, [(world.team_a, 1)])
    assert total == unallocated_count(world.authority, on=today)
    casework.case_allocate(
        by=world.tm_carol, case=sam, worker=world.sw_amy, team=world.team_a, start_date=MONDAY,
        reason="Allocated at the team meeting",
    )
    assert unallocated_queues(world.tm_carol, on=today) == (1, [(world.team_a, 0)])


def test_the_queue_makes_a_fixed_number_of_queries(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> tuple[int, int]:
        client.force_login(world.tm_carol)
        url = reverse("timescales:team-unallocated", args=[world.team_a.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        return len(captured), len(response.context["rows"])

    open_case(world, received=MONDAY)
    one, shown = count()
    assert shown == 1
    for child in (world.child_tom, world.child_sally):
        open_case(world, child, received=MONDAY)
    for case in Case.objects.all():
        casework.unallocated_review_record(
            by=world.tm_carol, case=case, review_date=date(2025, 3, 5), decision="Wait"
        )
    many, shown = count()
    assert shown == 3
    assert many == one


def test_unallocated_page_pages_in_sql(world):
    for child in (world.child_sam, world.child_tom, world.child_sally):
        open_case(world, child, received=MONDAY)
    page = unallocated_page(
        world.authority, on=timezone.localdate(), number=2, size=2, team=world.team_a
    )
    assert (page.total, len(page.rows), page.number) == (3, 1, 2)
