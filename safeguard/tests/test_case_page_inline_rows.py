"""Decision 0060: the case page reads a child protection plan's core groups and a child in need
plan's reviews inside the plans' own queries. What it reads must be exactly what the tables
hold (dates, who recorded each, what a review decided, in date order), on both databases, and
reading it must cost no query once the page's case is loaded."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from safeguard.audit.services import save_new
from safeguard.casework import selectors
from safeguard.casework import services as casework
from safeguard.casework.models import Case
from safeguard.protection.models import ChildProtectionPlan, CoreGroupMeeting
from safeguard.tests.test_page_queries import open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(world):
    child = world.child_sam
    case = open_case(world, child)
    amy, carol = world.sw_amy, world.tm_carol
    # A child in need plan, reviewed twice (recorded out of order), ended before the plans.
    cin = casework.cin_plan_start(by=amy, case=case, start_date=date(2024, 2, 12))
    casework.cin_plan_review_record(
        by=carol, plan=cin, review_date=date(2024, 2, 26), outcome="Plan goes on; school to report"
    )
    casework.cin_plan_review_record(by=amy, plan=cin, review_date=date(2024, 2, 19), outcome="")
    casework.cin_plan_end(by=amy, plan=cin, end_date=date(2024, 2, 29))
    cp_plan = ChildProtectionPlan(
        case=case,
        start_date=date(2024, 3, 1),
        initial_category="NEG",
        latest_category="NEG",
        created_by=amy,
    )
    save_new(cp_plan, by=amy, person_id=child.pk)
    # Recorded out of date order, by two people and by nobody (an imported meeting).
    for when, by in ((date(2024, 5, 2), carol), (date(2024, 3, 12), amy), (date(2024, 4, 9), None)):
        meeting = CoreGroupMeeting(plan=cp_plan, meeting_date=when)
        save_new(meeting, by=amy, person_id=child.pk)
        CoreGroupMeeting.objects.filter(pk=meeting.pk).update(created_by=by)
    other = ChildProtectionPlan(
        case=case,
        start_date=date(2024, 2, 5),
        end_date=date(2024, 2, 9),
        initial_category="EMO",
        latest_category="EMO",
        end_reason="risk_reduced",
        created_by=amy,
    )
    save_new(other, by=amy, person_id=child.pk)  # a plan with no core groups
    return case


def test_the_rows_read_with_the_plans_are_those_the_tables_hold(plans):
    (case,) = selectors.with_case_lists(Case.objects.filter(pk=plans.pk))
    selectors.load_case_page(case)
    with CaptureQueriesContext(connection) as read:
        seen_meetings = {
            p.pk: [
                (m.pk, m.meeting_date, m.created_by_id, str(m.created_by or ""), m.plan is p)
                for m in p.core_groups.all()
            ]
            for p in case.cp_plans.all()
        }
        seen_reviews = {
            p.pk: [
                (r.pk, r.review_date, r.outcome, str(r.created_by), r.plan is p)
                for r in p.reviews.all()
            ]
            for p in case.cin_plans.all()
        }
    assert read.captured_queries == []
    expected_meetings = {
        p.pk: [
            (m.pk, m.meeting_date, m.created_by_id, str(m.created_by or ""), True)
            for m in CoreGroupMeeting.objects.filter(plan=p).order_by("meeting_date")
        ]
        for p in ChildProtectionPlan.objects.filter(case=plans)
    }
    assert seen_meetings == expected_meetings
    assert [
        m[1] for m in seen_meetings[max(seen_meetings, key=lambda k: len(seen_meetings[k]))]
    ] == [date(2024, 3, 12), date(2024, 4, 9), date(2024, 5, 2)]
    assert sorted(len(v) for v in seen_meetings.values()) == [0, 3]
    (reviews,) = seen_reviews.values()
    assert [(r[1], r[2], r[4]) for r in reviews] == [
        (date(2024, 2, 19), "", True),
        (date(2024, 2, 26), "Plan goes on; school to report", True),
    ]
    assert reviews[1][3] == str(
        plans.cin_plans.get().reviews.get(review_date=date(2024, 2, 26)).created_by
    )


def test_the_case_page_shows_them(world, client, plans):
    client.force_login(world.sw_amy)
    page = client.get(reverse("casework:case-detail", kwargs={"case_id": plans.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    carol = str(world.tm_carol)
    # The core groups in date order, each with who recorded it.
    recorded = '{} <span class="govuk-body-s">(recorded by'
    first, second, third = (
        html.index(recorded.format(d)) for d in ("12 Mar 2024", "9 Apr 2024", "2 May 2024")
    )
    assert first < second < third
    assert f'2 May 2024 <span class="govuk-body-s">(recorded by {carol})' in html
    assert '9 Apr 2024 <span class="govuk-body-s">(recorded by the system)' in html
    # The reviews, with what the later one decided.
    assert f"Reviewed 26 Feb 2024 by {carol}: Plan goes on; school to report" in html
    assert html.index("Reviewed 19 Feb 2024") < html.index("Reviewed 26 Feb 2024")


def _unallocated_case_page(world, client, case) -> tuple[int, str]:
    from safeguard.tests.test_page_queries import queries, statements

    url = reverse("casework:case-detail", kwargs={"case_id": case.pk})
    read = statements(client, world.tm_carol, url)
    return len(queries(read)), client.get(url).content.decode()


def test_a_case_waiting_unallocated_shows_its_reviews_at_no_cost(world, client):
    """The managers' reviews of an unallocated case are read with the case itself."""
    from safeguard.testing.journey import open_case as referred

    case = referred(world, received=date(2024, 2, 5))
    before, _ = _unallocated_case_page(world, client, case)
    carol = world.tm_carol
    for when, decision in (
        (date(2024, 2, 12), "Keep waiting: low risk, school checks daily"),
        (date(2024, 2, 19), "Keep waiting; duty worker to visit"),
        (date(2024, 2, 12), "Second look the same day after a call from the school"),
    ):
        casework.unallocated_review_record(by=carol, case=case, review_date=when, decision=decision)
    after, page = _unallocated_case_page(world, client, case)
    assert after == before
    loaded = Case.objects.filter(pk=case.pk)
    (loaded,) = selectors.with_case_lists(loaded)
    selectors.load_case_page(loaded)
    with CaptureQueriesContext(connection) as read:
        seen = [
            (r.pk, r.review_date, r.decision, str(r.reviewed_by))
            for r in loaded.unallocated_reviews.all()
        ]
    assert read.captured_queries == []
    assert seen == [
        (r.pk, r.review_date, r.decision, str(r.reviewed_by))
        for r in case.unallocated_reviews.order_by("-review_date", "-created_at")
    ]
    assert [s[2] for s in seen] == [
        "Keep waiting; duty worker to visit",
        "Second look the same day after a call from the school",
        "Keep waiting: low risk, school checks daily",
    ]
    assert "Reviews while unallocated" in page
    positions = [page.index(s[2]) for s in seen]
    assert positions == sorted(positions)


