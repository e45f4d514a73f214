"""Visits record the child's voice (issue 16 item 3, decision 0036): who was present, whether
announced, where the child was seen alone, observations, the child's views in their own words
and the worker's analysis; the case page shows them and when the views were last recorded."""

import html
from datetime import date

import pytest
from django.urls import reverse

from safeguard.casework import services
from safeguard.casework.models import DirectWork, Visit
from safeguard.core.errors import ApplicationError

pytestmark = pytest.mark.django_db

RECEIVED = date(2025, 1, 6)


def open_case(world, *, received):
    return services.case_open(
        by=world.sw_amy, child=world.child_sam, referral_date=received, referral_source="6"
    )


def _visit(world, case, day, **extra):
    return services.visit_record(
        by=world.sw_amy, case=case, kind="cin", visit_date=day, child_seen=True, **extra
    )


def test_a_visit_records_the_childs_voice_and_the_case_page_shows_it(world, client):
    case = open_case(world, received=RECEIVED)
    client.force_login(world.sw_amy)
    text = html.unescape(
        client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    )
    assert 'recorded <strong class="govuk-tag govuk-tag--orange">never</strong>' in text
    response = client.post(
        reverse("casework:visit-new", args=[case.pk]),
        {
            "kind": "cin",
            "visit_date_day": "8", "visit_date_month": "1", "visit_date_year": "2025",
            "worker": str(world.sw_amy.pk),
            "child_seen": "yes",
            "child_seen_alone": "on",
            "seen_alone_where": "His bedroom",
            "announced": "unannounced",
            "present": "Mary Smith (mother)",
            "observations": "The kitchen had food; Sam was clean",
            "child_views": "I like it when mum walks me to school",
            "analysis": "Home conditions have improved since the plan started",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    visit = Visit.objects.get()
    assert (visit.announced, visit.seen_alone_where, visit.present) == (
        "unannounced", "His bedroom", "Mary Smith (mother)",
    )  # fmt: skip
    text = html.unescape(
        client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    )
    for shown in (
        "last recorded on 8 January 2025",
        "alone (His bedroom)",
        "Unannounced",
        "Mary Smith (mother)",
        "The kitchen had food; Sam was clean",
        "“I like it when mum walks me to school”",
        "Home conditions have improved since the plan started",
    ):
        assert shown in text, shown
    # Analysts see that a visit took place, not what was written.
    client.force_login(world.analyst_eve)
    text = html.unescape(
        client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    )
    assert "Unannounced" in text and "walks me to school" not in text


def test_the_latest_visit_with_the_childs_views_is_the_one_shown(world, client):
    case = open_case(world, received=RECEIVED)
    _visit(world, case, date(2025, 1, 8), child_views="I want to stay with mum")
    _visit(world, case, date(2025, 2, 3), observations="Quiet visit")
    client.force_login(world.sw_amy)
    text = client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    assert "last recorded on 8 January 2025" in text


def test_views_and_where_alone_need_the_child_seen(world):
    case = open_case(world, received=RECEIVED)
    with pytest.raises(ApplicationError):
        services.visit_record(
            by=world.sw_amy, case=case, kind="cin", visit_date=date(2025, 1, 8),
            child_seen=False, child_views="Words",
        )  # fmt: skip
    with pytest.raises(ApplicationError):
        _visit(world, case, date(2025, 1, 8), seen_alone_where="Garden")
    assert not Visit.objects.exists()


def test_direct_work_is_a_record_of_its_own_and_counts_as_the_childs_views(world, client):
    case = open_case(world, received=RECEIVED)
    _visit(world, case, date(2025, 1, 8), child_views="Fine")
    client.force_login(world.sw_amy)
    url = reverse("casework:direct-work-new", args=[case.pk])
    day = {"work_date_day": "20", "work_date_month": "1", "work_date_year": "2025"}
    # Without the child's words: shown again with the message, nothing stored.
    response = client.post(
        url, {**day, "worker": world.sw_amy.pk, "where": "School", "purpose": "Three houses"}
    )
    assert response.status_code == 200
    assert "Write the child&#x27;s views in their own words" in response.content.decode()
    assert not DirectWork.objects.exists()
    response = client.post(
        url,
        {**day, "worker": world.sw_amy.pk, "where": "School, quiet room", "purpose": "Three houses tool",
         "child_views": "My worry house is when dad shouts", "analysis": "Sam is clear about the risk"},
    )  # fmt: skip
    assert response.status_code == 302
    text = html.unescape(
        client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    )
    for shown in ("last recorded on 20 January 2025", "School, quiet room", "Three houses tool",
                  "My worry house is when dad shouts", "Sam is clear about the risk"):  # fmt: skip
        assert shown in text, shown
