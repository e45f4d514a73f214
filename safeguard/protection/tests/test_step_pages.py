"""The page of each child protection step (issue 16 item 5, "nothing is write-only"): a
strategy discussion, a section 47 enquiry and a conference, read-only, every field shown in
words; the narrative to those who read it; the child's access logged; a fixed number of
queries however many took part. That every written field is shown is
``safeguard/tests/test_nothing_write_only.py``."""

import html
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguard.audit.models import AccessEvent
from safeguard.people.tests.sealing import seal
from safeguard.protection import services
from safeguard.protection.models import StrategyDiscussion
from safeguard.protection.tests.steps import (
    ATTENDEES,
    DISCUSSED,
    ICPC,
    discussion_of_sam,
    enquiry_of_sam,
    plan_of_sam,
)

pytestmark = pytest.mark.django_db

NOTES = "Police to interview the mother with the social worker"
OUTLINE = "Daily school attendance; health visitor checks."


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _discussion(world, **extra):
    discussion = discussion_of_sam(world)
    StrategyDiscussion.objects.filter(pk=discussion.pk).update(
        notes=NOTES, emergency_protection="police", **extra
    )
    discussion.refresh_from_db()
    return discussion


def _urls(world) -> dict[str, str]:
    """The three pages, on one journey: discussion, enquiry and the conference that started
    a plan."""
    plan = plan_of_sam(world)
    conference = plan.conferences.get()
    enquiry = conference.section47
    StrategyDiscussion.objects.filter(pk=enquiry.strategy_discussion_id).update(notes=NOTES)
    return {
        "strategy": reverse("protection:strategy-detail", args=[enquiry.strategy_discussion_id]),
        "section47": reverse("protection:section47-detail", args=[enquiry.pk]),
        "conference": reverse("protection:conference-detail", args=[conference.pk]),
    }


# --- What each page shows ----------------------------------------------------------------------


def test_the_strategy_discussion_page_shows_who_took_part_and_the_notes(world, client):
    discussion = _discussion(world)
    enquiry = services.section47_start(
        by=world.sw_amy, case=discussion.case, strategy_discussion=discussion, start_date=DISCUSSED
    )
    client.force_login(world.sw_amy)
    text = _text(client.get(reverse("protection:strategy-detail", args=[discussion.pk])))
    for shown in (
        "Strategy discussion of 7 January 2025",
        "Start a section 47 enquiry",
        "Police protection (section 46)",
        "DC Pat Patel",
        "Investigating officer",
        "Testshire Police",
        NOTES,
        "Amy Adeyemi",
        reverse("protection:section47-detail", args=[enquiry.pk]),
    ):
        assert shown in text, shown
    assert "s47" not in text.split("<main")[1].replace("section-47", "")


def test_the_section47_page_shows_its_outcome_in_words_and_where_it_came_from(world, client):
    plan = plan_of_sam(world)
    conference = plan.conferences.get()
    enquiry = conference.section47
    client.force_login(world.sw_amy)
    text = _text(client.get(reverse("protection:section47-detail", args=[enquiry.pk])))
    for shown in (
        "Section 47 enquiry from 7 January 2025",
        "Concerns substantiated: initial child protection conference",
        "27 January 2025",
        reverse("protection:strategy-detail", args=[enquiry.strategy_discussion_id]),
        reverse("protection:conference-detail", args=[conference.pk]),
        "Initial child protection conference, 27 January 2025",
    ):
        assert shown in text, shown


def test_the_conference_page_shows_attendance_the_outline_plan_and_the_core_group(world, client):
    plan = plan_of_sam(world)
    conference = plan.conferences.get()
    client.force_login(world.sw_amy)
    text = _text(client.get(reverse("protection:conference-detail", args=[conference.pk])))
    for shown in (
        "Initial child protection conference, 27 January 2025",
        "Child protection plan",
        "Neglect",
        "Iris Ingram",
        "Attended",
        OUTLINE,
        "Mary Smith",
        "Mother",
        "Sid Singh",
        "Designated safeguarding lead",
        reverse("protection:plan-detail", args=[plan.pk]),
        reverse("protection:section47-detail", args=[conference.section47_id]),
    ):
        assert shown in text, shown
    assert "NEG" not in text.split("<main")[1]


def test_an_analyst_sees_the_dates_and_decisions_but_not_the_narrative(world, client):
    urls = _urls(world)
    client.force_login(world.analyst_eve)
    strategy = _text(client.get(urls["strategy"]))
    assert "Start a section 47 enquiry" in strategy and "DC Pat Patel" in strategy
    assert NOTES not in strategy
    conference = _text(client.get(urls["conference"]))
    assert "Child protection plan" in conference and "Neglect" in conference
    assert OUTLINE not in conference
    assert _text(client.get(urls["section47"])).count("27 January 2025")


