"""Partner referrals to the front door (issue 17 item 3, decision 0050): a partner sends one,
it arrives time-stamped at the front door, the front door records it as a contact about the
right child, and the referrer is told the outcome and sees nothing more of the record."""

import tomllib
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AccessEvent
from safeguard.notices.models import Notice
from safeguard.partners.forms import NEW_CHILD
from safeguard.partners.models import PartnerReferral
from safeguard.partners.tests.referrals import make_referral
from safeguard.people.models import Person
from safeguard.referrals.models import Contact
from safeguard.referrals.services import DEFAULT_THRESHOLDS, contact_decide, thresholds_load

pytestmark = pytest.mark.django_db

FORM = {
    "given_names": "Ruby",
    "family_name": "Quill",
    "nhs_number": "",
    "address": "4 Mill Lane",
    "postcode": "te1 1st",
    "worries": "Ruby said her stepfather hit her with a belt; a mark on her leg",
    "consent": "not_sought",
    "consent_note": "Asking would warn the stepfather",
    "urgency": "immediate",
    "referrer_role": "Designated safeguarding lead",
    "referrer_phone": "01632 960 222",
}


def test_a_partner_sends_a_referral_and_the_front_door_sees_it_time_stamped(world, client):
    client.force_login(world.school_sid)
    before = timezone.now()
    response = client.post(reverse("partners:refer"), FORM)
    referral = PartnerReferral.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("partners:referral", args=[referral.pk])
    assert before <= referral.received_at <= timezone.now()
    assert (referral.referrer, referral.agency, referral.postcode) == (
        world.school_sid,
        world.school_sid.agency,
        "TE1 1ST",
    )
    # The front door sees it waiting, with the time it was sent.
    client.force_login(world.sw_amy)
    page = client.get(reverse("referrals:front-door")).content.decode()
    assert "Ruby Quill" in page and reverse("partners:referral-record", args=[referral.pk]) in page
    assert timezone.localtime(referral.received_at).strftime("%H:%M") in page
    # Another partner does not find it; the sender sees it in their list.
    client.force_login(world.police_pat)
    assert client.get(reverse("partners:referral", args=[referral.pk])).status_code == 404
    assert "Ruby Quill" not in client.get(reverse("partners:referrals")).content.decode()
    client.force_login(world.school_sid)
    assert "Ruby Quill" in client.get(reverse("partners:referrals")).content.decode()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"worries": "  "}, "Enter what you are worried about"),
        ({"consent_note": ""}, "Say why consent was not asked for"),
        ({"nhs_number": "9434765918"}, "NHS number"),
        ({"urgency": "whenever"}, "Select a valid choice"),
        ({"referrer_phone": ""}, "Enter a telephone number"),
    ],
)
def test_a_bad_referral_is_refused_with_its_reason_and_nothing_is_sent(
    world, client, change, message
):
    client.force_login(world.school_sid)
    response = client.post(reverse("partners:refer"), FORM | change)
    assert response.status_code == 200  # the form again, with its errors
    assert message in response.content.decode()
    assert not PartnerReferral.objects.exists()
    # What was typed is kept on the page.
    assert "Designated safeguarding lead" in response.content.decode()


def test_consent_given_needs_no_note(world):
    referral = make_referral(world, consent="given", consent_note="")
    assert referral.consent == "given"


def _record(client, referral, **data):
    values = {"child": NEW_CHILD, "source": "6", "priority": "red",
              "priority_reason": "A child hurt at home tonight"} | data  # fmt: skip
    return client.post(reverse("partners:referral-record", args=[referral.pk]), values)


