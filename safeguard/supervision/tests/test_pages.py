"""The supervision pages: the new session pre-filled from the worker's caseload and
performance, recording through the form, the record, the session and the overdue list, each
in a fixed number of queries whatever the number of cases, sessions and staff."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import Role, User
from safeguard.casework.models import ManagementDecision
from safeguard.quality.models import QualityIssue, Severity
from safeguard.supervision import selectors
from safeguard.supervision.models import Session, SessionAction
from safeguard.supervision.tests import factories as f
from safeguard.testing.world import PASSWORD
from safeguard.timescales.models import DueEntry

pytestmark = pytest.mark.django_db
MAX_QUERIES = 40


@pytest.fixture
def line(world):
    return f.management_line(world)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _overdue_item(world, case, days: int):
    today = timezone.localdate()
    DueEntry.objects.create(
        authority=world.authority, child=case.child, case=case, rule_id="single_assessment",
        subject_id=str(case.pk), start_date=today - timedelta(days=days + 45),
        due_date=today - timedelta(days=days), worker=world.sw_amy, team=world.team_a,
        priority_rank=3, stage="assessment",
    )  # fmt: skip


def _error(world, case):
    now = timezone.now()
    QualityIssue.objects.create(
        authority=world.authority, person=case.child, case=case, rule="SG01",
        severity=Severity.ERROR, message="The child's ethnicity is missing",
        record_type="people.person", worker=world.sw_amy, team=world.team_a,
        first_seen=now, last_checked=now,
    )  # fmt: skip


def test_the_new_session_is_prefilled(world, line):
    """Caseload, overdue items, unseen children, data errors, the cases not discussed for
    longest first (never discussed first), and the open actions carried forward."""
    today = timezone.localdate()
    a = f.held_case(world, n=1)
    b = f.held_case(world, n=2)
    c = f.held_case(world, n=3)
    f.session(world, on=today - timedelta(days=20), cases=[b])
    f.session(world, on=today - timedelta(days=10), cases=[c])
    SessionAction.objects.create(
        session=Session.objects.first(), action="Chase the health assessment",
        owner=world.sw_amy, due_date=today,
    )  # fmt: skip
    _overdue_item(world, a, 3)
    _error(world, b)
    start = selectors.prefill(world.sw_amy, on=today)
    assert start.load.case_count == 3
    assert [x.case for x in start.cases] == [a, b, c]
    assert start.cases[1].last_discussed == today - timedelta(days=20)
    assert [r.case for r in start.overdue_items] == [a] and start.cases[0].overdue_items == 1
    assert {x.case for x in start.unseen} == {a, b, c}  # nobody has seen them since referral
    assert [e.case for e in start.errors] == [b] and start.cases[1].errors == 1
    assert [x.action for x in start.carried] == ["Chase the health assessment"]


def test_case_supervision_frequency_by_stage_is_an_authority_setting(world, line):
    from safeguard.supervision import services

    f.held_case(world)
    assert selectors.prefill(world.sw_amy, on=timezone.localdate()).cases[0].interval == "quarterly"
    services.case_frequency_set(by=None, authority=world.authority, stage="cin", interval="monthly")
    assert selectors.prefill(world.sw_amy, on=timezone.localdate()).cases[0].interval == "monthly"


def test_recording_a_session_through_the_form(world, line, client):
    case = f.held_case(world)
    today = timezone.localdate()
    client.force_login(world.tm_carol)
    url = reverse("supervision:session-new", kwargs={"worker_id": world.sw_amy.pk})
    page = client.get(url).content.decode()
    assert case.child.full_name in page and "never" in page
    key = case.pk.hex
    response = client.post(url, {
        "session_date_day": today.day, "session_date_month": today.month,
        "session_date_year": today.year, "duration_minutes": "95", "wellbeing": "Tired",
        f"discussed_{key}": "on", f"reflection_{key}": "Home conditions improving",
        f"decision_{key}": "Step down to child in need", f"rationale_{key}": "Risks reduced",
        f"action_{key}": "Update the plan", f"owner_{key}": "supervisee",
        f"due_{key}_day": today.day, f"due_{key}_month": today.month, f"due_{key}_year": today.year,
    })  # fmt: skip
    session = Session.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "supervision:session", kwargs={"session_id": session.pk}
    )
    assert session.duration_minutes == 95 and session.discussions.get().case == case
    assert ManagementDecision.objects.get(case=case).decision == "Step down to child in need"
    assert SessionAction.objects.get().owner == world.sw_amy
    # Amy reads and signs it.
    client.force_login(world.sw_amy)
    sign = reverse("supervision:sign", kwargs={"session_id": session.pk})
    assert client.post(sign, {"comment": "Agreed"}).status_code == 302
    session.refresh_from_db()
    assert session.is_signed


def test_a_refused_session_shows_the_reason_and_stores_nothing(world, line, client):
    case = f.held_case(world)
    today = timezone.localdate()
    client.force_login(world.tm_carol)
    url = reverse("supervision:session-new", kwargs={"worker_id": world.sw_amy.pk})
    key = case.pk.hex
    response = client.post(url, {
        "session_date_day": today.day, "session_date_month": today.month,
        "session_date_year": today.year, "duration_minutes": "60",
        f"discussed_{key}": "on", f"reflection_{key}": "R", f"decision_{key}": "Close",
    })  # fmt: skip
    assert response.status_code == 200
    assert "Enter the rationale for the decision" in response.content.decode()
    assert not Session.objects.exists()
    response = client.post(url, {"duration_minutes": "abc"})
    assert "whole number of minutes" in response.content.decode()


def test_the_new_session_page_queries_do_not_grow_with_the_caseload(world, line, client):
    f.held_case(world, n=1)
    f.session(world, on=timezone.localdate() - timedelta(days=3), cases=[])
    client.force_login(world.tm_carol)
    url = reverse("supervision:session-new", kwargs={"worker_id": world.sw_amy.pk})
    few = _queries(client, url)
    for n in range(2, 8):
        case = f.held_case(world, n=n)
        _overdue_item(world, case, n)
        _error(world, case)
    f.session(world, on=timezone.localdate() - timedelta(days=1), cases=[case])
    SessionAction.objects.create(session=Session.objects.first(), action="A",
                                 owner=world.sw_amy, due_date=timezone.localdate())  # fmt: skip
    many = _queries(client, url)
    assert few == many <= MAX_QUERIES


def test_the_record_and_session_pages_queries_do_not_grow(world, line, client):
    case = f.held_case(world)
    first = f.session(world, on=timezone.localdate() - timedelta(days=30), cases=[case])
    SessionAction.objects.create(session=first, discussion=first.discussions.get(),
                                 action="Visit", owner=world.sw_amy,
                                 due_date=timezone.localdate())  # fmt: skip
    client.force_login(world.tm_carol)
    record = reverse("supervision:record", kwargs={"worker_id": world.sw_amy.pk})
    session = reverse("supervision:session", kwargs={"session_id": first.pk})
    few_record, few_session = _queries(client, record), _queries(client, session)
    cases = [f.held_case(world, n=n) for n in range(2, 6)]
    for days in (20, 10, 1):
        f.session(world, on=timezone.localdate() - timedelta(days=days), cases=cases)
    for c in cases:
        SessionAction.objects.create(session=first, discussion=first.discussions.get(),
                                     action=f"Visit {c.child}", owner=world.sw_amy,
                                     due_date=timezone.localdate())  # fmt: skip
    latest = Session.objects.order_by("-session_date").first()
    session = reverse("supervision:session", kwargs={"session_id": latest.pk})
    assert _queries(client, record) == few_record <= MAX_QUERIES
    assert _queries(client, session) == few_session <= MAX_QUERIES


def test_the_overdue_list_shows_the_supervisor_and_their_manager(world, line, client):
    """Amy has never been supervised (joined long ago): overdue for Carol (her supervisor)
    and for Dan (Carol's manager); Ben, supervised by Dan yesterday, is in time."""
    User.objects.filter(pk__in=[world.sw_amy.pk, world.sw_ben.pk]).update(
        date_joined=timezone.now() - timedelta(days=400)
    )
    f.session(world, by=world.sm_dan, supervisee=world.sw_ben,
              on=timezone.localdate() - timedelta(days=1))  # fmt: skip
    url = reverse("supervision:overdue")
    for manager in (world.tm_carol, world.sm_dan):
        client.force_login(manager)
        page = client.get(url).content.decode()
        overdue, in_time = page.split('id="in-time"')
        assert "Amy Adeyemi" in overdue
    assert "Ben Bailey" in in_time and "Ben Bailey" not in overdue
    client.force_login(world.tm_carol)
    assert "Ben Bailey" not in client.get(url).content.decode()  # not in Carol's line


def test_the_overdue_list_queries_do_not_grow_with_the_staff(world, line, client):
    client.force_login(world.sm_dan)
    url = reverse("supervision:overdue")
    few = _queries(client, url)
    for n in range(6):
        worker = User.objects.create_user(
            username=f"sw{n}", password=PASSWORD, agency=world.csc, role=Role.SOCIAL_WORKER,
            first_name="Worker", last_name=str(n),
        )  # fmt: skip
        worker.teams.set([world.team_b])
        f.session(world, by=world.sm_dan, supervisee=worker,
                  on=timezone.localdate() - timedelta(days=n))  # fmt: skip
    assert _queries(client, url) == few <= MAX_QUERIES


def test_the_home_page_links_managers_to_overdue_supervision_and_workers_to_their_own(
    world, line, client
):
    User.objects.filter(pk=world.sw_amy.pk).update(date_joined=timezone.now() - timedelta(days=400))
    client.force_login(world.tm_carol)
    page = client.get(reverse("work:home")).content.decode()
    assert reverse("supervision:overdue") in page and "1 overdue" in page
    client.force_login(world.sw_amy)
    page = client.get(reverse("work:home")).content.decode()
    assert reverse("supervision:record", kwargs={"worker_id": world.sw_amy.pk}) in page
    assert reverse("supervision:overdue") not in page
    client.force_login(world.analyst_eve)
    assert "supervision" not in client.get(reverse("work:home")).content.decode().lower()


def test_a_session_shows_its_decisions_and_hides_a_child_the_reader_may_not_see(
    world, line, client
):
    from safeguard.supervision import services
    from safeguard.supervision.services import DiscussionInput

    case = f.held_case(world)
    made = services.session_record(
        by=world.tm_carol, supervisee=world.sw_amy, session_date=timezone.localdate(),
        duration_minutes=90, discussions=[DiscussionInput(
            case=case, reflection="Good progress", decision="Reduce visits to fortnightly",
            rationale="Plan goals met")],
    )  # fmt: skip
    client.force_login(world.sm_dan)
    url = reverse("supervision:session", kwargs={"session_id": made.pk})
    page = client.get(url).content.decode()
    assert "Reduce visits to fortnightly" in page and case.child.full_name in page
    from safeguard.people.services import person_seal

    person_seal(by=world.tm_carol, person=case.child, reason="The child is a relative of staff",
                members=[world.sw_amy])  # fmt: skip
    page = client.get(url).content.decode()
    assert case.child.full_name not in page and "1 case of a child you may not see" in page


def test_an_overdue_plan_action_is_in_the_new_session(world, line):
    """A child protection plan's action past its due date is on its owner's due list, so the
    new session opens with it among the overdue items, on its case (issue 16 item 2); so is a
    child in need plan's (decision 0068)."""
    from datetime import date

    from safeguard.casework import services as casework
    from safeguard.protection import services as protection
    from safeguard.protection.tests.steps import plan_of_sam

    plan = plan_of_sam(world)
    casework.case_allocate(
        by=world.tm_carol, case=plan.case, worker=world.sw_amy, team=world.team_a,
        start_date=date(2025, 1, 6), reason="Test",
    )  # fmt: skip
    protection.plan_action_add(
        by=world.sw_amy, plan=plan, description="Arrange the dental check-up",
        due_date=date(2025, 3, 3), owner_user=world.sw_amy,
    )  # fmt: skip
    # And a child in need plan's action on Tom's case (decision 0068).
    from safeguard.testing.journey import open_case

    tom = open_case(world, world.child_tom, received=date(2025, 1, 6))
    casework.case_allocate(
        by=world.tm_carol, case=tom, worker=world.sw_amy, team=world.team_a,
        start_date=date(2025, 1, 6), reason="Test",
    )  # fmt: skip
    cin_plan = casework.cin_plan_start(by=world.sw_amy, case=tom, start_date=date(2025, 2, 3))
    protection.cin_plan_action_add(
        by=world.sw_amy, cin_plan=cin_plan, description="Family support twice a week",
        due_date=date(2025, 3, 10), owner_user=world.sw_amy,
    )  # fmt: skip
    start = selectors.prefill(world.sw_amy, on=timezone.localdate())
    actions = [r for r in start.overdue_items if r.item.rule.id == "plan_action"]
    assert sorted((a.case.pk for a in actions), key=str) == sorted([plan.case.pk, tom.pk], key=str)
    for case in (plan.case, tom):
        held = next(c for c in start.cases if c.case == case)
        assert held.overdue_items >= 1