@pytest.mark.parametrize("page", ["strategy", "section47", "conference"])
def test_partners_and_other_authorities_find_no_step(page, world, client):
    url = _urls(world)[page]
    for user in (world.police_pat, world.health_hana, world.other_sw, world.inspector_ian):
        client.force_login(user)
        assert client.get(url).status_code == 404, user


@pytest.mark.parametrize("page", ["strategy", "section47", "conference"])
def test_a_sealed_childs_step_is_restricted_to_those_named(page, world, client):
    url = _urls(world)[page]
    seal(world, world.child_sam, world.sw_amy, by=world.sm_dan)
    client.force_login(world.sw_amy)
    assert client.get(url).status_code == 200
    client.force_login(world.tm_carol)
    response = client.get(url)
    assert response.status_code == 403
    assert "This record is restricted" in response.content.decode()
    assert NOTES not in _text(response) and OUTLINE not in _text(response)


@pytest.mark.parametrize("page", ["strategy", "section47", "conference"])
def test_reading_a_step_logs_the_childs_access(page, world, client):
    url = _urls(world)[page]
    before = AccessEvent.objects.filter(user=world.tm_carol, person_id=world.child_sam.pk).count()
    client.force_login(world.tm_carol)
    assert client.get(url).status_code == 200
    after = AccessEvent.objects.filter(user=world.tm_carol, person_id=world.child_sam.pk)
    assert after.count() == before + 1
    assert after.first().route == f"GET {url}"


def test_the_chronology_links_each_step_to_its_page(world, client):
    urls = _urls(world)
    client.force_login(world.sw_amy)
    text = client.get(reverse("casework:chronology", args=[world.child_sam.pk])).content.decode()
    for url in urls.values():
        assert f'href="{url}"' in text, url


# --- A fixed number of queries -------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_each_step_page_makes_a_fixed_number_of_queries(world, client):
    plan = plan_of_sam(world)
    conference = plan.conferences.get()
    enquiry = conference.section47
    discussion = enquiry.strategy_discussion
    urls = {
        "strategy": reverse("protection:strategy-detail", args=[discussion.pk]),
        "section47": reverse("protection:section47-detail", args=[enquiry.pk]),
        "conference": reverse("protection:conference-detail", args=[conference.pk]),
    }
    client.force_login(world.sw_amy)
    client.get(urls["strategy"])  # the session's renewal, once a minute, is not the page's
    few = {name: _queries(client, url) for name, url in urls.items()}

    # Many people, strategy discussions reconvened for the enquiry, and challenges.
    many_people = [
        {"agency": f"Agency {i}", "name": f"Person {i}", "role": f"Role {i}"} for i in range(15)
    ]
    StrategyDiscussion.objects.filter(pk=discussion.pk).update(attendees=ATTENDEES + many_people)
    conference.core_group_members = many_people
    conference.attendance = {f"Agency {i}": i % 2 == 0 for i in range(15)}
    conference.save()
    for i in range(6):
        services.strategy_discussion_record(
            by=world.sw_amy,
            case=plan.case,
            discussion_date=DISCUSSED + timedelta(days=1 + i),
            attendees=ATTENDEES,
            decision="s47",
        )
        services.challenge_raise(
            by=world.chair_iris,
            case=plan.case,
            conference=conference,
            kind="challenge",
            concern=f"Concern {i}",
            raised_with="Carol Chen",
            raised_on=ICPC + timedelta(days=i),
        )
    many = {name: _queries(client, url) for name, url in urls.items()}
    assert many == few
    text = _text(client.get(urls["section47"]))
    assert "13 January 2025" in text  # a discussion reconvened during the enquiry
    assert "Concern 5" in _text(client.get(urls["conference"]))


def test_the_strategy_page_says_when_no_enquiry_followed(world, client):
    discussion = discussion_of_sam(world, decision="no_s47")
    client.force_login(world.sw_amy)
    text = _text(client.get(reverse("protection:strategy-detail", args=[discussion.pk])))
    assert "None started from this discussion" in text
    assert "No section 47 enquiry: continue as child in need or close" in text
    assert "Not recorded" in text  # emergency protection not asked then


def test_an_enquiry_still_open_says_so(world, client):
    enquiry = enquiry_of_sam(world)
    client.force_login(world.sw_amy)
    text = _text(client.get(reverse("protection:section47-detail", args=[enquiry.pk])))
    assert "Open" in text and "Not concluded yet" in text
    assert date(2025, 1, 7).strftime("%-d %B %Y") in text
