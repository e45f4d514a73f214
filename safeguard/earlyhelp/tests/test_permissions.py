"""The early help policy: social care sees its authority's early help (analysts read only);
partner practitioners of education, health and the voluntary sector see and record it for the
children they are involved with; the police, clinicians and administrators see none of it."""

from collections import Counter
from datetime import date

import pytest
from django.urls import reverse

from safeguard.audit.models import AccessEvent, ChangeEvent
from safeguard.audit.testing import clear_access_log
from safeguard.earlyhelp import permissions
from safeguard.earlyhelp.models import EarlyHelpAssessment, TAFReview, TeamAroundFamily
from safeguard.earlyhelp.permissions import Action
from safeguard.earlyhelp.tests.matrix import sally_assessment, tom_taf
from safeguard.testing.decisions import close_case

pytestmark = pytest.mark.django_db


def on(field: str, day: date) -> dict:
    return {f"{field}_day": str(day.day), f"{field}_month": str(day.month), f"{field}_year": str(day.year)}


def events() -> Counter:
    return Counter(AccessEvent.objects.values_list("person_id", flat=True))


def counts() -> tuple:
    return tuple(m.objects.count() for m in (EarlyHelpAssessment, TeamAroundFamily, TAFReview, ChangeEvent))


@pytest.mark.parametrize(
    ("who", "child", "view", "record"),
    [
        ("sw_amy", "child_tom", True, True),  # any child of the authority, not only her team's
        ("tm_carol", "child_sally", True, True),
        ("sm_dan", "child_sam", True, True),
        ("analyst_eve", "child_sally", True, False),
        ("health_hana", "child_sally", True, True),  # involved
        ("health_hana", "child_tom", False, False),  # not involved
        ("voluntary_val", "child_tom", True, True),
        ("school_sid", "child_tom", False, False),  # the involvement has ended
        ("police_pat", "child_sam", False, False),  # involved, but the police hold no early help
        ("clinician_cam", "child_sam", False, False),
        ("admin_al", "child_sam", False, False),
        ("disabled_dee", "child_sam", False, False),
        ("other_sw", "child_sam", False, False),
        ("sw_amy", "outsider", False, False),  # a child of another authority
    ],
)
def test_who_may_see_and_record_a_childs_early_help(world, who, child, view, record):
    user, person = getattr(world, who), getattr(world, child)
    assert permissions.can(user, Action.VIEW, person) is view
    assert permissions.can(user, Action.RECORD, person) is record


def test_lists_start_from_what_each_user_may_see(world):
    eha, taf = sally_assessment(world), tom_taf(world)
    for user in (world.sw_amy, world.analyst_eve):
        assert list(permissions.visible_to(user)) == [eha]
        assert list(permissions.visible_to(user, TeamAroundFamily)) == [taf]
    assert list(permissions.visible_to(world.health_hana)) == [eha]
    assert list(permissions.visible_to(world.health_hana, TeamAroundFamily)) == []
    assert list(permissions.visible_to(world.voluntary_val)) == []
    assert list(permissions.visible_to(world.voluntary_val, TeamAroundFamily)) == [taf]
    for user in (world.police_pat, world.school_sid, world.clinician_cam, world.admin_al, world.other_sw):
        assert not permissions.visible_to(user).exists()
        assert not permissions.visible_to(user, TeamAroundFamily).exists()


def test_a_partner_involved_with_the_child_may_record(world, client):
    """The family support worker, involved with Tom, starts and reviews his team."""
    client.force_login(world.voluntary_val)
    response = client.post(
        reverse("earlyhelp:taf-new", args=[world.child_tom.pk]),
        {**on("start_date", date(2025, 4, 7)), "lead_user": world.voluntary_val.pk, "plan": "Weekly sessions"},
    )
    taf = TeamAroundFamily.objects.get()
    assert response.status_code == 302
    response = client.post(reverse("earlyhelp:taf-review-new", args=[taf.pk]), {**on("review_date", date(2025, 5, 19)), "progress": "Better"})
    assert response.status_code == 302
    assert TAFReview.objects.get().created_by == world.voluntary_val


