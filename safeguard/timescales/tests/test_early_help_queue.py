"""Issue 19 item 5: the early help queue. Each section on hand-built cases, with the boundary
day: an assessment open exactly the standard's working days is not late, one more is; a team
around the family is due its review on the day the interval ends and overdue the day after."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguard.core.workdays import working_days_between
from safeguard.earlyhelp.services import eha_start, taf_review_record, taf_start
from safeguard.timescales import early_help
from safeguard.timescales.services import standards_update
from safeguard.timescales.tests.test_next_steps import decided_contact, levels  # noqa: F401

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def day_with_working_days(n: int):
    """The latest day from which ``n`` working days have passed by today."""
    day = TODAY
    while working_days_between(day, TODAY) != n:
        day -= timedelta(days=1)
    return day


def start_eha(world, child, start, **fields):
    defaults = {"organisation_other": "Little Acorns Nursery", "lead_name": "Lee Lead", "lead_agency": "Nursery"}
    return eha_start(
        by=world.sw_amy, child=child, start_date=start, consent_given=True, consent_date=start,
        **(defaults | fields),
    )  # fmt: skip


def start_team(world, child, start, **fields):
    return taf_start(
        by=world.sw_ben, child=child, start_date=start, lead_name="Lee Lead",
        lead_agency="Nursery", **fields,
    )  # fmt: skip


def late(world, **kwargs):
    return [r.assessment.child for r in early_help.assessments_late(world.authority, on=TODAY, **kwargs).rows]


def overdue(world, **kwargs):
    return [r.taf.child for r in early_help.reviews_overdue(world.authority, on=TODAY, **kwargs).rows]


def test_an_assessment_is_late_one_working_day_past_the_standard(world):
    standard = world.authority.early_help_assessment_wd
    assert standard == 45
    start_eha(world, world.child_sam, day_with_working_days(45))
    start_eha(world, world.child_tom, day_with_working_days(46), organisation=world.voluntary, organisation_other="")
    assert late(world) == [world.child_tom]
    [row] = early_help.assessments_late(world.authority, on=TODAY).rows
    assert row.working_days == 46
    # A tighter standard makes both late, the oldest first.
    standards_update(by=None, authority=world.authority, early_help_assessment_wd=44)
    world.authority.refresh_from_db()
    assert late(world) == [world.child_tom, world.child_sam]


def test_a_completed_assessment_leaves_the_queue(world):
    from safeguard.earlyhelp.services import eha_complete

    eha = start_eha(world, world.child_tom, day_with_working_days(60))
    assert late(world) == [world.child_tom]
    eha_complete(by=world.sw_amy, assessment=eha, completed_date=TODAY, outcome="nfa", needs="Sleep and routines")
    assert late(world) == []


def test_a_partner_sees_only_their_own_agencys_assessments(world):
    start_eha(world, world.child_sam, day_with_working_days(50))
    start_eha(world, world.child_tom, day_with_working_days(50), organisation=world.voluntary, organisation_other="")
    assert late(world, partner_agency=world.voluntary) == [world.child_tom]
    assert late(world, partner_agency=world.health) == []


def test_a_review_is_overdue_the_day_after_the_interval_ends(world):
    start_team(world, world.child_tom, TODAY - timedelta(weeks=6))  # due today
    start_team(world, world.child_sally, TODAY - timedelta(weeks=6, days=1))  # due yesterday
    taf = start_team(world, world.child_sam, TODAY - timedelta(weeks=20))
    taf_review_record(by=world.sw_ben, taf=taf, review_date=TODAY - timedelta(weeks=3), progress="Going well")
    [row] = early_help.reviews_overdue(world.authority, on=TODAY).rows
    assert (row.child, row.due_date, row.days_overdue) == (world.child_sally, TODAY - timedelta(days=1), 1)
    # The authority's interval moves every team's due date at once.
    standards_update(by=None, authority=world.authority, taf_review_weeks=2)
    world.authority.refresh_from_db()
    assert overdue(world) == [world.child_sally, world.child_tom, world.child_sam]
    [sam] = [r for r in early_help.reviews_overdue(world.authority, on=TODAY).rows if r.child == world.child_sam]
    assert sam.due_date == TODAY - timedelta(weeks=1)


def test_a_contact_decided_for_early_help_waits_on_the_queue_as_on_the_due_list(world, levels):  # noqa: F811
    contact = decided_contact(world, levels, "early_help")
    [row] = early_help.not_started(world.authority, on=TODAY).rows
    assert (row.contact, row.child, row.item.rule.id) == (contact, world.child_sam, "contact_early_help")
    start_eha(world, world.child_sam, TODAY, contact=contact)
    assert early_help.not_started(world.authority, on=TODAY).rows == []


def test_the_page_shows_each_section_with_a_link_to_the_form_that_meets_it(world, client, levels):  # noqa: F811
    contact = decided_contact(world, levels, "early_help")
    eha = start_eha(world, world.child_tom, day_with_working_days(50))
    taf = start_team(world, world.child_sally, TODAY - timedelta(weeks=7))
    client.force_login(world.tm_carol)
    page = client.get(reverse("timescales:early-help-queue")).content.decode()
    assert reverse("earlyhelp:eha-new", args=[world.child_sam.pk]) + f"?contact={contact.pk}" in page
    assert reverse("earlyhelp:eha-complete", args=[eha.pk]) in page
    assert reverse("earlyhelp:taf-review-new", args=[taf.pk]) in page
    home = client.get(reverse("work:home")).content.decode()
    assert reverse("timescales:early-help-queue") in home


def test_a_partner_sees_no_front_door_section(world, client, levels):  # noqa: F811
    decided_contact(world, levels, "early_help")
    client.force_login(world.voluntary_val)
    response = client.get(reverse("timescales:early-help-queue"))
    assert response.status_code == 200
    assert "not_started" not in response.context["sections"]
    assert "Decided for early help" not in response.content.decode()


def test_the_queue_makes_a_fixed_number_of_queries(world, client, levels):  # noqa: F811
    def count() -> tuple[int, int]:
        client.force_login(world.tm_carol)
        url = reverse("timescales:early-help-queue")
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        sections = response.context["sections"]
        return len(captured), sum(len(s["rows"]) for s in sections.values())

    decided_contact(world, levels, "early_help")
    start_eha(world, world.child_tom, day_with_working_days(50))
    start_team(world, world.child_sally, TODAY - timedelta(weeks=7))
    one, shown = count()
    assert shown == 3
    decided_contact(world, levels, "early_help", child=world.child_tom)
    start_eha(world, world.child_sally, day_with_working_days(47))
    start_team(world, world.child_tom, TODAY - timedelta(weeks=9))
    start_team(world, world.child_sam, TODAY - timedelta(weeks=8))
    many, shown = count()
    assert shown == 7
    assert many == one


def test_the_early_help_standards_are_kept_within_their_bounds(world):
    from safeguard.core.errors import ApplicationError

    for field, bad in (("taf_review_weeks", 0), ("taf_review_weeks", 27), ("early_help_assessment_wd", 131)):
        with pytest.raises(ApplicationError):
            standards_update(by=None, authority=world.authority, **{field: bad})
    world.authority.refresh_from_db()
    assert (world.authority.taf_review_weeks, world.authority.early_help_assessment_wd) == (6, 45)


def test_a_page_past_the_last_gives_the_last(world):
    start_team(world, world.child_sally, TODAY - timedelta(weeks=7))
    page = early_help.reviews_overdue(world.authority, on=TODAY, number=9)
    assert (page.number, page.total, [r.child for r in page.rows]) == (1, 1, [world.child_sally])
