"""Days since seen: the last time each open child was seen, the stage of their case, and the
list of children not seen within their stage's standard."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from safeguard.audit.models import AccessEvent
from safeguard.audit.testing import clear_access_log
from safeguard.casework.models import Allocation, Case
from safeguard.core.workdays import add_working_days, working_days_between
from safeguard.people.models import Person
from safeguard.timescales import projection, selectors
from safeguard.timescales.permissions import Action, can
from safeguard.timescales.tests.factories import (
    make_assessment,
    make_case,
    make_cin_plan,
    make_cp_plan,
    make_section47,
    make_visit,
)

pytestmark = pytest.mark.django_db

ON = date(2026, 6, 10)  # a Wednesday


def _allocate(case, world, worker=None, team=None, start=None):
    Allocation.objects.create(case=case, worker=worker or world.sw_amy, team=team or world.team_a,
                              start_date=start or case.referral_date)


def _case_in_stage(world, stage: str, child=None, *, referral=date(2026, 1, 5)) -> Case:
    case = make_case(child or world.child_sam, referral_date=referral)
    if stage != "unallocated":
        _allocate(case, world)
    match stage:
        case "cp_plan":
            make_cp_plan(case, start=referral)
        case "section47":
            make_section47(case, by=world.tm_carol, discussion=referral)
        case "assessment":
            make_assessment(case, "single", start=referral)
        case "cin":
            make_cin_plan(case, start=referral)
    return case


def _listed(world, on=ON, teams=None) -> list[Case]:
    clocks = selectors.unseen_cases(world.authority, on=on, teams=teams).select_related("case")
    return [clock.case for clock in clocks]


STANDARDS = {"unallocated": 5, "cp_plan": 10, "section47": 5, "assessment": 10, "cin": 20}


@pytest.mark.parametrize("stage", list(STANDARDS))
def test_per_stage_a_child_past_their_standard_is_listed_and_one_within_is_not(world, stage):
    standard = STANDARDS[stage]
    assert selectors.standards(world.authority)[stage] == standard
    case = _case_in_stage(world, stage)
    # Seen exactly the standard's number of working days ago: within it.
    visit = make_visit(case, add_working_days(ON, -standard), by=world.sw_amy)
    listed = selectors.with_stage(Case.objects.filter(pk=case.pk), on=ON).get()
    assert listed.stage == stage
    assert _listed(world) == []
    # One working day earlier: past it.
    visit.visit_date = add_working_days(ON, -standard - 1)
    visit.save()
    assert _listed(world) == [case]


def test_the_stage_follows_the_order_of_precedence(world):
    case = _case_in_stage(world, "cin")
    make_assessment(case, "single", start=date(2026, 2, 2))
    make_section47(case, by=world.tm_carol, discussion=date(2026, 2, 3))
    make_cp_plan(case, start=date(2026, 3, 2))

    def stage():
        return selectors.with_stage(Case.objects.filter(pk=case.pk), on=ON).get().stage

    assert stage() == "cp_plan"
    Allocation.objects.filter(case=case).update(end_date=date(2026, 6, 1))
    assert stage() == "unallocated"


def test_last_seen_is_the_latest_of_every_source_and_names_the_worker(world):
    case = _case_in_stage(world, "assessment")
    assessment = case.assessments.get()
    make_visit(case, date(2026, 2, 2), by=world.sw_ben)
    make_visit(case, date(2026, 5, 1), by=world.sw_amy, seen=False)  # not seen: does not count
    assert selectors.last_seen(case).day == date(2026, 2, 2)
    assert selectors.last_seen(case).by == world.sw_ben
    assessment.child_seen_date, assessment.created_by = date(2026, 3, 3), world.tm_carol
    assessment.save()
    seen = selectors.last_seen(case)
    assert (seen.day, seen.by, str(seen.by)) == (date(2026, 3, 3), world.tm_carol, "Carol Chen")
    make_visit(case, date(2026, 4, 4), by=world.sw_amy, kind="assessment")
    row = selectors.with_last_seen(Case.objects.filter(pk=case.pk)).get()
    assert (row.last_seen, row.last_seen_by_id) == (date(2026, 4, 4), world.sw_amy.pk)


def test_a_sighting_on_another_case_of_the_same_child_counts_but_not_a_siblings(world):
    old = make_case(world.child_sam, referral_date=date(2025, 1, 6), closure_date=date(2025, 6, 2))
    make_visit(old, date(2025, 5, 5), by=world.sw_ben)
    case = _case_in_stage(world, "cin")
    sally = _case_in_stage(world, "cin", world.child_sally)
    make_visit(sally, date(2026, 6, 1), by=world.sw_amy)
    assert selectors.last_seen(case).day == date(2025, 5, 5)
    # Not seen since the referral: the clock runs from the referral.
    row = next(r for r in selectors.unseen_rows(_listed(world), authority=world.authority, on=ON)
               if r.case == case)
    assert row.last_seen == date(2025, 5, 5) and row.since == case.referral_date
    assert row.working_days == working_days_between(case.referral_date, ON)


def test_a_child_never_seen_is_counted_from_the_referral_and_a_new_referral_is_not_overdue(world):
    case = _case_in_stage(world, "unallocated", referral=add_working_days(ON, -5))
    assert _listed(world) == []
    case.referral_date = add_working_days(ON, -6)
    case.save()
    assert _listed(world) == [case]
    assert selectors.last_seen(case) is None


def test_closed_and_no_further_action_cases_are_not_listed(world):
    make_case(world.child_sam, referral_date=date(2026, 1, 5), closure_date=date(2026, 2, 2))
    make_case(world.child_tom, referral_date=date(2026, 1, 5), nfa=True)
    assert _listed(world) == []


def test_longest_unseen_first_and_the_team_filter(world):
    sam = _case_in_stage(world, "cin", referral=date(2026, 1, 5))
    tom = make_case(world.child_tom, referral_date=date(2025, 11, 3))
    _allocate(tom, world, worker=world.sw_ben, team=world.team_b)
    sally = _case_in_stage(world, "unallocated", world.child_sally, referral=date(2026, 3, 2))
    assert _listed(world) == [tom, sam, sally]
    assert _listed(world, teams=[world.team_a]) == [sam]
    rows = selectors.unseen_rows(_listed(world), authority=world.authority, on=ON)
    assert [(r.stage.code, r.worker, r.team) for r in rows] == [
        ("cin", world.sw_ben, world.team_b), ("cin", world.sw_amy, world.team_a),
        ("unallocated", None, None)]


def test_last_overdue_day_counts_working_days_from_any_day():
    for on in (date(2026, 6, 6), date(2026, 6, 8), date(2026, 12, 28)):
        for n in (1, 5, 10, 20):
            day = selectors.last_overdue_day(on, n)
            assert working_days_between(day, on) > n
            assert working_days_between(day + timedelta(days=1), on) <= n


# --- The page ----------------------------------------------------------------------------


def _today_case(world, child, stage, *, seen_wd_ago: int, by=None, **allocation):
    today = timezone.localdate()
    case = make_case(child, referral_date=today - timedelta(days=400))
    if stage != "unallocated":
        _allocate(case, world, **allocation)
    if stage == "cp_plan":
        make_cp_plan(case, start=case.referral_date)
    make_visit(case, add_working_days(today, -seen_wd_ago), by=by or world.sw_amy)
    return case


def test_the_page_lists_children_past_their_standard_and_logs_each_once(world, client):
    sam = _today_case(world, world.child_sam, "cp_plan", seen_wd_ago=15, by=world.sw_ben)
    _today_case(world, world.child_sally, "cp_plan", seen_wd_ago=3)
    tom = _today_case(world, world.child_tom, "unallocated", seen_wd_ago=30)
    clear_access_log()
    client.force_login(world.sm_dan)
    response = client.get(reverse("timescales:unseen"))
    assert response.status_code == 200
    assert [r.case for r in response.context["rows"]] == [tom, sam]
    content = response.content.decode()
    assert "Sam Smith" in content and "by Ben Bailey" in content and "Child protection plan" in content
    assert "Sally Smith" not in content and "Unallocated" in content
    assert Counter(AccessEvent.objects.values_list("person_id", flat=True)) == Counter(
        {world.child_sam.pk: 1, world.child_tom.pk: 1})


def test_a_sealed_child_is_counted_not_named_nor_logged(world, client):
    from safeguard.people.tests.sealing import seal

    _today_case(world, world.child_tom, "unallocated", seen_wd_ago=30)
    seal(world, world.child_tom)  # named: Carol, who sealed it; not the analyst
    clear_access_log()
    client.force_login(world.analyst_eve)
    response = client.get(reverse("timescales:unseen"))
    assert response.context["rows"] == [] and response.context["restricted"] == 1
    content = response.content.decode()
    assert "Tom Jones" not in content and "1 child on restricted records is not shown" in content
    assert not AccessEvent.objects.filter(person_id=world.child_tom.pk).exists()


def test_a_social_worker_sees_their_own_teams_children_only(world, client):
    sam = _today_case(world, world.child_sam, "cin", seen_wd_ago=30)
    _today_case(world, world.child_tom, "cin", seen_wd_ago=30, worker=world.sw_ben, team=world.team_b)
    client.force_login(world.sw_amy)
    response = client.get(reverse("timescales:unseen"))
    assert [r.case for r in response.context["rows"]] == [sam]
    assert client.get(reverse("timescales:unseen"), {"team": world.team_b.pk}).status_code == 403
    assert client.get(reverse("timescales:unseen"), {"team": world.team_a.pk}).status_code == 200
    assert not can(world.sw_amy, Action.SEE_UNSEEN, world.team_b)
    assert can(world.tm_carol, Action.SEE_UNSEEN, world.team_b)
    client.force_login(world.tm_carol)
    response = client.get(reverse("timescales:unseen"), {"team": world.team_b.pk})
    assert [r.child for r in response.context["rows"]] == [world.child_tom]


def test_an_unknown_team_is_a_clear_error(world, client):
    client.force_login(world.tm_carol)
    response = client.get(reverse("timescales:unseen"), {"team": "nonsense"})
    assert response.status_code == 400
    assert "Choose a team from the list" in response.content.decode()


def _children(world, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        child = Person.objects.create(authority=world.authority, given_names=f"Child{i:03}",
                                      family_name="Test", date_of_birth=date(2015, 1, 1))
        _today_case(world, child, "cin" if i % 2 else "unallocated", seen_wd_ago=30 + i)
    # Worked out as each step's service does in its transaction (the records here are made
    # directly), not by the page.
    projection.flush()


def test_paging_in_sql_longest_unseen_first(world, client, monkeypatch):
    monkeypatch.setattr(selectors, "UNSEEN_PAGE_SIZE", 3)
    _children(world, 7)
    client.force_login(world.tm_carol)
    first = client.get(reverse("timescales:unseen"))
    assert first.context["total"] == 7
    assert [r.child.given_names for r in first.context["rows"]] == ["Child006", "Child005", "Child004"]
    assert "page=2" in first.context["next_query"]
    last = client.get(reverse("timescales:unseen"), {"page": 3})
    assert [r.child.given_names for r in last.context["rows"]] == ["Child000"]
    assert client.get(reverse("timescales:unseen"), {"page": "x"}).status_code == 200
    past = client.get(reverse("timescales:unseen"), {"page": 99})
    assert past.context["page"].number == 3 and len(past.context["rows"]) == 1


def test_the_page_makes_the_same_number_of_queries_whatever_the_number_of_children(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.tm_carol)
    _children(world, 2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("timescales:unseen")).status_code == 200
    _children(world, 12, start=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("timescales:unseen"))
    assert len(response.context["rows"]) == 14
    # The target at 50,000 children: at most 20 statements, savepoints aside.
    statements = [q for q in few.captured_queries
                  if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert len(statements) <= 20


def test_the_case_page_shows_when_and_by_whom_the_child_was_last_seen(world, client):
    case = _today_case(world, world.child_sam, "cin", seen_wd_ago=3, by=world.sw_ben)
    client.force_login(world.sw_amy)
    content = client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    seen = add_working_days(timezone.localdate(), -3)
    days = (timezone.localdate() - seen).days
    text = " ".join(strip_tags(content).split())
    assert f"Last seen: {seen:%-d %B %Y} by Ben Bailey ({days} days ago)" in text


def test_the_service_due_list_and_the_managers_home_page_link_to_it(world, client):
    client.force_login(world.tm_carol)
    link = reverse("timescales:unseen")
    assert link in client.get(reverse("timescales:service")).content.decode()
    assert link in client.get(reverse("work:home")).content.decode()


def test_a_social_workers_home_page_links_to_their_teams_unseen_children(world, client):
    client.force_login(world.sw_amy)
    home = client.get(reverse("work:home")).content.decode()
    assert 'id="my-teams-unseen"' in home and reverse("timescales:unseen") in home
    # Partners never see it.
    client.force_login(world.police_pat)
    assert reverse("timescales:unseen") not in client.get(reverse("work:home")).content.decode()


def test_the_standards_are_the_authoritys_to_change_within_bounds(world):
    from safeguard.core.errors import ApplicationError
    from safeguard.timescales.services import standards_update

    case = _case_in_stage(world, "unallocated")
    make_visit(case, add_working_days(ON, -4), by=world.sw_amy)
    assert _listed(world) == []
    with pytest.raises(ApplicationError):
        standards_update(by=world.admin_al, authority=world.authority, unallocated_seen_wd=0)
    standards_update(by=world.admin_al, authority=world.authority, unallocated_seen_wd=3)
    world.authority.refresh_from_db()
    assert _listed(world) == [case]


def test_an_unborn_child_is_not_listed_and_a_child_born_since_the_referral_counts_from_birth(
    world,
):
    """An unborn child cannot be seen; once born, their clock starts at birth, as the visit
    rules' clocks do (plan_start_once_born)."""
    unborn = world.unborn
    case = _case_in_stage(world, "cin", child=unborn)
    assert _listed(world) == []
    # Born 30 working days before ON (past the 20-day standard) but long after the referral.
    born = add_working_days(ON, -30)
    Person.objects.filter(pk=unborn.pk).update(date_of_birth=born)
    assert _listed(world) == [case]
    row = selectors.unseen_rows(_listed(world), on=ON, authority=world.authority)[0]
    assert row.since == born and row.working_days == 30
    # Born only 10 working days before ON: within the standard.
    Person.objects.filter(pk=unborn.pk).update(date_of_birth=add_working_days(ON, -10))
    assert _listed(world) == []
