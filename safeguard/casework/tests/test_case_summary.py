"""The case summary (issue 16 item 4, decision 0048): at the top of every case, each save a
new version, its history kept and shown; the child's status on the case and person pages."""

from datetime import date

import pytest
from django.urls import reverse

from safeguard.audit.models import ChangeEvent
from safeguard.casework import services
from safeguard.casework.models import CaseSummary
from safeguard.casework.tests.matrix import sam_case
from safeguard.core.errors import ApplicationError

pytestmark = pytest.mark.django_db

FIRST = {
    "worries": "Mum's partner has hit her in front of the children",
    "working_well": "Grandma collects Sam from school every day",
    "next_steps": "Partner to leave the home; safety plan with Mum by Friday",
    "risk_statement": "Sam may be hurt if violence happens again while he is at home",
}


def summary_url(case) -> str:
    return reverse("casework:summary-edit", kwargs={"case_id": case.pk})


def test_each_save_is_a_new_version_and_the_history_shows_who_changed_what(world, client):
    case = sam_case(world)
    client.force_login(world.sw_amy)
    response = client.post(summary_url(case), FIRST)
    assert response.status_code == 302
    client.force_login(world.tm_carol)
    second = FIRST | {"next_steps": "Partner has left; Mum to apply for a non-molestation order"}
    response = client.post(summary_url(case), second | {"based_on": "1"})
    assert response.status_code == 302

    versions = list(CaseSummary.objects.filter(case=case).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].next_steps == FIRST["next_steps"]  # the first version is kept as it was
    assert [v.created_by for v in versions] == [world.sw_amy, world.tm_carol]
    assert ChangeEvent.objects.filter(target_type="casework.casesummary").count() == 2

    history = client.get(reverse("casework:summary-history", kwargs={"case_id": case.pk}))
    page = history.content.decode()
    assert "Version 2 (current)" in page and "Version 1" in page
    assert "Changed: what needs to happen" in page
    assert "Carol" in page and "Amy" in page
    assert FIRST["next_steps"] in page and "non-molestation order" in page

    detail = client.get(reverse("casework:case-detail", kwargs={"case_id": case.pk})).content.decode()
    summary = detail.split('id="case-summary"', 1)[1].split("</div>\n\n", 1)[0]
    assert "non-molestation order" in summary and "Version 2" in summary
    assert FIRST["next_steps"] not in summary


def test_a_save_over_a_newer_version_is_refused(world, client):
    case = sam_case(world)
    services.case_summary_save(by=world.sw_amy, case=case, **FIRST)
    services.case_summary_save(
        by=world.tm_carol, case=case, based_on=1, **(FIRST | {"worries": "New worry"})
    )
    client.force_login(world.sw_amy)
    response = client.post(summary_url(case), FIRST | {"worries": "Old view", "based_on": "1"})
    assert response.status_code == 200
    assert "Someone else saved a new version" in response.content.decode()
    assert CaseSummary.objects.filter(case=case).count() == 2


def test_bad_summaries_are_refused_and_nothing_is_stored(world):
    case = sam_case(world)
    with pytest.raises(ApplicationError, match="risk statement"):
        services.case_summary_save(by=world.sw_amy, case=case, **(FIRST | {"risk_statement": " "}))
    services.case_summary_save(by=world.sw_amy, case=case, **FIRST)
    with pytest.raises(ApplicationError, match="Nothing has changed"):
        services.case_summary_save(by=world.sw_amy, case=case, based_on=1, **FIRST)
    assert CaseSummary.objects.filter(case=case).count() == 1


def test_analysts_see_the_plan_status_but_not_the_summary(world, client):
    case = sam_case(world)
    services.case_summary_save(by=world.sw_amy, case=case, **FIRST)
    client.force_login(world.analyst_eve)
    page = client.get(reverse("casework:case-detail", kwargs={"case_id": case.pk})).content.decode()
    assert "Child in need" in page
    assert FIRST["worries"] not in page


def test_status_on_the_child_page_follows_the_plans(world, client):
    case = sam_case(world)
    client.force_login(world.sw_amy)
    person_url = reverse("people:detail", kwargs={"person_id": world.child_sam.pk})

    def status():
        page = client.get(person_url).content.decode()
        return page.split('id="child-status"', 1)[1].split("</p>", 1)[0] if "child-status" in page else ""

    assert "Child in need" in status()
    services.cin_plan_start(by=world.sw_amy, case=case, start_date=date(2025, 2, 3))
    assert "On a child in need plan" in status()

    # A partner involved with Sam sees his identity, not his status.
    client.force_login(world.police_pat)
    page = client.get(person_url).content.decode()
    assert 'id="child-status"' not in page and "child in need plan" not in page
