"""The lookup page: a clinician sees only the answer; each lookup is logged and tells the
child's worker and manager; a sealed child answers like any other."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from safeguard.audit.models import AccessEvent
from safeguard.notices.models import Notice
from safeguard.partners import services
from safeguard.partners.models import Lookup, LookupAnswer
from safeguard.partners.selectors import Search
from safeguard.partners.tests.lookups import (
    DAYTIME,
    OUT_OF_HOURS,
    sam_looked_after,
    sam_on_a_plan,
)
from safeguard.people.services.sealing import person_seal
from safeguard.protection.models import ChildProtectionPlan

URL = reverse("partners:lookup")
BY_NHS = {"setting": "emergency_department", "nhs_number": "943 476 5919"}


def _post(client, world, data):
    client.force_login(world.clinician_cam)
    return client.post(URL, data)


@pytest.mark.django_db
def test_a_clinician_sees_only_the_answer(client, world):
    """The answer: plan now, in the last 12 months, start date, team, numbers; not the name,
    the address, the category of abuse or anything else of the record."""
    sam_on_a_plan(world)
    world.child_sam.refresh_from_db()
    html = _post(client, world, BY_NHS).content.decode()
    assert 'id="on-plan">Yes' in html
    assert 'id="recent-plan">Yes' in html
    assert 'id="start-date">27 January 2025' in html
    assert 'id="allocated-team">Child Protection Team A' in html
    assert DAYTIME in html and OUT_OF_HOURS in html
    assert 'id="looked-after">No' in html and 'id="recent-looked-after">No' in html
    for secret in ("Sam", "Smith", "1 Test Street", "TE1 1ST", "Neglect", "Amy", "2015", "T000001"):
        assert secret not in html, secret


@pytest.mark.django_db
def test_each_lookup_is_logged_and_notifies_worker_and_manager(client, world):
    sam_on_a_plan(world)
    Notice.objects.all().delete()
    _post(client, world, BY_NHS)
    event = AccessEvent.objects.get(user=world.clinician_cam)
    assert event.person_id == world.child_sam.pk
    assert "Emergency department" in event.reason
    notices = Notice.objects.order_by("user__username")
    assert [n.user for n in notices] == [world.sw_amy, world.tm_carol]
    assert "Cam Cole" in notices[0].body and "emergency department" in notices[0].body
    lookup = Lookup.objects.get()
    assert (lookup.answer, lookup.notified, lookup.person_id) == (
        LookupAnswer.CURRENT_PLAN, 2, world.child_sam.pk
    )  # fmt: skip
    _post(client, world, BY_NHS)
    assert AccessEvent.objects.filter(user=world.clinician_cam).count() == 2
    assert Notice.objects.count() == 4


@pytest.mark.django_db
def test_emails_go_through_the_configured_backend(world, django_capture_on_commit_callbacks):
    sam_on_a_plan(world)
    for user in (world.sw_amy, world.tm_carol):
        user.email = f"{user.username}@example.test"
        user.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cp_lookup(
            by=world.clinician_cam, search=Search(nhs_number="9434765919"), setting="maternity"
        )
    assert sorted(m.to[0] for m in mail.outbox) == ["amy@example.test", "carol@example.test"]
    assert "maternity unit" in mail.outbox[0].body


@pytest.mark.django_db
def test_search_by_name_and_date_of_birth(client, world):
    sam_on_a_plan(world)
    data = {
        "setting": "ambulance", "given_name": "sam", "family_name": "SMITH",
        "birth_date_day": "14", "birth_date_month": "3", "birth_date_year": "2015",
    }  # fmt: skip
    html = _post(client, world, data).content.decode()
    assert 'id="on-plan">Yes' in html


@pytest.mark.django_db
def test_a_plan_ended_in_the_last_12_months(world):
    plan = sam_on_a_plan(world)
    ChildProtectionPlan.objects.filter(pk=plan.pk).update(
        end_date=date.today() - timedelta(days=30), end_reason="4"
    )
    found = services.cp_lookup(by=world.clinician_cam, search=Search(nhs_number="9434765919"))
    assert found.status.answer == LookupAnswer.RECENT_PLAN
    assert (found.status.on_plan, found.status.plan_in_last_12_months) == (False, True)
    ChildProtectionPlan.objects.filter(pk=plan.pk).update(
        end_date=date.today() - timedelta(days=400)
    )
    found = services.cp_lookup(by=world.clinician_cam, search=Search(nhs_number="9434765919"))
    assert found.status.answer == LookupAnswer.NO_PLAN
    assert found.status.allocated_team == "" and found.status.start_date is None


@pytest.mark.django_db
def test_an_unknown_child_answers_as_a_known_child_without_a_plan(client, world):
    """The lookup never tells who is known to social care."""
    known = _post(client, world, BY_NHS).content.decode()  # Sam, no plan
    unknown = _post(client, world, {**BY_NHS, "nhs_number": "401 023 2137"}).content.decode()
    strip = lambda html: html.split('id="answer"')[1].split("Look up another")[0]  # noqa: E731
    assert strip(known) == strip(unknown)
    assert list(Lookup.objects.order_by("at").values_list("answer", flat=True)) == [
        LookupAnswer.NO_PLAN, LookupAnswer.NOT_FOUND
    ]  # fmt: skip


@pytest.mark.django_db
def test_a_sealed_child_answers_like_any_other(client, world):
    sam_on_a_plan(world)
    person_seal(by=world.tm_carol, person=world.child_sam, reason="Witness protection arrangements")
    html = _post(client, world, BY_NHS).content.decode()
    assert 'id="on-plan">Yes' in html and "restricted" not in html.lower()


@pytest.mark.django_db
def test_bad_input_gets_a_message_and_changes_nothing(client, world):
    response = _post(client, world, {**BY_NHS, "nhs_number": "943 476 5918"})
    assert response.status_code == 200
    assert "not a valid NHS number" in response.content.decode() or "check digit" in (
        response.content.decode()
    )
    response = _post(client, world, {"setting": "ambulance", "given_name": "Sam"})
    assert "missing: last name, date of birth" in response.content.decode()
    assert not Lookup.objects.exists()
    assert not AccessEvent.objects.filter(user=world.clinician_cam).exists()


@pytest.mark.django_db
def test_nobody_else_may_look_up(client, world):
    for user in (world.sw_amy, world.tm_carol, world.health_hana, world.admin_al):
        client.force_login(user)
        assert client.post(URL, BY_NHS).status_code == 403
    assert not Lookup.objects.exists()


# Session, user (with the second factor the session names: decision 0059), authority, the
# child, plans, periods of care (decision 0076), allocation, the access event (its chain), the
# notices, the lookup row, the savepoints: the same for one plan or several. PostgreSQL takes
# one more: the access log's chain locks its table (audit.chain).
LOOKUP_QUERIES = {"sqlite": 17, "postgresql": 18}


@pytest.mark.django_db
def test_the_lookup_makes_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    plan = sam_on_a_plan(world)
    client.force_login(world.clinician_cam)
    client.post(URL, BY_NHS)
    with django_assert_num_queries(LOOKUP_QUERIES[connection.vendor]):
        client.post(URL, BY_NHS)
    # More plans (an earlier one ended) and more notices do not add queries.
    ChildProtectionPlan.objects.create(
        case=plan.case, start_date=date(2024, 1, 1), end_date=date(2024, 12, 1),
        end_reason="4", initial_category="EMO", latest_category="EMO",
    )  # fmt: skip
    with django_assert_num_queries(LOOKUP_QUERIES[connection.vendor]):
        client.post(URL, BY_NHS)
    # Nor do periods of care, one ended and one current.
    sam_looked_after(
        world, start=date.today() - timedelta(days=90), end=date.today() - timedelta(days=60)
    )
    sam_looked_after(world, start=date.today() - timedelta(days=30))
    with django_assert_num_queries(LOOKUP_QUERIES[connection.vendor]):
        client.post(URL, BY_NHS)


@pytest.mark.django_db
def test_no_answer_and_nothing_kept_when_the_access_log_fails(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    from safeguard.core.errors import AccessLogUnavailable
    from safeguard.partners import selectors

    sam_on_a_plan(world)
    Notice.objects.all().delete()
    for user in (world.sw_amy, world.tm_carol):
        user.email = f"{user.username}@example.test"
        user.save()
    mail.outbox.clear()

    def broken(**kwargs):
        raise AccessLogUnavailable("disk full")

    monkeypatch.setattr(selectors, "record_access", broken)
    with pytest.raises(AccessLogUnavailable), django_capture_on_commit_callbacks(execute=True):
        services.cp_lookup(by=world.clinician_cam, search=Search(nhs_number="9434765919"))
    assert not Lookup.objects.exists()
    assert not Notice.objects.exists()
    assert mail.outbox == []  # no email about a lookup that was not kept


@pytest.mark.django_db
def test_a_child_on_a_plan_is_found_under_an_earlier_family_name(world):
    from safeguard.people.models import PersonName

    sam_on_a_plan(world)
    PersonName.objects.create(person=world.child_sam, kind="previous", family_name="Jones")
    earlier = Search(family_name="jones", given_name="SAM", birth_date=date(2015, 3, 14))
    found = services.cp_lookup(by=world.clinician_cam, search=earlier)
    assert found.status.answer == LookupAnswer.CURRENT_PLAN and found.person == world.child_sam
    # Another given name recorded with it is matched too; a wrong birth date never.
    PersonName.objects.create(
        person=world.child_sam, kind="alias", given_names="Sammy", family_name="Jones"
    )
    alias = Search(family_name="Jones", given_name="Sammy", birth_date=date(2015, 3, 14))
    assert services.cp_lookup(by=world.clinician_cam, search=alias).person == world.child_sam
    wrong = Search(family_name="Jones", given_name="Sam", birth_date=date(2015, 3, 15))
    assert services.cp_lookup(by=world.clinician_cam, search=wrong).person is None


@pytest.mark.django_db
def test_several_children_matched_are_each_logged(world):
    from safeguard.people.models import Person

    sam_on_a_plan(world)
    twin = Person.objects.create(
        authority=world.authority,
        given_names="Sam",
        family_name="Smith",
        date_of_birth=date(2015, 3, 14),
    )
    Notice.objects.all().delete()
    before = AccessEvent.objects.filter(user=world.clinician_cam).count()
    search = Search(family_name="Smith", given_name="Sam", birth_date=date(2015, 3, 14))
    found = services.cp_lookup(by=world.clinician_cam, search=search)
    assert found.status.answer == LookupAnswer.SEVERAL and found.person is None
    events = AccessEvent.objects.filter(user=world.clinician_cam).order_by("-pk")
    assert events.count() == before + 2
    assert {e.person_id for e in events[:2]} == {world.child_sam.pk, twin.pk}
    assert not Notice.objects.exists()  # nobody is told about a lookup that named no child


@pytest.mark.django_db
def test_a_child_nobody_holds_today_tells_the_teams_manager(world):
    from safeguard.casework.models import Allocation

    sam_on_a_plan(world)
    Allocation.objects.filter(case__child=world.child_sam).update(end_date=date(2025, 2, 1))
    Notice.objects.all().delete()
    found = services.cp_lookup(
        by=world.clinician_cam, search=Search(nhs_number="9434765919"), setting="maternity"
    )
    assert found.status.on_plan and found.status.allocated_team == "Not allocated"
    notice = Notice.objects.get()
    assert notice.user == world.tm_carol and "maternity unit" in notice.body


@pytest.mark.django_db
def test_a_looked_after_child_without_a_plan(client, world):
    """Looked after now: the answer says so, with the start of the period of care, the team
    and the warning to ring; the legal status is not shown."""
    sam_looked_after(world, start=date.today() - timedelta(days=40))
    html = _post(client, world, BY_NHS).content.decode()
    assert 'id="answer" role="status">Looked after<' in html
    assert 'id="on-plan">No' in html and 'id="looked-after">Yes' in html
    assert 'id="recent-looked-after">Yes' in html
    start = date.today() - timedelta(days=40)
    assert f'id="looked-after-start-date">{start.day} {start:%B %Y}' in html
    assert 'id="answer-warning"' in html and 'id="allocated-team">Not allocated' in html
    assert "C2" not in html and "care order" not in html.lower()
    assert Lookup.objects.get().answer == LookupAnswer.NO_PLAN


@pytest.mark.django_db
def test_a_period_of_care_ended_in_the_last_12_months(world):
    start = date.today() - timedelta(days=200)
    period = sam_looked_after(world, start=start, end=date.today() - timedelta(days=30))
    found = services.cp_lookup(by=world.clinician_cam, search=Search(nhs_number="9434765919"))
    status = found.status
    assert (status.looked_after, status.looked_after_in_last_12_months) == (False, True)
    assert status.looked_after_start_date == start
    assert "not looked after now, but was in the last 12 months" in status.message
    type(period).objects.filter(pk=period.pk).update(
        start_date=date.today() - timedelta(days=500), end_date=date.today() - timedelta(days=400)
    )
    status = services.cp_lookup(
        by=world.clinician_cam, search=Search(nhs_number="9434765919")
    ).status
    assert (status.looked_after, status.looked_after_in_last_12_months) == (False, False)
    assert status.looked_after_start_date is None and status.allocated_team == ""
    assert "not recorded as looked after" in status.message
