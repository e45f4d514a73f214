"""Attendance by named agency (decision 0073): social care who may hold a conference, or the
chair, mark whether each practitioner invited to it attended, sent apologies or did not
attend; the conference page shows it; bad input changes nothing."""

import html

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguard.audit.models import ChangeEvent
from safeguard.core.errors import ApplicationError
from safeguard.partners import services
from safeguard.partners.models import StepInvitation
from safeguard.partners.tests.contributions import make_invitation, moved_to
from safeguard.protection.tests.steps import ICPC, plan_of_sam
from safeguard.testing.queries import MAX_QUERIES, queries

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def conference(world):
    plan = plan_of_sam(world)
    for user in (world.police_pat, world.health_hana):
        moved_to(make_invitation(world, case=plan.case, practitioner=user), ICPC)
    return plan.conferences.get()


def _field(invitation) -> str:
    return f"attendance_{invitation.pk}"


def test_the_social_worker_marks_who_attended_and_the_conference_page_shows_it(
    world, client, conference
):
    police = StepInvitation.objects.get(practitioner=world.police_pat)
    health = StepInvitation.objects.get(practitioner=world.health_hana)
    client.force_login(world.sw_amy)
    detail = reverse("protection:conference-detail", args=[conference.pk])
    url = reverse("partners:conference-attendance", args=[conference.pk])
    assert url in _text(client.get(detail))
    form = _text(client.get(url))
    assert "Pat Patel, Testshire Police" in form and "Sent apologies" in form
    response = client.post(url, {_field(police): "attended", _field(health): "apologies"})
    assert response.status_code == 302 and response.url == detail
    police.refresh_from_db()
    health.refresh_from_db()
    assert (police.attendance, health.attendance) == ("attended", "apologies")
    event = ChangeEvent.objects.filter(target_id=str(police.pk)).latest("sequence")
    assert event.user == world.sw_amy and event.after["attendance"] == "attended"
    page = _text(client.get(detail))
    shown = page[page.index('id="partner-attendance"') :]
    assert "Pat Patel, Testshire Police: Attended" in shown
    assert "Hana Hussain, Testshire Health Trust: Sent apologies" in shown
    # Left unanswered, a mark stays as it was.
    client.post(url, {_field(police): "absent"})
    health.refresh_from_db()
    assert health.attendance == "apologies"
    assert StepInvitation.objects.get(pk=police.pk).attendance == "absent"


def test_the_chair_marks_it_and_partners_and_analysts_do_not(world, client, conference):
    police = StepInvitation.objects.get(practitioner=world.police_pat)
    assert (
        services.conference_attendance_record(
            by=world.chair_iris, conference=conference, marks={str(police.pk): "attended"}
        )
        == 1
    )
    for who in (world.police_pat, world.analyst_eve, world.other_sw):
        with pytest.raises(PermissionDenied):
            services.conference_attendance_record(
                by=who, conference=conference, marks={str(police.pk): "absent"}
            )
    client.force_login(world.police_pat)
    url = reverse("partners:conference-attendance", args=[conference.pk])
    assert client.post(url, {_field(police): "absent"}).status_code == 404
    assert StepInvitation.objects.get(pk=police.pk).attendance == "attended"


def test_a_value_not_in_the_list_is_refused_and_nothing_changes(world, client, conference):
    police = StepInvitation.objects.get(practitioner=world.police_pat)
    health = StepInvitation.objects.get(practitioner=world.health_hana)
    client.force_login(world.sw_amy)
    url = reverse("partners:conference-attendance", args=[conference.pk])
    response = client.post(url, {_field(police): "attended", _field(health): "<script>"})
    assert response.status_code == 200 and "There is a problem" in _text(response)
    assert set(StepInvitation.objects.values_list("attendance", flat=True)) == {""}
    with pytest.raises(ApplicationError):
        services.conference_attendance_record(
            by=world.sw_amy, conference=conference,
            marks={str(police.pk): "attended", str(health.pk): "maybe"},
        )  # fmt: skip
    assert set(StepInvitation.objects.values_list("attendance", flat=True)) == {""}


def test_the_attendance_page_makes_a_fixed_number_of_queries(world, client, conference):
    url = reverse("partners:conference-attendance", args=[conference.pk])
    client.force_login(world.sw_amy)
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(queries([q["sql"] for q in captured.captured_queries]))

    few = count()
    for user in (world.school_sid, world.voluntary_val):
        moved_to(make_invitation(world, case=conference.case, practitioner=user), ICPC)
    assert count() == few <= MAX_QUERIES
