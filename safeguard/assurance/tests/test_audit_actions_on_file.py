"""The actions a case-file audit sets are on the child's file (issue 15 item 4): on the case
page and the chronology, with their owners and due dates, and tracked there to completion;
their owner is told, and records them done from the case file."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from safeguard.assurance import services
from safeguard.assurance.models import AuditAction
from safeguard.assurance.tests.steps import action_of_sam, completed_audit_of_sam
from safeguard.casework.models import ChronologyEntry
from safeguard.notices.models import Notice


def _entry(action) -> ChronologyEntry:
    return ChronologyEntry.objects.get(
        source_type="assurance.auditaction", source_id=str(action.pk)
    )


def _case_page(client, user, action) -> str:
    client.force_login(user)
    response = client.get(reverse("casework:case-detail", args=[action.audit.case_id]))
    assert response.status_code == 200
    return response.text


def test_an_action_goes_on_the_childs_chronology_and_its_completion_with_it(world):
    action = action_of_sam(world)
    entry = _entry(action)
    assert entry.child_id == world.child_sam.pk
    assert entry.case_id == action.audit.case_id
    assert entry.what == "Case-file audit action: Update the chronology"
    amy = str(world.sw_amy)
    assert entry.outcome == f"Owner {amy}, due 01 January 2099."
    assert entry.event_date == timezone.localdate()
    services.complete_action(action=action, by=world.sw_amy, today=date(2025, 4, 1))
    entry.refresh_from_db()
    assert entry.outcome == f"Owner {amy}, due 01 January 2099. Done on 01 April 2025 by {amy}."
    assert entry.event_date == timezone.localdate()  # still the day it was set
    assert ChronologyEntry.objects.filter(source_type="assurance.auditaction").count() == 1


def test_the_owner_is_told_without_the_childs_name_in_the_notice(world):
    action = action_of_sam(world)
    notice = Notice.objects.get(user=world.sw_amy, subject="A case-file audit set you an action")
    assert notice.url == reverse("casework:case-detail", args=[action.audit.case_id])
    assert "01 January 2099" in notice.body
    assert "Sam" not in notice.body and "Update the chronology" not in notice.body


def test_the_case_page_shows_the_actions_with_owner_due_date_and_progress(client, world):
    action = action_of_sam(world)
    audit = action.audit
    late = AuditAction.objects.create(
        audit=audit, description="Write the missing visit", owner=world.sw_ben,
        due_date=timezone.localdate() - timedelta(days=2),
    )  # fmt: skip
    page = _case_page(client, world.sw_amy, action)
    assert 'id="case-audit-actions"' in page
    rows = page.split('class="govuk-table__row sg-audit-action"')[1:]
    assert len(rows) == 2
    # Open actions in the order they fall due: the overdue one first.
    assert "Write the missing visit" in rows[0] and "Overdue" in rows[0] and "Ben" in rows[0]
    assert "Update the chronology" in rows[1] and "1 Jan 2099" in rows[1] and "Open" in rows[1]
    # Amy owns the second and records it done; the first is Ben's.
    assert "Record done" not in rows[0] and "Record done" in rows[1]
    # Amy is the practitioner: the completed audit is hers to open.
    assert reverse("assurance:audit", args=[audit.pk]) in rows[1]
    assert late.completed_on is None


def test_the_owner_records_it_done_from_the_case_file_and_stays_there(client, world):
    audit = completed_audit_of_sam(world)
    # Ben owns an action on Amy's case: he may not open the audit, but he may do the action.
    action = services.add_action(
        audit=audit, by=world.tm_carol, description="Check the report from school",
        owner=world.sw_ben, due_date=date(2099, 3, 1),
    )  # fmt: skip
    page = _case_page(client, world.sw_ben, action)
    assert "Check the report from school" in page and "Record done" in page
    assert reverse("assurance:audit", args=[audit.pk]) not in page
    done = client.post(reverse("assurance:action-done", args=[action.pk]), {"back": "case"})
    assert done.status_code == 302
    assert done["Location"] == reverse("casework:case-detail", args=[audit.case_id])
    action.refresh_from_db()
    assert action.completed_by == world.sw_ben and action.completed_on == timezone.localdate()
    page = _case_page(client, world.sw_ben, action)
    assert f"Done {timezone.localdate():%-d %b %Y} by Ben" in page
    assert "Record done" not in page
    # Done once: a second post is refused and changes nothing.
    assert client.post(reverse("assurance:action-done", args=[action.pk])).status_code == 403


def test_a_worker_who_does_not_own_it_cannot_record_it_done(client, world):
    action = action_of_sam(world)  # Amy's
    client.force_login(world.sw_ben)
    assert client.post(reverse("assurance:action-done", args=[action.pk])).status_code == 403
    action.refresh_from_db()
    assert action.completed_on is None


def test_people_who_may_not_read_the_file_see_no_action(client, world):
    action = action_of_sam(world)
    # The analyst sees dates and codes of the case, not what is written on it.
    page = _case_page(client, world.analyst_eve, action)
    assert "Update the chronology" not in page and "case-audit-actions" not in page
    # Another authority's worker cannot reach the action at all.
    client.force_login(world.other_sw)
    assert client.post(reverse("assurance:action-done", args=[action.pk])).status_code == 404
    action.refresh_from_db()
    assert action.completed_on is None


def test_a_case_without_audit_actions_shows_no_empty_section(client, world):
    audit = completed_audit_of_sam(world)
    client.force_login(world.sw_amy)
    page = client.get(reverse("casework:case-detail", args=[audit.case_id])).text
    assert "Actions from case-file audits" not in page


def test_the_home_page_counts_the_owners_open_and_overdue_actions(client, world):
    action = action_of_sam(world)
    AuditAction.objects.create(
        audit=action.audit, description="Late one", owner=world.sw_amy,
        due_date=timezone.localdate() - timedelta(days=1),
    )  # fmt: skip
    client.force_login(world.sw_amy)
    home = client.get(reverse("work:home")).text
    assert "Audits of my practice (2 actions open, 1 overdue)" in home
    services.complete_action(action=action, by=world.sw_amy)
    home = client.get(reverse("work:home")).text
    assert "Audits of my practice (1 action open, 1 overdue)" in home
    client.force_login(world.sw_ben)
    assert "Audits of my practice</a>" in client.get(reverse("work:home")).text
