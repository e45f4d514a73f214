"""Independent conference chairs (issue 15 item 3; decision 0030): a conference names its
chair, one of the authority's conference chairs outside the case's line management, who may
record it themselves."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguard.accounts.models import Team, User
from safeguard.accounts.roles import Role
from safeguard.casework.models import Allocation
from safeguard.core.errors import ApplicationError
from safeguard.protection import services
from safeguard.protection.models import ChildProtectionConference
from safeguard.protection.tests.steps import (
    CORE_GROUP,
    ICPC,
    REFERRED,
    enquiry_of_sam,
    plan_of_sam,
)


def _date(name, day):
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def _icpc_form(chair_pk) -> dict:
    return {
        **_date("conference_date", ICPC),
        "chair": str(chair_pk),
        "attendance": ["Children's social care", "Police", "Health"],
        "decision": "no_plan",
    }


def _icpc(world, enquiry, chair, by=None):
    return services.icpc_record(
        by=by or world.sw_amy,
        chair=chair,
        section47=enquiry,
        conference_date=ICPC,
        attendance={"Children's social care": True, "Police": True, "Health": True},
        decision="plan",
        category="NEG",
        outline_plan="Plan",
        core_group_members=CORE_GROUP,
    )


def test_the_conference_is_chaired_by_the_chair_named_not_by_who_typed_it(world, client):
    enquiry = enquiry_of_sam(world)
    client.force_login(world.sw_amy)
    response = client.post(
        reverse("protection:icpc-new", args=[enquiry.pk]), _icpc_form(world.chair_iris.pk)
    )
    assert response.status_code == 302
    conference = ChildProtectionConference.objects.get()
    assert conference.chaired_by == world.chair_iris
    assert conference.created_by == world.sw_amy


def test_the_chair_field_lists_only_the_authoritys_conference_chairs(world, client):
    enquiry = enquiry_of_sam(world)
    client.force_login(world.sw_amy)
    text = html.unescape(
        client.get(reverse("protection:icpc-new", args=[enquiry.pk])).content.decode()
    )
    assert f'value="{world.chair_iris.pk}"' in text
    assert f'value="{world.sw_amy.pk}"' not in text
    assert f'value="{world.tm_carol.pk}"' not in text


def test_a_chair_records_the_conference_they_chaired(world, client):
    plan = plan_of_sam(world)
    client.force_login(world.chair_iris)
    url = reverse("protection:review-new", args=[plan.pk])
    # The chair recording it is, to begin with, the chair named.
    assert client.get(url).context["form"]["chair"].value() == world.chair_iris.pk
    data = {
        **_date("conference_date", ICPC.replace(month=4, day=22)),
        "chair": str(world.chair_iris.pk),
        "attendance": ["Children's social care", "Police"],
        "decision": "continue",
        "category": "NEG",
        "version": str(plan.version),
    }
    response = client.post(url, data)
    assert response.status_code == 302, html.unescape(response.content.decode())
    review = ChildProtectionConference.objects.get(kind="review")
    assert review.chaired_by == world.chair_iris == review.created_by


def test_a_chair_may_not_record_other_steps_on_the_case(world, client):
    enquiry = enquiry_of_sam(world)
    client.force_login(world.chair_iris)
    url = reverse("protection:s47-conclude", args=[enquiry.pk])
    assert client.get(url).status_code == 403


def test_someone_who_is_not_a_conference_chair_cannot_be_named(world):
    enquiry = enquiry_of_sam(world)
    with pytest.raises(ApplicationError, match="Choose the chair from the authority's"):
        _icpc(world, enquiry, world.tm_carol)
    with pytest.raises(ApplicationError, match="Choose the chair of the conference"):
        _icpc(world, enquiry, None)
    assert not ChildProtectionConference.objects.exists()


def test_a_disabled_chair_cannot_be_named(world):
    enquiry = enquiry_of_sam(world)
    world.chair_iris.is_active = False
    world.chair_iris.save()
    with pytest.raises(ApplicationError, match="Choose the chair from the authority's"):
        _icpc(world, enquiry, world.chair_iris)


def test_the_cases_line_manager_cannot_chair(world, client):
    enquiry = enquiry_of_sam(world)
    Allocation.objects.create(
        case=enquiry.case, worker=world.sw_amy, team=world.team_a, start_date=REFERRED
    )
    Team.objects.filter(pk=world.team_a.pk).update(manager=world.chair_iris)
    with pytest.raises(ApplicationError, match="manages the case"):
        _icpc(world, enquiry, world.chair_iris)
    client.force_login(world.sw_amy)
    response = client.post(
        reverse("protection:icpc-new", args=[enquiry.pk]), _icpc_form(world.chair_iris.pk)
    )
    assert response.status_code == 200
    assert "outside the case's line management" in html.unescape(response.content.decode())
    assert not ChildProtectionConference.objects.exists()


def test_the_allocated_worker_cannot_chair(world):
    enquiry = enquiry_of_sam(world)
    Allocation.objects.create(
        case=enquiry.case, worker=world.chair_iris, team=world.team_a, start_date=REFERRED
    )
    with pytest.raises(ApplicationError, match="allocated worker"):
        _icpc(world, enquiry, world.chair_iris)
    assert not ChildProtectionConference.objects.exists()


def test_a_chair_sees_only_the_conference_links_on_the_case_page(world, client):
    plan = plan_of_sam(world)
    client.force_login(world.chair_iris)
    page = client.get(reverse("casework:case-detail", args=[plan.case.pk])).content.decode()
    assert reverse("protection:review-new", args=[plan.pk]) in page
    assert reverse("protection:core-group-new", args=[plan.pk]) not in page
    assert reverse("protection:plan-end", args=[plan.pk]) not in page
    assert reverse("protection:strategy-new", args=[plan.case.pk]) not in page


def test_the_conference_form_makes_a_fixed_number_of_queries(world, client):
    enquiry = enquiry_of_sam(world)
    client.force_login(world.sw_amy)
    url = reverse("protection:icpc-new", args=[enquiry.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        User.objects.create(
            username=f"chair{n}", agency=world.csc, role=Role.CONFERENCE_CHAIR, last_name=f"C{n}"
        )
    with CaptureQueriesContext(connection) as many:
        text = client.get(url).content.decode()
    assert "C4" in text
    assert len(many.captured_queries) == len(few.captured_queries)


# --- Quorum -----------------------------------------------------------------------------------


def _plan_icpc(world, enquiry, attendance):
    return services.icpc_record(
        by=world.sw_amy,
        chair=world.chair_iris,
        section47=enquiry,
        conference_date=ICPC,
        attendance=attendance,
        decision="plan",
        category="NEG",
        outline_plan="Plan",
        core_group_members=CORE_GROUP,
    )


@pytest.mark.parametrize(
    ("attendance", "missing"),
    [
        ({"Police": True, "Health": True}, "Missing: Children's social care"),
        ({"Children's social care": True, "Health": True, "Police": False}, "Missing: Police"),
        ({"Children's social care": True, "Police": True}, "Missing: one other agency"),
        # The family attends, but is not an agency.
        ({"Children's social care": True, "Police": True, "Family": True}, "one other agency"),
        ({"Family": True}, "Missing: Children's social care, Police and one other agency"),
    ],
)
def test_a_conference_starting_a_plan_needs_a_quorum(world, attendance, missing):
    enquiry = enquiry_of_sam(world)
    with pytest.raises(ApplicationError, match=missing):
        _plan_icpc(world, enquiry, attendance)
    assert not ChildProtectionConference.objects.exists()


def test_a_conference_deciding_no_plan_needs_no_quorum(world):
    enquiry = enquiry_of_sam(world)
    conference = services.icpc_record(
        by=world.sw_amy,
        chair=world.chair_iris,
        section47=enquiry,
        conference_date=ICPC,
        attendance={"Children's social care": True},
        decision="no_plan",
    )
    assert conference.decision == "no_plan"


def test_the_quorum_is_the_authoritys_to_set(world):
    authority = world.authority
    authority.conference_quorum_kinds = ["csc", "police", "health"]
    authority.conference_quorum_others = 0
    authority.save()
    enquiry = enquiry_of_sam(world)
    with pytest.raises(ApplicationError, match="Missing: Health$"):
        _plan_icpc(world, enquiry, {"Children's social care": True, "Police": True})
    quorate = {"Children's social care": True, "Police": True, "Health": True}
    assert _plan_icpc(world, enquiry, quorate).plan is not None


def test_a_review_ending_the_plan_needs_a_quorum_and_the_form_says_what_is_missing(world, client):
    plan = plan_of_sam(world)
    client.force_login(world.sw_amy)
    data = {
        **_date("conference_date", ICPC.replace(month=4, day=22)),
        "chair": str(world.chair_iris.pk),
        "attendance": ["Children's social care", "Health"],
        "decision": "end",
        "end_reason": "risk_reduced",
        "category": "NEG",
        "version": str(plan.version),
    }
    response = client.post(reverse("protection:review-new", args=[plan.pk]), data)
    assert response.status_code == 200
    assert "needs a quorum" in html.unescape(response.content.decode())
    assert "Missing: Police" in html.unescape(response.content.decode())
    plan.refresh_from_db()
    assert plan.end_date is None
    assert not ChildProtectionConference.objects.filter(kind="review").exists()
    # A review where the plan continues needs no quorum.
    response = client.post(
        reverse("protection:review-new", args=[plan.pk]),
        {**data, "decision": "continue", "end_reason": ""},
    )
    assert response.status_code == 302


def test_the_quorum_setting_refuses_an_unknown_agency_kind(world):
    from django.core.exceptions import ValidationError

    world.authority.conference_quorum_kinds = ["csc", "aliens"]
    with pytest.raises(ValidationError, match="List agency kinds"):
        world.authority.full_clean()
