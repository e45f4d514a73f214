import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguard.accounts.roles import Role
from safeguard.audit.models import ChangeEvent
from safeguard.procedures import selectors, services
from safeguard.procedures.models import Acknowledgement, Kind, Procedure, Step

pytestmark = pytest.mark.django_db


def publish(world, **kw):
    fields = {"kind": Kind.PROCEDURE, "title": "Initial child protection conferences",
              "body": "Invite the family.\n\nSend reports two days before."} | kw  # fmt: skip
    return services.procedure_publish(by=world.sm_dan, **fields)


# --- Publishing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["sw_amy", "tm_carol", "analyst_eve", "chair_iris", "admin_al", "police_pat", "other_sw"]
)
def test_only_a_service_manager_publishes(world, who):
    with pytest.raises(PermissionDenied):
        services.procedure_publish(by=getattr(world, who), kind=Kind.PROCEDURE, title="T", body="B")
    assert not Procedure.objects.exists()


def test_publishing_writes_the_procedure_and_its_change_event(world):
    procedure = publish(world, step=Step.INITIAL_CONFERENCE, teams=[world.team_a])
    assert procedure.edition == 1 and procedure.authority_id == world.authority.pk
    assert list(procedure.teams.all()) == [world.team_a]
    assert ChangeEvent.objects.filter(target_id=str(procedure.pk)).count() == 1


def test_a_team_of_another_authority_is_refused(world):
    from safeguard.accounts.models import Team

    elsewhere = Team.objects.create(agency=world.other_sw.agency, name="Elsewhere")
    with pytest.raises(ValidationError):
        publish(world, teams=[elsewhere])
    assert not Procedure.objects.exists()


def test_the_publish_form_refuses_others_and_publishes_for_the_service_manager(world, client):
    data = {"kind": "learning", "title": "Learning from the review of Child K",
            "body": "Para one.\n\nPara two.", "step": "", "roles": ["social_worker"]}  # fmt: skip
    client.force_login(world.tm_carol)
    assert client.post(reverse("procedures:publish"), data).status_code == 403
    assert not Procedure.objects.exists()
    client.force_login(world.sm_dan)
    response = client.post(reverse("procedures:publish"), data)
    procedure = Procedure.objects.get()
    assert response.status_code == 302 and procedure.kind == Kind.LEARNING
    assert procedure.roles == ["social_worker"]


def test_the_publish_form_without_a_title_says_so_and_writes_nothing(world, client):
    client.force_login(world.sm_dan)
    response = client.post(reverse("procedures:publish"), {"kind": "procedure", "body": "B"})
    assert response.status_code == 200 and "Enter a title" in response.content.decode()
    assert not Procedure.objects.exists()


# --- The audience and acknowledgement -----------------------------------------------------


def test_the_audience_by_role_and_team(world):
    to_team_a = publish(world, roles=[Role.SOCIAL_WORKER], teams=[world.team_a])
    names = set(selectors.audience(to_team_a).values_list("username", flat=True))
    # Amy (team A social worker); not Ben (team B), Carol (a manager), Dee (disabled).
    assert names == {"amy"}
    everyone = publish(world, title="Everyone")
    names = set(selectors.audience(everyone).values_list("username", flat=True))
    assert names == {"amy", "ben", "carol", "dan", "eve", "iris"}


def test_acknowledging_removes_it_from_the_home_page(world, client):
    procedure = publish(world)
    client.force_login(world.sw_amy)
    home = client.get(reverse("work:home")).content.decode()
    assert 'id="procedures-awaiting"' in home and procedure.title in home
    assert client.post(reverse("procedures:acknowledge", args=[procedure.pk])).status_code == 302
    ack = Acknowledgement.objects.get()
    assert (ack.user, ack.edition) == (world.sw_amy, 1)
    assert 'id="procedures-awaiting"' not in client.get(reverse("work:home")).content.decode()
    # Acknowledging twice keeps one acknowledgement.
    client.post(reverse("procedures:acknowledge", args=[procedure.pk]))
    assert Acknowledgement.objects.count() == 1


def test_someone_outside_the_audience_cannot_acknowledge(world, client):
    procedure = publish(world, teams=[world.team_b])
    assert selectors.awaiting_for(user=world.sw_amy) == []
    with pytest.raises(ValidationError):
        services.procedure_acknowledge(by=world.sw_amy, procedure=procedure)
    client.force_login(world.sw_amy)
    client.post(reverse("procedures:acknowledge", args=[procedure.pk]))
    assert not Acknowledgement.objects.exists()
    assert (
        "not addressed to"
        in client.get(reverse("procedures:detail", args=[procedure.pk])).content.decode()
    )


