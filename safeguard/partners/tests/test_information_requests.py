"""Information requests (issue 17 item 4, decision 0066): social care asks a partner agency
about a child by a due date; the agency's practitioner answers in Safeguard, once; late
requests show to both sides; response times are reported by agency."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import Agency, AgencyKind, Role, User
from safeguard.audit.models import AccessEvent, ChangeEvent
from safeguard.casework import services as casework
from safeguard.casework.models import ChronologyEntry
from safeguard.core.errors import ApplicationError
from safeguard.notices.models import Notice
from safeguard.partners import selectors, services
from safeguard.partners.models import InformationRequest, RequestStage
from safeguard.partners.tests.requests import make_request
from safeguard.people.tests.sealing import seal
from safeguard.referrals.services import contact_record

pytestmark = pytest.mark.django_db

# What no notice may say: notices are emailed.
CHILD_WORDS = ("Sam", "Smith", "9434765919", "14 March 2015")


def _no_child_named(notice: Notice) -> None:
    for word in CHILD_WORDS:
        assert word not in notice.subject and word not in notice.body, word


def _answered(req, *, by, days: int, due_offset: int = 0):
    """``req`` answered ``days`` after it was sent, its due date ``due_offset`` days after the
    day answered (negative: answered late), as if time had passed."""
    sent = timezone.now() - timedelta(days=days)
    answered = timezone.now()
    InformationRequest.objects.filter(pk=req.pk).update(
        sent_at=sent,
        answer="Known to us",
        answered_by=by,
        answered_at=answered,
        days_to_answer=days,
        due_date=timezone.localdate(answered) + timedelta(days=due_offset),
    )


def _overdue(req, days: int = 2) -> None:
    """``req`` as it stands once its due date has passed by ``days``."""
    InformationRequest.objects.filter(pk=req.pk).update(
        due_date=timezone.localdate() - timedelta(days=days)
    )


# --- Sending ----------------------------------------------------------------------------------


def test_a_social_worker_asks_the_police_from_the_case_page(world, client):
    case = casework.case_open(
        by=world.sw_amy, child=world.child_sam, referral_date=timezone.localdate(),
        referral_source="6",
    )  # fmt: skip
    client.force_login(world.sw_amy)
    page = client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    new = reverse("partners:information-request-new", args=[world.child_sam.pk])
    assert f"{new}?case={case.pk}" in page
    due = timezone.localdate() + timedelta(days=3)
    response = client.post(
        f"{new}?case={case.pk}",
        {
            "agency": str(world.police.pk),
            "practitioner": str(world.police_pat.pk),
            "stage": RequestStage.ASSESSMENT,
            "question": "Any domestic abuse call-outs to 1 Test Street?",
            "due_date_day": due.day, "due_date_month": due.month, "due_date_year": due.year,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    req = InformationRequest.objects.get()
    assert (req.case, req.agency, req.practitioner, req.requested_by, req.due_date) == (
        case, world.police, world.police_pat, world.sw_amy, due,
    )  # fmt: skip
    assert ChangeEvent.objects.filter(target_id=str(req.pk), verb="created").exists()
    entry = ChronologyEntry.objects.get(source_type="partners.informationrequest")
    assert (entry.child, entry.case, entry.what) == (
        world.child_sam, case, "Information requested from Testshire Police",
    )  # fmt: skip
    # The practitioner asked by name is told, without the child's name (notices are emailed).
    (notice,) = Notice.objects.filter(user=world.police_pat)
    _no_child_named(notice)
    assert notice.url == reverse("partners:information-request", args=[req.pk])


def test_nobody_named_tells_the_agencys_staff(world):
    make_request(world, agency=world.health)
    told = set(Notice.objects.values_list("user__username", flat=True))
    # The health trust's partner staff: the health visitor and the unscheduled-care clinician.
    assert told == {"hana", "cam"}
    for notice in Notice.objects.all():
        _no_child_named(notice)


def test_the_front_door_asks_from_the_contact(world, client):
    contact = contact_record(
        by=world.sw_amy, child=world.child_sam, contact_date=timezone.localdate(),
        source="6", reason="School worried",
    )  # fmt: skip
    client.force_login(world.sw_amy)
    page = client.get(reverse("referrals:contact-decide", args=[contact.pk])).content.decode()
    url = reverse("partners:information-request-new", args=[world.child_sam.pk])
    assert f"{url}?contact={contact.pk}" in page
    assert client.get(f"{url}?contact={contact.pk}").status_code == 200
    at = selectors.requested_at(child=world.child_sam, contact_id=str(contact.pk))
    assert (at.contact, at.stage) == (contact, RequestStage.FRONT_DOOR)
    # Another child's contact is ignored.
    assert selectors.requested_at(child=world.child_tom, contact_id=str(contact.pk)).contact is None


@pytest.mark.parametrize("who", ["police_pat", "analyst_eve", "chair_iris", "other_sw"])
def test_only_social_care_who_record_and_see_the_child_send(world, who):
    with pytest.raises(PermissionDenied):
        make_request(world, by=getattr(world, who))
    assert not InformationRequest.objects.exists()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"agency": "csc"}, "Choose a partner agency of the authority"),
        ({"agency": "other_la"}, "Choose a partner agency of the authority"),
        ({"practitioner": "health_hana"}, "Choose a practitioner of Testshire Police"),
        ({"practitioner": "sw_ben"}, "Choose a practitioner of Testshire Police"),
        ({"question": "   "}, "Enter what you are asking the agency"),
        ({"days": -1}, "The due date cannot be in the past"),
        ({"due_date": None}, "Enter the date the answer is due"),
        ({"stage": "whenever"}, "Select the stage"),
    ],
)
def test_bad_requests_are_refused_and_change_nothing(world, change, message):
    fields = dict(change)
    if fields.get("agency") == "csc":
        fields["agency"] = world.csc
    elif fields.get("agency") == "other_la":
        fields["agency"] = Agency.objects.create(
            authority=world.other_authority, name="Elsewhere Police", kind=AgencyKind.POLICE
        )
    if "practitioner" in fields:
        fields["practitioner"] = getattr(world, fields["practitioner"])
    events, entries = ChangeEvent.objects.count(), ChronologyEntry.objects.count()
    with pytest.raises(ApplicationError, match=message):
        make_request(world, **fields)
    assert not InformationRequest.objects.exists()
    assert ChronologyEntry.objects.count() == entries
    assert not Notice.objects.exists()
    assert ChangeEvent.objects.count() == events


def test_a_request_about_a_sealed_child_is_refused(world):
    seal(world, world.child_sam, world.sw_amy)
    with pytest.raises(ApplicationError, match="sealed"):
        make_request(world)
    assert not InformationRequest.objects.exists()


# --- Answering ---------------------------------------------------------------------------


def test_the_agency_answers_once_and_the_answer_joins_the_chronology(world):
    req = make_request(world)
    Notice.objects.all().delete()
    for outsider in (world.health_hana, world.sw_amy, world.tm_carol, world.clinician_cam):
        with pytest.raises(PermissionDenied):
            services.information_request_answer(by=outsider, request=req, answer="Nothing")
    services.information_request_answer(
        by=world.police_pat, request=req, answer="Two call-outs in 2025", version=req.version
    )
    req.refresh_from_db()
    assert (req.answered_by, req.days_to_answer, req.answered_on_time) == (
        world.police_pat, 0, True,
    )  # fmt: skip
    entries = {e.source_type: e for e in ChronologyEntry.objects.filter(child=world.child_sam)}
    assert entries["partners.informationrequest"].what.startswith("Information requested")
    answer = entries["partners.informationanswer"]
    assert answer.source_agency == "Testshire Police"
    assert answer.what.startswith("Information from Testshire Police")
    assert answer.outcome == "Two call-outs in 2025"
    # Whoever asked is told, without the child's name.
    (notice,) = Notice.objects.filter(user=world.sw_amy)
    _no_child_named(notice)
    # Once only.
    with pytest.raises(ApplicationError, match="already been answered"):
        services.information_request_answer(by=world.police_pat, request=req, answer="More")
    req.refresh_from_db()
    assert req.answer == "Two call-outs in 2025"


def test_a_practitioner_named_answers_and_their_colleagues_do_not(world):
    req = make_request(world, agency=world.health, practitioner=world.health_hana)
    with pytest.raises(PermissionDenied):
        services.information_request_answer(by=world.clinician_cam, request=req, answer="x")
    services.information_request_answer(by=world.health_hana, request=req, answer="Seen at 2")
    assert InformationRequest.objects.get().answered_by == world.health_hana


def test_an_empty_answer_is_refused(world):
    req = make_request(world)
    with pytest.raises(ApplicationError, match="Enter your answer"):
        services.information_request_answer(by=world.police_pat, request=req, answer="  ")
    assert not InformationRequest.objects.get().is_answered


def test_the_partner_sees_the_childs_identity_and_the_question_only(world, client):
    req = make_request(world)
    client.force_login(world.police_pat)
    page = client.get(reverse("partners:information-request", args=[req.pk])).content.decode()
    for shown in ("Sam Smith", "14 March 2015", "9434765919", "Any police contact"):
        assert shown in page
    # Nothing else of the record: not the address, the family, the case.
    for hidden in ("1 Test Street", "Mary", "Sally", "T000001"):
        assert hidden not in page
    # Answered through the page.
    response = client.post(
        reverse("partners:information-request", args=[req.pk]), {"answer": "None known"}
    )
    assert response.status_code == 302
    assert InformationRequest.objects.get().answer == "None known"
    # Social care cannot post an answer on the agency's behalf.
    req2 = make_request(world)
    client.force_login(world.sw_amy)
    url = reverse("partners:information-request", args=[req2.pk])
    assert client.post(url, {"answer": "x"}).status_code == 403
    assert not InformationRequest.objects.get(pk=req2.pk).is_answered


def test_reads_are_logged_against_the_child(world, client):
    req = make_request(world)
    before = set(AccessEvent.objects.values_list("pk", flat=True))
    client.force_login(world.police_pat)
    client.get(reverse("partners:agency-requests"))
    client.get(reverse("partners:information-request", args=[req.pk]))
    client.force_login(world.sw_amy)
    client.get(reverse("partners:child-requests", args=[world.child_sam.pk]))
    client.get(reverse("partners:information-request", args=[req.pk]))
    events = AccessEvent.objects.exclude(pk__in=before).order_by("at")
    got = [(e.user.username, e.person_id, e.purpose) for e in events]
    assert ("pat", world.child_sam.pk, "list") in got
    assert ("pat", world.child_sam.pk, "view") in got
    assert sum(1 for g in got if g[0] == "amy" and g[1] == world.child_sam.pk) == 2
    assert events.filter(user=world.police_pat, reason__contains="Testshire Police").exists()


def test_a_sealed_childs_request_is_closed_to_the_agency(world, client):
    req = make_request(world)
    seal(world, world.child_sam, world.sw_amy)
    client.force_login(world.police_pat)
    assert client.get(reverse("partners:information-request", args=[req.pk])).status_code == 404
    assert "Sam" not in client.get(reverse("partners:agency-requests")).content.decode()


# --- Late requests show to both sides ---------------------------------------------------------


def test_late_requests_show_to_both_sides(world, client):
    late = make_request(world, question="Late one")
    _overdue(late)
    make_request(world, question="Open one")
    done = make_request(world, question="Answered one")
    services.information_request_answer(by=world.police_pat, request=done, answer="Nothing")

    client.force_login(world.police_pat)
    page = client.get(reverse("partners:agency-requests")).content.decode()
    assert "2 open" in page and "1 late" in page
    assert page.count(">Late</strong>") == 1
    # Open first (the late one first of them), answered after.
    rows = selectors.requests_for_agency(user=world.police_pat, today=timezone.localdate())
    assert [r.question for r in rows] == ["Late one", "Open one", "Answered one"]
    assert [r.shown_status for r in rows] == ["late", "open", "answered"]
    home = client.get(reverse("work:home")).content.decode()
    assert reverse("partners:agency-requests") in home and "1 late" in home

    client.force_login(world.sw_amy)
    page = client.get(reverse("partners:child-requests", args=[world.child_sam.pk]))
    page = page.content.decode()
    assert "2 open" in page and "1 late" in page and page.count(">Late</strong>") == 1
    home = client.get(reverse("work:home")).content.decode()
    assert "Information requests you sent to agencies</a>: 2 open" in home and "1 late" in home
    sent = client.get(reverse("partners:sent-requests")).content.decode()
    assert "2 open" in sent and "1 late" in sent and sent.count(">Late</strong>") == 1


def test_a_request_about_a_child_sealed_since_is_counted_not_shown_to_its_sender(world, client):
    make_request(world)
    seal(world, world.child_sam, world.sw_ben)
    client.force_login(world.sw_amy)
    page = client.get(reverse("partners:sent-requests")).content.decode()
    assert "1 request about a record now restricted to you is not shown" in page
    assert "Sam" not in page


# --- Response times by agency -----------------------------------------------------------------


def test_response_times_by_agency_on_edge_cases(world, client):
    # Police: answered on the due date (on time), the day after (late), 4 and 10 days after
    # sending (median of 1, 3, 4, 10 days: 3.5); one open and late; one open, not yet due.
    on_due = make_request(world)
    _answered(on_due, by=world.police_pat, days=1, due_offset=0)
    day_late = make_request(world)
    _answered(day_late, by=world.police_pat, days=3, due_offset=-1)
    for days in (4, 10):
        _answered(make_request(world), by=world.police_pat, days=days, due_offset=2)
    _overdue(make_request(world))
    make_request(world)
    # Health: one open; never answered, so no median.
    make_request(world, agency=world.health)

    with CaptureQueriesContext(connection) as captured:
        rows = selectors.response_times(user=world.tm_carol, today=timezone.localdate())
    assert len(captured.captured_queries) == 1
    by_name = {r.agency: r for r in rows}
    police = by_name["Testshire Police"]
    assert (police.sent, police.answered, police.answered_on_time) == (6, 4, 3)
    assert (police.median_days, police.open, police.late, police.on_time_percent) == (
        3.5, 2, 1, 75,
    )  # fmt: skip
    health = by_name["Testshire Health Trust"]
    assert (health.sent, health.answered, health.median_days, health.open, health.late) == (
        1, 0, None, 1, 0,
    )  # fmt: skip
    # An odd count takes the middle one.
    _answered(make_request(world), by=world.police_pat, days=7, due_offset=0)
    rows = selectors.response_times(user=world.tm_carol, today=timezone.localdate())
    assert {r.agency: r for r in rows}["Testshire Police"].median_days == 4

    client.force_login(world.analyst_eve)
    page = client.get(reverse("partners:response-times")).content.decode()
    assert "Testshire Police" in page and "Testshire Health Trust" in page
    csv = client.get(reverse("partners:response-times-csv")).content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Agency,Kind,Sent,Answered,Answered on time")
    assert "Testshire Police,police,7,5,4,80,4,2,1" in csv


def test_response_times_are_for_managers_and_analysts(world):
    for user in (world.sw_amy, world.police_pat):
        with pytest.raises(PermissionDenied):
            selectors.response_times(user=user, today=timezone.localdate())


# --- Pages at a fixed number of queries --------------------------------------------------------


def _count(client, user, url) -> int:
    client.force_login(user)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("page", ["agency", "child", "one", "times", "home", "sent"])
def test_pages_do_not_grow_with_the_number_of_requests(world, client, page):
    first = make_request(world, practitioner=world.police_pat)
    services.information_request_answer(by=world.police_pat, request=first, answer="Known")
    urls = {
        "agency": (world.police_pat, reverse("partners:agency-requests")),
        "child": (world.sw_amy, reverse("partners:child-requests", args=[world.child_sam.pk])),
        "one": (world.police_pat, reverse("partners:information-request", args=[first.pk])),
        "times": (world.tm_carol, reverse("partners:response-times")),
        "home": (world.police_pat, reverse("work:home")),
        "sent": (world.sw_amy, reverse("partners:sent-requests")),
    }
    user, url = urls[page]
    short = _count(client, user, url)
    other = User.objects.create_user(
        username="pc2", password="x" * 20, agency=world.police, role=Role.PARTNER_PRACTITIONER
    )
    for i, child in enumerate([world.child_sam, world.child_sally, world.child_tom] * 3):
        named = other if i % 2 else None
        req = make_request(world, child=child, practitioner=named)
        if i % 3 == 0:
            services.information_request_answer(
                by=named or world.police_pat, request=req, answer="x"
            )
        make_request(world, child=child, agency=world.health)
    assert _count(client, user, url) == short
