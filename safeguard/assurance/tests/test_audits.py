"""Case-file audits: sampling from a seed, grading, moderation by a second manager, the pages."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from safeguard.assurance import permissions, sampling, services
from safeguard.assurance.models import Audit, AuditAction, Finding, Grade, Heading, Stratum
from safeguard.assurance.permissions import Action
from safeguard.assurance.tests.steps import (
    action_of_sam,
    allocated_cases,
    audit_of_sam,
    completed_audit_of_sam,
    findings,
)
from safeguard.audit.models import AccessEvent

POOL = [(f"case-{n:03d}", f"team-{n % 4}") for n in range(100)]


def test_a_sample_is_reproducible_from_its_seed_whatever_the_order():
    first = sampling.draw(POOL, size=10, seed=42)
    again = sampling.draw(list(reversed(POOL)), size=10, seed=42)
    other = sampling.draw(POOL, size=10, seed=43)
    assert first == again
    assert len(first) == 10 and len(set(first)) == 10
    assert first != other


def test_a_stratified_sample_takes_size_from_each_stratum_and_all_of_a_small_one():
    pool = [*POOL, ("case-lone", "team-small")]
    chosen = sampling.draw(pool, size=3, seed=7, stratified=True)
    by_team = {}
    for _, team in chosen:
        by_team[team] = by_team.get(team, 0) + 1
    assert by_team == {"team-0": 3, "team-1": 3, "team-2": 3, "team-3": 3, "team-small": 1}
    assert chosen == sampling.draw(list(reversed(pool)), size=3, seed=7, stratified=True)


def test_drawing_by_team_starts_one_audit_per_team_for_the_manager(world):
    cases = allocated_cases(world)
    audits = services.draw_sample(by=world.tm_carol, size=1, seed=5, stratum=Stratum.TEAM)
    assert sorted(a.team.name for a in audits) == [world.team_a.name, world.team_b.name]
    assert {a.auditor for a in audits} == {world.tm_carol}
    assert {a.sample_seed for a in audits} == {5}
    tom = [a for a in audits if a.team == world.team_b]
    assert tom[0].case == cases["Tom"]
    Audit.objects.all().delete()
    again = services.draw_sample(by=world.tm_carol, size=1, seed=5, stratum=Stratum.TEAM)
    assert {a.case_id for a in again} == {a.case_id for a in audits}


def test_a_random_draw_never_takes_more_than_there_are(world):
    allocated_cases(world)
    audits = services.draw_sample(by=world.sm_dan, size=10, seed=1)
    assert len(audits) == 3


@pytest.mark.parametrize("size", [0, 51])
def test_a_draw_of_a_bad_size_is_refused_and_writes_nothing(world, size):
    allocated_cases(world)
    with pytest.raises(ValidationError):
        services.draw_sample(by=world.tm_carol, size=size, seed=1)
    assert not Audit.objects.exists()


def test_a_social_worker_cannot_draw_a_sample(world):
    with pytest.raises(PermissionDenied):
        services.draw_sample(by=world.sw_amy, size=1, seed=1)


def test_completing_grades_every_heading(world):
    audit = completed_audit_of_sam(world)
    assert audit.status == Audit.Status.COMPLETED
    assert audit.completed_on == date(2025, 3, 3)
    assert Finding.objects.filter(audit=audit).count() == len(Heading)


def test_an_audit_missing_a_heading_is_refused_and_writes_nothing(world):
    audit = audit_of_sam(world)
    partial = findings()
    del partial[Heading.VOICE]
    with pytest.raises(ValidationError, match="Voice"):
        services.complete(audit=audit, by=world.tm_carol, findings=partial, overall=Grade.GOOD)
    audit.refresh_from_db()
    assert audit.status == Audit.Status.STARTED
    assert not Finding.objects.exists()


def test_only_the_auditor_grades(world):
    audit = audit_of_sam(world)
    with pytest.raises(PermissionDenied):
        services.complete(audit=audit, by=world.sm_dan, findings=findings(), overall=Grade.GOOD)


def test_the_auditor_never_moderates_their_own_audit(world):
    audit = completed_audit_of_sam(world)
    with pytest.raises(PermissionDenied):
        services.moderate(audit=audit, by=world.tm_carol, grade=Grade.GOOD, note="Agreed")
    audit.refresh_from_db()
    assert audit.moderator is None and audit.status == Audit.Status.COMPLETED


def test_a_second_manager_moderates_and_the_final_grade_is_theirs(world):
    audit = completed_audit_of_sam(world)
    services.moderate(
        audit=audit, by=world.sm_dan, grade=Grade.REQUIRES_IMPROVEMENT, note="Plan not SMART"
    )
    audit.refresh_from_db()
    assert audit.status == Audit.Status.MODERATED
    assert audit.moderator == world.sm_dan
    assert audit.final_grade == Grade.REQUIRES_IMPROVEMENT
    with pytest.raises(PermissionDenied):  # once
        services.moderate(audit=audit, by=world.sm_dan, grade=Grade.GOOD, note="Again")


def test_moderation_without_a_note_is_refused(world):
    audit = completed_audit_of_sam(world)
    with pytest.raises(ValidationError):
        services.moderate(audit=audit, by=world.sm_dan, grade=Grade.GOOD, note="  ")


def test_the_audit_page_logs_the_read_of_the_childs_record(client, world):
    audit = audit_of_sam(world)
    client.force_login(world.sm_dan)
    before = AccessEvent.objects.filter(user=world.sm_dan, person_id=world.child_sam.pk).count()
    response = client.get(reverse("assurance:audit", args=[audit.pk]))
    assert response.status_code == 200
    assert "Sam Smith" in response.text
    after = AccessEvent.objects.filter(user=world.sm_dan, person_id=world.child_sam.pk).count()
    assert after == before + 1


def test_grading_and_moderating_through_the_pages(client, world):
    audit = audit_of_sam(world)
    client.force_login(world.tm_carol)
    data = {"overall": "good"}
    for h in Heading:
        data[f"{h}_grade"] = "good"
        data[f"{h}_evidence"] = f"Seen: {h.label}"
    bad = {**data, "visits_evidence": ""}
    response = client.post(reverse("assurance:audit-grade", args=[audit.pk]), bad)
    assert response.status_code == 400
    assert not Finding.objects.exists()
    response = client.post(reverse("assurance:audit-grade", args=[audit.pk]), data)
    assert response.status_code == 302
    # Carol may not moderate her own audit.
    moderate = reverse("assurance:audit-moderate", args=[audit.pk])
    note = {"grade": "outstanding", "note": "Exceptional direct work"}
    assert client.post(moderate, note).status_code == 403
    client.force_login(world.sm_dan)
    assert client.post(moderate, note).status_code == 302
    page = client.get(reverse("assurance:audit", args=[audit.pk])).text
    assert "Exceptional direct work" in page and "Seen: Visits" in page


def test_the_list_draws_a_sample_and_shows_results_and_csv(client, world):
    allocated_cases(world)
    completed_audit_of_sam(world)
    client.force_login(world.tm_carol)
    url = reverse("assurance:audits")
    response = client.post(url, {"size": "2", "seed": "9", "stratum": ""})
    assert response.status_code == 302
    assert Audit.objects.filter(sample_seed=9).count() == 2
    assert client.post(url, {"size": "x", "seed": "9"}).status_code == 400
    page = client.get(url).text
    assert "Child Protection Team A" in page and "Mar 2025" in page
    csv = client.get(url, {"format": "csv"}).content.decode()
    assert "Child Protection Team A,2025-03,Good,1" in csv
    pdf = client.get(url, {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_list_makes_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    allocated_cases(world)
    completed_audit_of_sam(world)
    client.force_login(world.tm_carol)
    url = reverse("assurance:audits")
    client.get(url)
    with django_assert_num_queries(count := _queries(client, url)):
        client.get(url)
    services.draw_sample(by=world.tm_carol, size=3, seed=2)
    with django_assert_num_queries(count):
        client.get(url)


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def test_the_practitioner_sees_a_completed_audit_of_their_case_and_responds_once(world):
    audit = audit_of_sam(world)
    assert not permissions.can(world.sw_amy, Action.SEE, audit)  # not before it is complete
    assert not permissions.visible_to(world.sw_amy).exists()
    audit = _complete(world, audit)
    assert permissions.can(world.sw_amy, Action.SEE, audit)
    assert not permissions.can(world.sw_ben, Action.SEE, audit)
    with pytest.raises(PermissionDenied):
        services.respond(audit=audit, by=world.sw_ben, response="Not mine")
    with pytest.raises(ValidationError):
        services.respond(audit=audit, by=world.sw_amy, response=" ")
    services.respond(audit=audit, by=world.sw_amy, response="Agreed; the plan is being redone")
    audit.refresh_from_db()
    assert audit.practitioner_response.startswith("Agreed")
    with pytest.raises(PermissionDenied):
        services.respond(audit=audit, by=world.sw_amy, response="Again")


def _complete(world, audit):
    return services.complete(
        audit=audit, by=world.tm_carol, findings=findings(), overall=Grade.GOOD
    )


def test_actions_are_tracked_to_completion_by_their_owner(world):
    action = action_of_sam(world)
    assert action.completed_on is None
    with pytest.raises(PermissionDenied):  # not the owner, not a manager
        services.complete_action(action=action, by=world.sw_ben)
    services.complete_action(action=action, by=world.sw_amy, today=date(2025, 4, 1))
    action.refresh_from_db()
    assert action.completed_on == date(2025, 4, 1) and action.completed_by == world.sw_amy
    with pytest.raises(PermissionDenied):  # once
        services.complete_action(action=action, by=world.tm_carol)


def test_an_action_needs_an_owner_in_social_care_and_a_due_date_not_past(world):
    audit = completed_audit_of_sam(world)
    with pytest.raises(ValidationError):
        services.add_action(
            audit=audit, by=world.tm_carol, description="Visit", owner=world.sw_amy,
            due_date=date(2020, 1, 1),
        )  # fmt: skip
    with pytest.raises(ValidationError):
        services.add_action(
            audit=audit, by=world.tm_carol, description="Visit", owner=world.police_pat,
            due_date=date(2099, 1, 1),
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.add_action(
            audit=audit, by=world.sw_amy, description="Visit", owner=world.sw_amy,
            due_date=date(2099, 1, 1),
        )  # fmt: skip
    assert not AuditAction.objects.exists()


def test_actions_and_responses_through_the_pages(client, world):
    audit = completed_audit_of_sam(world)
    client.force_login(world.tm_carol)
    add = reverse("assurance:action-add", args=[audit.pk])
    data = {"description": "Add the genogram", "owner": str(world.sw_amy.pk),
            "due_date_day": "1", "due_date_month": "1", "due_date_year": "2099"}  # fmt: skip
    assert client.post(add, {**data, "due_date_day": "40"}).status_code == 400
    assert client.post(add, data).status_code == 302
    action = AuditAction.objects.get()
    client.force_login(world.sw_amy)
    mine = client.get(reverse("assurance:mine")).text
    assert "Add the genogram" in mine and "Sam Smith" in mine
    respond = reverse("assurance:audit-respond", args=[audit.pk])
    assert client.post(respond, {"response": ""}).status_code == 400
    assert client.post(respond, {"response": "Thank you"}).status_code == 302
    assert client.post(reverse("assurance:action-done", args=[action.pk])).status_code == 302
    page = client.get(reverse("assurance:audit", args=[audit.pk])).text
    assert "Thank you" in page and "Record done" not in page
    action.refresh_from_db()
    assert action.completed_by == world.sw_amy


def test_my_page_makes_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    action_of_sam(world)
    client.force_login(world.sw_amy)
    url = reverse("assurance:mine")
    client.get(url)
    count = _queries(client, url)
    audit = Audit.objects.get()
    for n in range(3):
        services.add_action(
            audit=audit, by=world.tm_carol, description=f"Action {n}", owner=world.sw_amy,
            due_date=date(2099, 2, n + 1),
        )  # fmt: skip
    with django_assert_num_queries(count):
        client.get(url)


def test_the_home_page_links_managers_to_the_audits_and_workers_to_theirs(client, world):
    client.force_login(world.tm_carol)
    assert reverse("assurance:audits") in client.get(reverse("work:home")).text
    client.force_login(world.sw_amy)
    home = client.get(reverse("work:home")).text
    assert f'href="{reverse("assurance:mine")}"' in home
    assert f'href="{reverse("assurance:audits")}"' not in home


def test_the_results_count_grades_by_team_month_and_theme_over_quarters_and_the_actions(
    client, world
):
    """Two completed audits: Sam's in March 2025 (every heading good, overall good) and
    Tom's in May 2025 (every heading inadequate, moderated to requires improvement); two
    actions on Sam's file, one done late, and one overdue on Tom's."""
    cases = allocated_cases(world)
    sam = completed_audit_of_sam(world)
    tom = Audit(
        case=cases["Tom"], authority_id=cases["Tom"].authority_id, auditor=world.tm_carol,
        team=world.team_b, practitioner=world.sw_ben, sample_seed=2,
    )  # fmt: skip
    from safeguard.audit.services import save_new

    save_new(tom, by=world.tm_carol)
    services.complete(
        audit=tom, by=world.tm_carol, findings=findings(Grade.INADEQUATE),
        overall=Grade.INADEQUATE, today=date(2025, 5, 20),
    )  # fmt: skip
    services.moderate(
        audit=tom, by=world.sm_dan, grade=Grade.REQUIRES_IMPROVEMENT, note="Plan partly met"
    )
    today = date(2025, 6, 1)
    first = services.add_action(
        audit=sam, by=world.tm_carol, description="Genogram", owner=world.sw_amy,
        due_date=date(2025, 4, 1), today=date(2025, 3, 3),
    )  # fmt: skip
    services.complete_action(action=first, by=world.sw_amy, today=date(2025, 4, 9))
    services.add_action(
        audit=sam, by=world.tm_carol, description="Views", owner=world.sw_amy,
        due_date=date(2099, 4, 1), today=date(2025, 3, 3),
    )  # fmt: skip
    services.add_action(
        audit=tom, by=world.tm_carol, description="Plan", owner=world.sw_ben,
        due_date=date(2025, 5, 30), today=date(2025, 5, 20),
    )  # fmt: skip
    from safeguard.assurance import selectors

    by_team = selectors.team_results(selectors.results_by_team(world.tm_carol))
    assert [(r.team, r.month, r.grades.by_grade, r.grades.good_or_better) for r in by_team] == [
        ("Child Protection Team A", date(2025, 3, 1), [0, 1, 0, 0], 100),
        ("Child Protection Team B", date(2025, 5, 1), [0, 0, 1, 0], 0),
    ]
    themes = selectors.theme_results(world.tm_carol)
    assert themes.quarter_labels == ["Jan to Mar 2025", "Apr to Jun 2025"]
    assert len(themes.rows) == len(Heading)
    visits = next(r for r in themes.rows if r.heading == Heading.VISITS)
    assert [q.by_grade for q in visits.quarters] == [[0, 1, 0, 0], [0, 0, 0, 1]]
    assert visits.all_time.good_or_better == 50
    actions = selectors.action_results(world.tm_carol, today=today)
    assert [(a.team, a.set, a.done, a.done_late, a.open, a.overdue) for a in actions] == [
        ("Child Protection Team A", 2, 1, 1, 1, 0),
        ("Child Protection Team B", 1, 0, 0, 1, 1),
        ("All teams", 3, 1, 1, 2, 1),
    ]
    # A worker sees only their own completed audits' results: Amy's, Sam's.
    assert [a.team for a in selectors.action_results(world.sw_amy)] == ["Child Protection Team A"]
    client.force_login(world.tm_carol)
    url = reverse("assurance:audits")
    page = client.get(url).text
    team_b = page.split('class="govuk-table__row sg-team-month"')[2]
    assert "Child Protection Team B" in team_b and "May 2025" in team_b and "0%" in team_b
    assert page.count('class="govuk-table__row sg-theme"') == len(Heading)
    assert "Jan to Mar 2025" in page and "All teams" in page
    themes_csv = client.get(url, {"format": "csv", "table": "themes"}).content.decode()
    assert "Visits,Jan to Mar 2025,Good,1" in themes_csv
    assert "Visits,Apr to Jun 2025,Inadequate,1" in themes_csv
    actions_csv = client.get(url, {"format": "csv", "table": "actions"}).content.decode()
    assert actions_csv.lstrip("\ufeff").splitlines()[0] == "team,set,done,done_late,open,overdue"
    assert "All teams,3,1,1,2," in actions_csv
    pdf = client.get(url, {"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
