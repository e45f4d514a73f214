"""Independent chairs, the rest (issue 15 item 3; decision 0043): a conference's minutes are
circulated within the authority's standard, timed by a clock the chair holds; chairs record
challenges and escalations, which show on the case, in the chronology and on the chair's own
list of what is still open."""

import html
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.accounts.roles import Role
from safeguard.casework.models import ChronologyEntry
from safeguard.core.errors import ApplicationError
from safeguard.protection import services
from safeguard.protection.models import ChairChallenge
from safeguard.protection.tests.steps import ICPC, plan_of_sam


def _date(name, day):
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def _conference(world):
    plan = plan_of_sam(world)
    return plan.conferences.get()


# --- The minutes' circulation ----------------------------------------------------------


def test_only_the_conferences_chair_records_the_circulation(world):
    conference = _conference(world)
    with pytest.raises(PermissionDenied):
        services.minutes_circulated(by=world.sw_amy, conference=conference, circulated_on=ICPC)
    other = User.objects.create_user(
        username="otto", agency=world.csc, role=Role.CONFERENCE_CHAIR, last_name="Other"
    )
    with pytest.raises(ApplicationError, match="Only the conference's chair"):
        services.minutes_circulated(by=other, conference=conference, circulated_on=ICPC)
    with pytest.raises(ApplicationError, match="before the conference"):
        services.minutes_circulated(
            by=world.chair_iris, conference=conference, circulated_on=date(2025, 1, 20)
        )
    conference.refresh_from_db()
    assert conference.minutes_circulated_on is None
    services.minutes_circulated(by=world.chair_iris, conference=conference, circulated_on=ICPC)
    with pytest.raises(ApplicationError, match="were circulated on"):
        services.minutes_circulated(
            by=world.chair_iris, conference=conference, circulated_on=timezone.localdate()
        )


def test_the_chair_records_the_circulation_from_the_case_page(world, client):
    conference = _conference(world)
    client.force_login(world.chair_iris)
    case_url = reverse("casework:case-detail", args=[conference.case_id])
    minutes_url = reverse("protection:minutes", args=[conference.pk])
    assert minutes_url in client.get(case_url).content.decode()
    response = client.post(
        minutes_url, {**_date("circulated_on", date(2025, 2, 10)), "version": conference.version}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    conference.refresh_from_db()
    assert conference.minutes_circulated_on == date(2025, 2, 10)
    page = client.get(case_url).content.decode()
    assert "10 Feb 2025" in page
    assert minutes_url not in page
    # The case's own worker sees the date, and no link to record it.
    client.force_login(world.sw_amy)
    assert client.get(minutes_url).status_code == 403


# --- Challenges and escalations -----------------------------------------------------------


def _raise(world, conference, **extra):
    fields = {
        "kind": "escalation",
        "concern": "The first core group was not held within 10 working days.",
        "raised_with": "Carol Chen, team manager",
        "raised_on": date(2025, 2, 20),
    }
    return services.challenge_raise(
        by=world.chair_iris, case=conference.case, conference=conference, **(fields | extra)
    )


def test_a_chair_raises_and_resolves_an_escalation_in_the_chronology(world):
    conference = _conference(world)
    item = _raise(world, conference)
    assert item.is_open and item.raised_by == world.chair_iris
    raised = ChronologyEntry.objects.get(source_id=str(item.pk))
    assert raised.event_date == date(2025, 2, 20)
    assert "Escalation by the conference chair, raised with Carol Chen" in raised.what
    assert "core group" in raised.outcome

    services.challenge_resolve(
        by=world.chair_iris,
        challenge=item,
        resolved_on=date(2025, 3, 3),
        resolution="Core group held on 28 February; the team manager set a date for each.",
    )
    item.refresh_from_db()
    assert not item.is_open and item.resolved_on == date(2025, 3, 3)
    resolved = ChronologyEntry.objects.get(source_id=f"{item.pk}:end")
    assert resolved.event_date == date(2025, 3, 3)
    assert "resolved" in resolved.what and "28 February" in resolved.outcome


def test_only_conference_chairs_raise_and_bad_input_changes_nothing(world):
    conference = _conference(world)
    with pytest.raises(PermissionDenied):
        services.challenge_raise(
            by=world.tm_carol,
            case=conference.case,
            kind="challenge",
            concern="x",
            raised_with="y",
            raised_on=date(2025, 2, 20),
        )
    for bad, message in [
        ({"kind": "complaint"}, "challenge or an escalation"),
        ({"concern": "  "}, "what the concern is"),
        ({"raised_with": ""}, "who it was raised with"),
        ({"raised_on": date(2025, 1, 20)}, "before the conference"),
        ({"raised_on": date(2024, 12, 1)}, "before the referral"),
    ]:
        with pytest.raises(ApplicationError, match=message):
            _raise(world, conference, **bad)
    assert not ChairChallenge.objects.exists()
    item = _raise(world, conference)
    with pytest.raises(ApplicationError, match="before it was raised"):
        services.challenge_resolve(
            by=world.chair_iris, challenge=item, resolved_on=date(2025, 2, 1), resolution="x"
        )
    with pytest.raises(ApplicationError, match="how it was resolved"):
        services.challenge_resolve(
            by=world.chair_iris, challenge=item, resolved_on=date(2025, 3, 1), resolution=" "
        )
    item.refresh_from_db()
    assert item.is_open


def test_the_case_page_and_the_chairs_list_show_open_escalations(world, client):
    conference = _conference(world)
    item = _raise(world, conference)
    case_url = reverse("casework:case-detail", args=[conference.case_id])
    client.force_login(world.sw_amy)
    page = html.unescape(client.get(case_url).content.decode())
    assert "Challenges and escalations by conference chairs" in page
    assert "first core group was not held" in page
    assert reverse("protection:challenge-resolve", args=[item.pk]) not in page

    client.force_login(world.chair_iris)
    listing = html.unescape(client.get(reverse("protection:challenges")).content.decode())
    assert "Sam" in listing and "Carol Chen, team manager" in listing
    response = client.post(
        reverse("protection:challenge-resolve", args=[item.pk]),
        {
            **_date("resolved_on", date(2025, 3, 3)),
            "resolution": "Core group held; dates set.",
            "version": item.version,
        },
    )
    assert response.status_code == 302
    listing = client.get(reverse("protection:challenges")).content.decode()
    assert "You have no open challenges or escalations" in listing
    page = html.unescape(client.get(case_url).content.decode())
    assert "3 Mar 2025: Core group held; dates set." in page


def test_the_chairs_list_costs_the_same_queries_for_1_or_4_escalations(world, client):
    conference = _conference(world)
    _raise(world, conference)
    client.force_login(world.chair_iris)
    url = reverse("protection:challenges")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for day in (21, 24, 25):
        _raise(world, conference, raised_on=date(2025, 2, day))
    with CaptureQueriesContext(connection) as four:
        page = client.get(url).content.decode()
    assert page.count("Record the resolution<span") == 4
    assert len(four.captured_queries) == len(one.captured_queries)
