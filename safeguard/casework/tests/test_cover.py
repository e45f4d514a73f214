"""Absences and the duty rota (issue 14 item 4, decision 0044): who may record them, the
checks on their dates, and the team's cover page."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts import services as accounts
from safeguard.audit.models import ChangeEvent
from safeguard.casework import selectors, services
from safeguard.casework.models import Absence, DutySpell
from safeguard.core.errors import ApplicationError

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def managed(world):
    accounts.team_update(world.team_a, by=world.admin_al, manager=world.tm_carol)
    world.team_a.refresh_from_db()
    return world.team_a


def record(world, by, worker, kind="annual_leave", start=TODAY, last=None):
    return services.absence_record(
        by=by, team=world.team_a, worker=worker, kind=kind, start_date=start, last_day=last
    )


def test_the_manager_records_any_absence_of_their_staff_with_its_event(world, managed):
    absence = record(
        world, world.tm_carol, world.sw_amy, "sickness", last=TODAY + timedelta(days=2)
    )
    assert absence.end_date == TODAY + timedelta(days=3)  # the day she is back
    assert absence.last_day == TODAY + timedelta(days=2)
    event = ChangeEvent.objects.get(target_type="casework.absence", target_id=str(absence.pk))
    assert event.user == world.tm_carol


def test_a_worker_records_their_own_planned_leave_only(world, managed):
    record(world, world.sw_amy, world.sw_amy, "training", last=TODAY)
    with pytest.raises(ApplicationError, match="your manager records"):
        record(world, world.sw_amy, world.sw_amy, "sickness", start=TODAY + timedelta(days=5))
    # Nobody else's: not a colleague's, not another team's manager.
    with pytest.raises((PermissionDenied, ApplicationError)):
        record(world, world.sw_amy, world.tm_carol, start=TODAY + timedelta(days=9))
    with pytest.raises((PermissionDenied, ApplicationError)):
        record(world, world.sw_ben, world.sw_amy, start=TODAY + timedelta(days=9))
    assert Absence.objects.count() == 1


@pytest.mark.parametrize(
    ("start", "last", "field"),
    [
        (None, None, "start_date"),
        (TODAY, TODAY - timedelta(days=1), "last_day"),
        (TODAY + timedelta(days=400), None, "start_date"),
        (TODAY, TODAY + timedelta(days=400), "last_day"),
    ],
)
def test_bad_dates_are_refused_and_nothing_is_stored(world, managed, start, last, field):
    with pytest.raises(ApplicationError) as refused:
        record(world, world.tm_carol, world.sw_amy, start=start, last=last)
    assert refused.value.field == field
    assert not Absence.objects.exists()


def test_absences_of_one_worker_may_not_overlap(world, managed):
    record(world, world.tm_carol, world.sw_amy, start=TODAY, last=TODAY + timedelta(days=4))
    with pytest.raises(ApplicationError, match="already has an absence"):
        record(world, world.tm_carol, world.sw_amy, "sickness", start=TODAY + timedelta(days=4))
    # The day after the last is free.
    record(world, world.tm_carol, world.sw_amy, "sickness", start=TODAY + timedelta(days=5))
    assert (
        selectors.absences_of([world.sw_amy.pk], on=TODAY)[world.sw_amy.pk].kind == "annual_leave"
    )


def test_only_the_teams_manager_sets_the_duty_rota_from_its_members(world, managed):
    spell = services.duty_set(
        by=world.tm_carol, team=world.team_a, worker=world.sw_amy, start_date=TODAY,
        last_day=TODAY + timedelta(days=4),
    )  # fmt: skip
    assert selectors.on_duty(world.team_a, on=TODAY) == [world.sw_amy]
    assert selectors.on_duty(world.team_a, on=spell.end_date) == []
    with pytest.raises(PermissionDenied):
        services.duty_set(
            by=world.sw_amy, team=world.team_a, worker=world.sw_amy, start_date=TODAY,
            last_day=TODAY,
        )  # fmt: skip
    with pytest.raises(ApplicationError, match="Choose a member"):
        services.duty_set(
            by=world.tm_carol, team=world.team_a, worker=world.sw_ben, start_date=TODAY,
            last_day=TODAY,
        )  # fmt: skip
    with pytest.raises(ApplicationError, match="at most"):
        services.duty_set(
            by=world.tm_carol, team=world.team_a, worker=world.tm_carol, start_date=TODAY,
            last_day=TODAY + timedelta(days=200),
        )  # fmt: skip
    assert DutySpell.objects.count() == 1


def test_the_cover_page_and_its_forms(world, client, managed):
    client.force_login(world.tm_carol)
    url = reverse("casework:absence-new", args=[world.team_a.pk])
    day = TODAY + timedelta(days=3)
    response = client.post(url, {
        "worker": world.sw_amy.pk, "kind": "sickness",
        "start_date_day": TODAY.day, "start_date_month": TODAY.month, "start_date_year": TODAY.year,
        "last_day_day": day.day, "last_day_month": day.month, "last_day_year": day.year,
    })  # fmt: skip
    assert response.status_code == 302
    response = client.post(reverse("casework:duty-new", args=[world.team_a.pk]), {
        "worker": world.tm_carol.pk,
        "start_date_day": TODAY.day, "start_date_month": TODAY.month, "start_date_year": TODAY.year,
        "last_day_day": TODAY.day, "last_day_month": TODAY.month, "last_day_year": TODAY.year,
    })  # fmt: skip
    assert response.status_code == 302
    html = client.get(reverse("casework:team-cover", args=[world.team_a.pk])).content.decode()
    assert "Amy Adeyemi" in html and "Sickness" in html and "Away now" in html
    assert 'id="on-duty">Carol Chen' in html
    # A colleague sees that Amy is away, not why.
    client.force_login(world.sw_amy)
    html = client.get(reverse("casework:team-cover", args=[world.team_a.pk])).content.decode()
    assert "Amy Adeyemi" in html and "Sickness" not in html
    # An empty form: a clear message, nothing stored.
    response = client.post(url, {})
    assert response.status_code == 200
    assert "Choose the kind of absence" in response.content.decode()
    assert Absence.objects.count() == 1


def test_the_manager_records_the_last_day_of_an_open_ended_absence(world, client, managed):
    absence = record(
        world, world.tm_carol, world.sw_amy, "sickness", start=TODAY - timedelta(days=3)
    )
    assert absence.end_date is None
    client.force_login(world.tm_carol)
    url = reverse("casework:absence-end", args=[world.team_a.pk, absence.pk])
    response = client.post(url, {
        "last_day_day": TODAY.day, "last_day_month": TODAY.month, "last_day_year": TODAY.year,
    })  # fmt: skip
    assert response.status_code == 302
    absence.refresh_from_db()
    assert absence.end_date == TODAY + timedelta(days=1)
    # A colleague may not change it.
    client.force_login(world.sw_amy)
    assert client.get(url).status_code == 403