def test_a_new_version_asks_for_acknowledgement_again(world, client):
    procedure = publish(world)
    services.procedure_acknowledge(by=world.sw_amy, procedure=procedure)
    assert selectors.awaiting_for(user=world.sw_amy) == []
    client.force_login(world.sm_dan)
    response = client.post(
        reverse("procedures:revise", args=[procedure.pk]),
        {"title": procedure.title, "body": "Invite the child too.", "change_summary": "The child"},
    )
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert procedure.edition == 2 and procedure.body == "Invite the child too."
    assert [p.pk for p in selectors.awaiting_for(user=world.sw_amy)] == [procedure.pk]
    services.procedure_acknowledge(by=world.sw_amy, procedure=procedure)
    assert sorted(Acknowledgement.objects.values_list("edition", flat=True)) == [1, 2]
    assert selectors.awaiting_for(user=world.sw_amy) == []


def test_a_new_version_is_refused_for_a_team_manager(world):
    procedure = publish(world)
    with pytest.raises(PermissionDenied):
        services.procedure_revise(
            by=world.tm_carol, procedure=procedure, title="X", body="Y", change_summary="Z"
        )
    procedure.refresh_from_db()
    assert procedure.edition == 1


# --- The report ---------------------------------------------------------------------------


def test_the_report_counts_who_has_not_acknowledged(world, client):
    procedure = publish(world, roles=[Role.SOCIAL_WORKER, Role.TEAM_MANAGER])
    services.procedure_acknowledge(by=world.sw_amy, procedure=procedure)
    services.procedure_revise(by=world.sm_dan, procedure=procedure, title=procedure.title,
                              body="v2", change_summary="v2", roles=procedure.roles)  # fmt: skip
    services.procedure_acknowledge(by=world.sw_ben, procedure=procedure)
    # The service manager sees everyone: Amy (read version 1 only), Ben (done), Carol.
    report = selectors.report(user=world.sm_dan, procedure=procedure)
    assert (report.audience, report.acknowledged, report.outstanding) == (3, 1, 2)
    by_name = {r.user.username: r for r in report.rows}
    assert by_name["amy"].acknowledged_at is None and by_name["amy"].last_edition == 1
    assert by_name["ben"].acknowledged_at is not None
    # A team manager sees the teams they manage: Carol manages team A (Amy and herself).
    world.team_a.manager = world.tm_carol
    world.team_a.save()
    report = selectors.report(user=world.tm_carol, procedure=procedure)
    assert sorted(r.user.username for r in report.rows) == ["amy", "carol"]
    assert (report.audience, report.acknowledged) == (2, 0)

    client.force_login(world.sm_dan)
    page = client.get(reverse("procedures:report", args=[procedure.pk])).content.decode()
    assert "1 of 3 acknowledged" in page
    response = client.get(reverse("procedures:report-csv", args=[procedure.pk]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Type"].startswith("text/csv")
    assert sorted((r["name"], bool(r["acknowledged_at"])) for r in rows) == [
        ("Amy Adeyemi", False), ("Ben Bailey", True), ("Carol Chen", False)]  # fmt: skip


# --- Query counts -------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_pages_make_a_fixed_number_of_queries(world, client):
    first = publish(world, teams=[world.team_a])
    client.force_login(world.sm_dan)
    pages = lambda: [reverse("procedures:list"), reverse("procedures:detail", args=[first.pk]),  # noqa: E731
                     reverse("procedures:report", args=[first.pk]), reverse("work:home")]  # fmt: skip
    few = [_count(client, url) for url in pages()]
    for n in range(6):
        p = publish(world, title=f"Procedure {n}", teams=[world.team_a, world.team_b])
        for who in (world.sw_amy, world.sw_ben, world.tm_carol):
            services.procedure_acknowledge(by=who, procedure=p)
        for who in (world.sw_amy, world.tm_carol):  # team A: the first one's audience
            services.procedure_acknowledge(by=who, procedure=first)
    many = [_count(client, url) for url in pages()]
    assert few == many


def test_the_step_link_is_one_query(world):
    from django.template import Context, Template
    from django.test import RequestFactory

    for n in range(3):
        publish(world, title=f"Conference {n}", step=Step.INITIAL_CONFERENCE)
    request = RequestFactory().get("/")
    request.user = world.sw_amy
    template = Template('{% load procedures %}{% procedure_for "initial_conference" %}')
    with CaptureQueriesContext(connection) as ctx:
        html = template.render(Context({"request": request}))
    assert len(ctx) == 1 and html.count("procedure-link") == 3