def test_a_partner_not_involved_is_not_told_the_record_exists(world, client):
    """The health visitor is not involved with Tom: his early help is not found, and as she
    never sees him, nothing is logged."""
    taf = tom_taf(world)
    client.force_login(world.health_hana)
    clear_access_log()
    for name, kwargs in (
        ("earlyhelp:taf-detail", {"taf_id": taf.pk}),
        ("earlyhelp:taf-review-new", {"taf_id": taf.pk}),
        ("earlyhelp:taf-end", {"taf_id": taf.pk}),
        ("earlyhelp:taf-new", {"person_id": world.child_tom.pk}),
        ("earlyhelp:eha-new", {"person_id": world.child_tom.pk}),
    ):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404
    before = counts()
    assert client.post(reverse("earlyhelp:taf-end", args=[taf.pk]), {**on("end_date", date(2025, 6, 30)), "end_reason": "needs_met"}).status_code == 404
    assert counts() == before
    assert events() == Counter()


def test_the_police_are_turned_away_before_the_child_is_read(world, client):
    """The police may see Sam Smith, but not early help: 404, and no access is logged."""
    client.force_login(world.police_pat)
    assert client.get(reverse("earlyhelp:eha-new", args=[world.child_sam.pk])).status_code == 404
    assert client.get(reverse("earlyhelp:taf-new", args=[world.child_sam.pk])).status_code == 404
    assert events() == Counter()


def test_an_analyst_reads_but_does_not_record(world, client):
    eha, taf = sally_assessment(world), tom_taf(world)
    client.force_login(world.analyst_eve)
    page = client.get(reverse("earlyhelp:eha-detail", args=[eha.pk]))
    assert page.status_code == 200
    assert "Complete the assessment" not in page.content.decode()
    page = client.get(reverse("earlyhelp:taf-detail", args=[taf.pk]))
    assert page.status_code == 200
    assert "Record a review" not in page.content.decode()
    before = counts()
    data = {**on("completed_date", date(2025, 3, 28)), "outcome": "nfa", "needs": "x"}
    assert client.post(reverse("earlyhelp:eha-complete", args=[eha.pk]), data).status_code == 403
    assert client.post(reverse("earlyhelp:taf-end", args=[taf.pk]), {**on("end_date", date(2025, 6, 30)), "end_reason": "needs_met"}).status_code == 403
    assert client.post(reverse("earlyhelp:eha-new", args=[world.child_tom.pk]), {}).status_code == 403
    assert counts() == before


def test_a_partner_sees_no_case_file_on_early_help_pages(world, client):
    """A step-down names the case: social care sees a link to it, the partner does not."""
    from safeguard.casework import services as casework
    from safeguard.earlyhelp import services

    case = casework.case_open(by=world.sw_amy, child=world.child_tom, referral_date=date(2024, 6, 3), referral_source="6")
    close_case(by=world.sw_amy, case=case, closure_date=date(2025, 3, 31), reason="RC7")
    taf = services.taf_start(by=world.sw_amy, child=world.child_tom, start_date=date(2025, 4, 7), lead_user=world.voluntary_val, stepped_down_from=case)
    case_url = reverse("casework:case-detail", args=[case.pk])
    client.force_login(world.sw_amy)
    assert case_url in client.get(reverse("earlyhelp:taf-detail", args=[taf.pk])).content.decode()
    client.force_login(world.voluntary_val)
    assert case_url not in client.get(reverse("earlyhelp:taf-detail", args=[taf.pk])).content.decode()


def test_lead_professionals_offered_are_those_who_may_record_for_the_child(world, client):
    client.force_login(world.health_hana)
    page = client.get(reverse("earlyhelp:eha-new", args=[world.child_sally.pk])).content.decode()
    assert "Hana Hussain, Testshire Health Trust" in page
    assert "Amy Adeyemi, Testshire Children&#x27;s Social Care (Social worker)" in page
    # The lead may come from any agency that leads early help, involved yet or not (decision 0081).
    assert "Val Vance, Testshire Family Action" in page and "Sid Singh, Testshire Schools" in page
    for name in ("Pat Patel", "Eve Evans", "Cam Cole", "Al Ashby", "Olly Owen"):
        assert name not in page