def test_the_front_door_records_it_about_the_child_found_and_keeps_the_time_sent(world, client):
    Person.objects.filter(pk=world.child_sam.pk).update(nhs_number="9434765919")
    referral = make_referral(world, nhs_number="9434765919")
    PartnerReferral.objects.filter(pk=referral.pk).update(
        received_at=timezone.now() - timedelta(hours=3)
    )
    referral.refresh_from_db()
    client.force_login(world.sw_amy)
    page = client.get(reverse("partners:referral-record", args=[referral.pk]))
    assert page.status_code == 200
    form = page.context["form"]
    assert form["child"].initial == str(world.child_sam.pk)  # the one match, chosen
    assert (form["source"].initial, form["priority"].initial) == ("6", "red")
    assert AccessEvent.objects.filter(
        person_id=world.child_sam.pk, user=world.sw_amy, purpose="search"
    ).exists()
    response = _record(client, referral, child=str(world.child_sam.pk))
    contact = Contact.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("referrals:contact-decide", args=[contact.pk])
    assert contact.child == world.child_sam and contact.received_at == referral.received_at
    assert (contact.source, contact.priority) == ("6", "red")
    assert "Sam came to the station" in contact.reason and "Police constable" in contact.reason
    referral.refresh_from_db()
    assert referral.contact == contact
    # Recorded once: a second go is sent on to the decision.
    again = _record(client, referral, child=str(world.child_sam.pk))
    assert again.status_code == 302 and Contact.objects.count() == 1


def test_a_referral_about_a_child_not_on_record_makes_a_new_record(world, client):
    referral = make_referral(world, given_names="Nova", family_name="Quill", date_of_birth=None)
    client.force_login(world.sw_amy)
    # The referral gives no date of birth: a new record needs one.
    refused = _record(client, referral)
    assert "Enter the child&#x27;s date of birth for a new record" in refused.content.decode()
    assert not Person.objects.filter(family_name="Quill").exists()
    response = _record(client, referral, date_of_birth_day="2", date_of_birth_month="5",
                       date_of_birth_year="2019")  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    child = Person.objects.get(given_names="Nova", family_name="Quill")
    assert str(child.date_of_birth) == "2019-05-02"
    assert Contact.objects.get().child == child


def test_the_referrer_is_told_the_outcome_once_and_sees_nothing_else(world, client):
    with DEFAULT_THRESHOLDS.open("rb") as handle:
        levels = {
            lv.number: lv
            for lv in thresholds_load(by=None, authority=world.authority, data=tomllib.load(handle))
        }
    referral = make_referral(world)
    client.force_login(world.sw_amy)
    _record(client, referral, child=str(world.child_sam.pk))
    contact = Contact.objects.get()
    assert not Notice.objects.filter(user=world.police_pat).exists()
    contact_decide(
        by=world.sw_amy, contact=contact, level=levels[3],
        indicators=[levels[3].indicators.first()], rationale="Injury at home",
        outcome="referral", decision_date=timezone.localdate(),
    )  # fmt: skip
    notice = Notice.objects.get(user=world.police_pat)
    assert "Referral to children's social care" in notice.body
    assert notice.url == reverse("partners:referral", args=[referral.pk])
    referral.refresh_from_db()
    assert referral.outcome_told_at is not None
    client.force_login(world.police_pat)
    page = client.get(reverse("partners:referral", args=[referral.pk])).content.decode()
    assert "Referral to children&#x27;s social care" in page and "Decided" in page
    assert "Injury at home" not in page  # the front door's rationale is not the partner's
    listed = client.get(reverse("partners:referrals")).content.decode()
    assert "Referral to children&#x27;s social care" in listed
    # The outcome is of a child on record: reading it is logged against the child.
    assert AccessEvent.objects.filter(person_id=world.child_sam.pk, user=world.police_pat).exists()
    # And the record itself stays closed to the referrer.
    assert client.get(reverse("referrals:contact-decide", args=[contact.pk])).status_code in (
        403,
        404,
    )


def test_the_lists_make_the_same_number_of_queries_whatever_their_length(world, client):
    def measure(user, url):
        client.force_login(user)
        client.get(url)  # the first request may renew the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    make_referral(world)
    few = (measure(world.police_pat, reverse("partners:referrals")),
           measure(world.sw_amy, reverse("referrals:front-door")))  # fmt: skip
    for i in range(8):
        make_referral(world, given_names=f"Child{i}")
    many = (measure(world.police_pat, reverse("partners:referrals")),
            measure(world.sw_amy, reverse("referrals:front-door")))  # fmt: skip
    assert few == many