def test_the_contacts_indicators_are_read_with_the_case(world, client):
    """The threshold indicators that led to the referral, in the level's order, at no cost."""
    import tomllib

    from safeguard.referrals.management.commands.load_thresholds import DEFAULT_FILE
    from safeguard.referrals.services import (
        contact_decide,
        contact_record,
        referral_record,
        thresholds_load,
    )

    with DEFAULT_FILE.open("rb") as handle:
        levels = {
            level.number: level
            for level in thresholds_load(
                by=None, authority=world.authority, data=tomllib.load(handle)
            )
        }
    contact = contact_record(
        by=world.sw_amy, child=world.child_sam, contact_date=date(2025, 6, 2), source="2A",
        reason="Bruise on his arm; often hungry at school",
    )  # fmt: skip
    chosen = list(levels[4].indicators.all())[:3]
    contact_decide(
        by=world.sw_amy, contact=contact, level=levels[4], indicators=chosen[::-1],
        rationale="Unexplained bruise", outcome="referral", decision_date=date(2025, 6, 2),
    )  # fmt: skip
    referral = referral_record(
        by=world.sw_amy, child=world.child_sam, received_date=date(2025, 6, 2), source="2A",
        decision="strategy", decision_date=date(2025, 6, 3), contact=contact, primary_need="N1",
    )  # fmt: skip
    (case,) = selectors.with_case_lists(
        Case.objects.select_related(*selectors.CASE_PAGE_JOINS).filter(pk=referral.case_id)
    )
    selectors.load_case_page(case)
    with CaptureQueriesContext(connection) as read:
        seen = [(i.pk, i.text) for i in case.referral.contact.indicators.all()]
    assert read.captured_queries == []
    assert seen == [(i.pk, i.text) for i in contact.indicators.all()]
    assert sorted(seen) == sorted((i.pk, i.text) for i in chosen) and len(seen) == 3
    client.force_login(world.sw_amy)
    page = client.get(reverse("casework:case-detail", kwargs={"case_id": case.pk})).content
    assert "Indicators: " + escape("; ".join(text for _, text in seen)) in page.decode()
