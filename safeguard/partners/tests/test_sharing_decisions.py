"""Information-sharing decisions (issue 17 item 6, decision 0070): every decision to share or
not to share is recorded and listed on the child's record, with what, with whom, why, the
lawful basis, consent (or why it was not sought) and who decided; social care who work with the
child record and read them all, a partner agency involved with the child its own only."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AccessEvent, ChangeEvent
from safeguard.casework import services as casework
from safeguard.casework.models import ChronologyEntry
from safeguard.core.errors import ApplicationError
from safeguard.partners.models import (
    Article6Basis,
    Article9Condition,
    InformationSharingDecision,
    SharingConsent,
    SharingDecision,
    StatutoryGateway,
)
from safeguard.partners.tests.sharing import make_sharing_decision

pytestmark = pytest.mark.django_db


def _url(world, child=None):
    return reverse("partners:sharing-decisions", args=[(child or world.child_sam).pk])


def _posted(world, *, decided_by, **fields):
    day = timezone.localdate() - timedelta(days=2)
    return {
        "decision": SharingDecision.NOT_SHARED,
        "information": "The mother's mental health history",
        "recipient_agency": "",
        "recipient_name": "A housing officer of Riverside Homes (a housing association)",
        "reason": "Not necessary for the rehousing decision; the mother did not agree",
        "article_6_basis": "",
        "article_9_condition": "",
        "statutory_gateway": "",
        "consent": SharingConsent.REFUSED,
        "consent_not_sought_reason": "",
        "decided_by": str(decided_by.pk),
        "decided_on_day": day.day, "decided_on_month": day.month, "decided_on_year": day.year,
    } | fields  # fmt: skip


def test_a_social_worker_records_a_decision_not_to_share_from_the_case(world, client):
    case = casework.case_open(
        by=world.sw_amy, child=world.child_sam, referral_date=timezone.localdate(),
        referral_source="6",
    )  # fmt: skip
    client.force_login(world.sw_amy)
    page = client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    url = f"{_url(world)}?case={case.pk}"
    assert url in page
    response = client.post(url, _posted(world, decided_by=world.tm_carol))
    assert response.status_code == 302, response.content.decode()
    made = InformationSharingDecision.objects.get()
    assert (made.child, made.case, made.agency, made.decision, made.decided_by, made.recorded_by) == (
        world.child_sam, case, world.csc, SharingDecision.NOT_SHARED, world.tm_carol, world.sw_amy,
    )  # fmt: skip
    assert made.recipient == "A housing officer of Riverside Homes (a housing association)"
    assert ChangeEvent.objects.filter(target_id=str(made.pk), verb="created").exists()
    entry = ChronologyEntry.objects.get(source_type="partners.informationsharingdecision")
    assert (entry.child, entry.case, entry.source_agency) == (world.child_sam, case, world.csc.name)
    assert entry.what == (
        f"{world.csc.name} decided not to share information with A housing officer of "
        "Riverside Homes (a housing association)"
    )
    # Listed on the child's page with every field, the read logged.
    before = AccessEvent.objects.filter(person_id=world.child_sam.pk).count()
    shown = client.get(response["Location"]).content.decode()
    assert AccessEvent.objects.filter(person_id=world.child_sam.pk).count() == before + 1
    for text in (
        "Not shared", "The mother&#x27;s mental health history", "Riverside Homes",
        "Not necessary for the rehousing decision", "Yes: sought, and they refused",
        "Carol", "No Article 6 basis",
    ):  # fmt: skip
        assert text in shown, text


def test_a_decision_to_share_with_the_police_shows_its_lawful_basis(world, client):
    made = make_sharing_decision(
        world, article_9_condition=Article9Condition.SAFEGUARDING, decided_by=world.tm_carol
    )
    entry = ChronologyEntry.objects.get(source_id=str(made.pk))
    assert entry.what == f"{world.csc.name} shared information with Testshire Police"
    assert entry.outcome == (
        f"Lawful basis: {Article6Basis.PUBLIC_TASK.label}; {StatutoryGateway.CA1989_S47.label}"
    )
    client.force_login(world.sw_amy)
    page = client.get(_url(world)).content.decode()
    for label in (
        Article6Basis.PUBLIC_TASK.label, StatutoryGateway.CA1989_S47.label,
        "Asking would alert the adult suspected of harming Sam",
    ):  # fmt: skip
        assert label.replace("'", "&#x27;") in page, label
    assert "Article 9(2)(g) substantial public interest: safeguarding" in page


def test_consent_not_sought_needs_its_reason_with_a_clear_message(world, client):
    client.force_login(world.sw_amy)
    response = client.post(
        _url(world),
        _posted(world, decided_by=world.sw_amy, consent=SharingConsent.NOT_SOUGHT),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Say why consent was not sought" in page
    assert not InformationSharingDecision.objects.exists()
    assert not ChronologyEntry.objects.filter(
        source_type="partners.informationsharingdecision"
    ).exists()


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"decision": "shared"}, "article_6_basis", "Choose the lawful basis"),
        ({"recipient_name": ""}, "recipient_agency", "Choose the agency the information"),
        ({"recipient_agency": "police"}, "recipient_name", "Choose an agency or name the"),
        ({"recipient_agency": "csc", "recipient_name": ""}, "recipient_agency", "Sharing within"),
        ({"information": "  "}, "information", "Enter what information"),
        ({"reason": ""}, "reason", "Enter why you decided this"),
        ({"decided_by": "police_pat"}, "decided_by", "Choose who decided"),
        ({"decided_on": "future"}, "decided_on", "cannot be in the future"),
        ({"consent_not_sought_reason": "Not asked"}, "consent_not_sought_reason", "leave the"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(world, change, field, message):
    values = {
        "decision": SharingDecision.NOT_SHARED,
        "recipient_agency": None,
        "recipient_name": "A named recipient",
        "consent": SharingConsent.AGREED,
        "consent_not_sought_reason": "",
        "article_6_basis": "",
        "statutory_gateway": "",
    }
    for key, value in change.items():
        if key in ("recipient_agency", "decided_by"):
            value = getattr(world, value)
        elif key == "decided_on":
            value = timezone.localdate() + timedelta(days=1)
        values[key] = value
    with pytest.raises(ApplicationError) as raised:
        make_sharing_decision(world, **values)
    assert raised.value.field == field
    assert message in raised.value.message
    assert not InformationSharingDecision.objects.exists()


def test_the_police_record_and_see_their_own_agencys_decisions_only(world, client):
    theirs = make_sharing_decision(
        world, by=world.police_pat, information="Police intelligence on the household"
    )
    assert (theirs.agency, theirs.recipient_agency) == (world.police, world.csc)
    make_sharing_decision(world, information="Social care's own decision")
    client.force_login(world.police_pat)
    page = client.get(_url(world)).content.decode()
    assert "Police intelligence on the household" in page
    assert "Social care&#x27;s own decision" not in page
    assert "1 decision recorded" in page
    # Who decided is one of the police's own staff: a social worker is not offered.
    assert world.sw_amy.get_full_name() not in page
    response = client.post(
        _url(world), _posted(world, decided_by=world.police_pat, recipient_name="A GP practice")
    )
    assert response.status_code == 302
    assert InformationSharingDecision.objects.filter(agency=world.police).count() == 2
    # Social care see every decision about the child.
    client.force_login(world.sw_amy)
    page = client.get(_url(world)).content.decode()
    assert "Police intelligence on the household" in page
    assert "Social care&#x27;s own decision" in page


@pytest.mark.parametrize(
    "who", ["health_hana", "analyst_eve", "chair_iris", "admin_al", "clinician_cam", "other_sw"]
)
def test_nobody_else_records(world, who):
    with pytest.raises(PermissionDenied):
        make_sharing_decision(world, by=getattr(world, who), decided_by=getattr(world, who))
    assert not InformationSharingDecision.objects.exists()


def test_a_partner_not_involved_with_the_child_cannot_read_or_post(world, client):
    make_sharing_decision(world)
    client.force_login(world.health_hana)
    assert client.get(_url(world)).status_code == 404
    assert client.post(_url(world), _posted(world, decided_by=world.health_hana)).status_code == 404
    assert InformationSharingDecision.objects.count() == 1


def test_the_person_page_links_to_the_decisions(world, client):
    for user in (world.sw_amy, world.police_pat):
        client.force_login(user)
        page = client.get(reverse("people:detail", args=[world.child_sam.pk])).content.decode()
        assert _url(world) in page, user
