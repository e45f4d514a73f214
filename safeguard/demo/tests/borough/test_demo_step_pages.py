"""The demo's steps have something to show on their own pages (issue 16 item 5): a strategy
discussion's notes and who took part, a conference's outline plan, attendance and core group,
and a decided contact's reason and rationale, each reached from the case page, the person
page or the chronology."""

import html

import pytest
from django.urls import reverse

from safeguard.accounts.models import User
from safeguard.accounts.roles import Role
from safeguard.people.models import Seal
from safeguard.protection.models import ChildProtectionConference, StrategyDiscussion
from safeguard.referrals.models import Contact


def _text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


pytestmark = pytest.mark.xdist_group("borough")


@pytest.mark.django_db
def test_the_demos_step_pages_show_what_was_written(borough, client):
    sealed = Seal.objects.values("person_id")
    manager = User.objects.filter(role=Role.SERVICE_MANAGER, is_active=True).first()
    client.force_login(manager)

    discussion = (
        StrategyDiscussion.objects.exclude(notes="").exclude(case__child__in=sealed).first()
    )
    text = _text(client.get(reverse("protection:strategy-detail", args=[discussion.pk])))
    assert discussion.notes.splitlines()[0] in text
    assert all(a["name"] in text and a["role"] in text for a in discussion.attendees)
    case_page = client.get(reverse("casework:case-detail", args=[discussion.case_id]))
    assert reverse("protection:strategy-detail", args=[discussion.pk]) in _text(case_page)

    conference = (
        ChildProtectionConference.objects.exclude(outline_plan="")
        .exclude(case__child__in=sealed)
        .first()
    )
    text = _text(client.get(reverse("protection:conference-detail", args=[conference.pk])))
    assert conference.outline_plan.splitlines()[0] in text
    assert all(m["name"] in text for m in conference.core_group_members)
    assert all(agency in text for agency in conference.attendance)
    section47 = reverse("protection:section47-detail", args=[conference.section47_id])
    assert section47 in text
    assert _text(client.get(section47))

    contact = (
        Contact.objects.exclude(rationale="")
        .exclude(child__in=sealed)
        .filter(authority=manager.authority_id)
        .first()
    )
    text = _text(client.get(reverse("referrals:contact-detail", args=[contact.pk])))
    assert contact.reason.splitlines()[0] in text and contact.rationale.splitlines()[0] in text
    url = reverse("referrals:contact-detail", args=[contact.pk])
    assert url in _text(client.get(reverse("people:detail", args=[contact.child_id])))
    assert url in _text(client.get(reverse("casework:chronology", args=[contact.child_id])))
