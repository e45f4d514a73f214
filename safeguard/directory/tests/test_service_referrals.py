"""Referrals to services (issue 19 item 3): sending, every status change and its refusals,
the chronology entries, the pages, and the waiting times (item 4) in one query."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguard.audit.models import ChangeEvent
from safeguard.casework.models import ChronologyEntry
from safeguard.casework.selectors import step_page_url
from safeguard.core.concurrency import StaleRecord
from safeguard.core.errors import ApplicationError
from safeguard.directory import referral_services as services
from safeguard.directory.codes import ReferralOutcome, ReferralStatus
from safeguard.directory.models import ServiceReferral
from safeguard.directory.referral_selectors import service_waits
from safeguard.directory.tests.helpers import make_service

pytestmark = pytest.mark.django_db
TODAY = date.today()


@pytest.fixture
def service(world):
    return make_service(world)


def send(world, service, child=None, by=None):
    return services.service_referral_send(
        by=by or world.sw_amy,
        child=child or world.child_sam,
        service=service,
        reason="Mother asks for help with routines",
        consent=True,
    )


def back_date(referral, days):
    """A referral sent ``days`` ago (the service dates a new one today)."""
    ServiceReferral.objects.filter(pk=referral.pk).update(sent_on=TODAY - timedelta(days=days))
    referral.refresh_from_db()
    return referral


def test_send_records_the_referral_its_change_and_its_chronology_entry(world, service):
    referral = send(world, service)
    assert referral.status == ReferralStatus.SENT and referral.sent_on == TODAY
    assert ChangeEvent.objects.filter(target_id=str(referral.pk), verb="created").exists()
    entry = ChronologyEntry.objects.get(child=world.child_sam, source_id=str(referral.pk))
    assert entry.what == "Referred to Family Support Hub (Testshire Council)"
    assert step_page_url(entry) == reverse("service_referrals:detail", args=[referral.pk])


@pytest.mark.parametrize(
    "change, message",
    [
        ({"consent": False}, "Enter why the family's consent was not sought"),
        ({"reason": "  "}, "Enter the reason for the referral"),
    ],
)
def test_send_refuses_bad_input(world, service, change, message):
    values = {"reason": "Help", "consent": True} | change
    with pytest.raises(ApplicationError, match=message):
        services.service_referral_send(
            by=world.sw_amy, child=world.child_sam, service=service, **values
        )
    assert not ServiceReferral.objects.exists()


def test_a_lapsed_or_ended_service_is_refused(world):
    lapsed = make_service(world, "Old", last_checked=TODAY - timedelta(days=400))
    ended = make_service(world, "Gone", ended_on=TODAY)
    for service in (lapsed, ended):
        with pytest.raises(ApplicationError, match="out of date in the directory or has ended"):
            send(world, service)


def test_who_may_refer(world, service):
    # The analyst and the police never refer; a health visitor involved with Sally does
    # (through the early help policy earlyhelp registers), not for Sam.
    for user in (world.analyst_eve, world.police_pat):
        with pytest.raises(PermissionDenied):
            send(world, service, by=user)
    assert send(world, service, child=world.child_sally, by=world.health_hana).pk
    with pytest.raises(PermissionDenied):
        send(world, service, by=world.health_hana)


def test_accepted_started_ended_each_with_its_chronology_entry(world, service):
    referral = back_date(send(world, service), 20)
    services.service_referral_accept(
        by=world.sw_amy,
        referral=referral,
        decided_on=TODAY - timedelta(days=15),
        version=referral.version,
    )
    services.service_referral_start(
        by=world.sw_amy, referral=referral, started_on=TODAY - timedelta(days=10)
    )
    services.service_referral_end(
        by=world.sw_amy,
        referral=referral,
        ended_on=TODAY,
        outcome=ReferralOutcome.NEEDS_MET,
        notes="Going well",
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ENDED and referral.waiting_days == 10
    whats = list(
        ChronologyEntry.objects.filter(
            child=world.child_sam, source_type="directory.servicereferral"
        )
        .order_by("created_at")
        .values_list("what", flat=True)
    )
    assert whats == [
        "Referred to Family Support Hub (Testshire Council)",
        "Family Support Hub accepted the referral",
        "Started with Family Support Hub",
        "Ended with Family Support Hub: needs met",
    ]
    assert ChangeEvent.objects.filter(target_id=str(referral.pk)).count() == 4


def test_declined_needs_a_reason_and_cannot_start(world, service):
    referral = back_date(send(world, service), 5)
    with pytest.raises(ApplicationError, match="Enter why the service declined"):
        services.service_referral_decline(
            by=world.sw_amy, referral=referral, decided_on=TODAY, reason=""
        )
    services.service_referral_decline(
        by=world.sw_amy, referral=referral, decided_on=TODAY, reason="Full"
    )
    with pytest.raises(
        ApplicationError, match="Only an accepted referral can start: this one is declined"
    ):
        services.service_referral_start(by=world.sw_amy, referral=referral, started_on=TODAY)
    with pytest.raises(ApplicationError, match="can be withdrawn"):
        services.service_referral_withdraw(by=world.sw_amy, referral=referral, reason="No longer")


def test_dates_in_order_and_not_in_the_future(world, service):
    referral = back_date(send(world, service), 5)
    with pytest.raises(ApplicationError, match="cannot be before the referral was sent"):
        services.service_referral_accept(
            by=world.sw_amy, referral=referral, decided_on=TODAY - timedelta(days=6)
        )
    with pytest.raises(ApplicationError, match="cannot be in the future"):
        services.service_referral_accept(
            by=world.sw_amy, referral=referral, decided_on=TODAY + timedelta(days=1)
        )
    services.service_referral_accept(
        by=world.sw_amy, referral=referral, decided_on=TODAY - timedelta(days=2)
    )
    with pytest.raises(ApplicationError, match="cannot be before the referral was accepted"):
        services.service_referral_start(
            by=world.sw_amy, referral=referral, started_on=TODAY - timedelta(days=3)
        )
    with pytest.raises(ApplicationError, match="Only a referral that started can end"):
        services.service_referral_end(
            by=world.sw_amy, referral=referral, ended_on=TODAY, outcome="needs_met"
        )
    services.service_referral_start(
        by=world.sw_amy, referral=referral, started_on=TODAY - timedelta(days=1)
    )
    with pytest.raises(ApplicationError, match="cannot be before the referral was started"):
        services.service_referral_end(
            by=world.sw_amy,
            referral=referral,
            ended_on=TODAY - timedelta(days=2),
            outcome="needs_met",
        )
    with pytest.raises(ApplicationError, match="Only a referral not yet started"):
        services.service_referral_withdraw(by=world.sw_amy, referral=referral, reason="No longer")


def test_withdrawn_before_it_starts(world, service):
    referral = send(world, service)
    services.service_referral_withdraw(
        by=world.sw_amy, referral=referral, reason="The family moved"
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN
    assert ChronologyEntry.objects.filter(source_id=f"{referral.pk}:withdrawn").exists()


def test_a_stale_version_is_refused(world, service):
    referral = send(world, service)
    with pytest.raises(StaleRecord):
        services.service_referral_accept(
            by=world.sw_amy, referral=referral, decided_on=TODAY, version=referral.version - 1
        )


def test_the_pages(world, client, service):
    client.force_login(world.sw_amy)
    new = reverse("service_referrals:new", args=[world.child_sam.pk])
    page = client.get(new + f"?service={service.pk}")
    assert page.status_code == 200 and "How to refer: Use Safeguard" in page.content.decode()
    # Bad input: a clear message, nothing saved, the typing kept.
    bad = client.post(new, {"service": str(service.pk), "reason": "Typed reason", "consent": "no"})
    assert bad.status_code == 200
    assert "Enter why the family&#x27;s consent was not sought" in bad.content.decode()
    assert "Typed reason" in bad.content.decode()
    assert not ServiceReferral.objects.exists()
    sent = client.post(new, {"service": str(service.pk), "reason": "Routines", "consent": "yes"})
    referral = ServiceReferral.objects.get()
    detail = reverse("service_referrals:detail", args=[referral.pk])
    assert sent.status_code == 302 and sent["Location"] == detail
    # Declined without a reason: refused, kept.
    refused = client.post(
        detail,
        {"decide-version": referral.version, "decide-decision": "declined",
         "decide-decided_on_day": TODAY.day, "decide-decided_on_month": TODAY.month, "decide-decided_on_year": TODAY.year},
    )  # fmt: skip
    assert (
        refused.status_code == 200 and "Enter why the service declined" in refused.content.decode()
    )
    accepted = client.post(
        detail,
        {"decide-version": referral.version, "decide-decision": "accepted",
         "decide-decided_on_day": TODAY.day, "decide-decided_on_month": TODAY.month, "decide-decided_on_year": TODAY.year},
    )  # fmt: skip
    assert accepted.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    page = client.get(detail).content.decode()
    assert "Record that the child started" in page and "Record the service" not in page
    person = client.get(reverse("people:detail", args=[world.child_sam.pk])).content.decode()
    assert "Referrals to services" in person and detail in person
    # Analysts see counts and waits, never a child's referrals.
    client.force_login(world.analyst_eve)
    assert client.get(detail).status_code == 403
    analyst_person = client.get(
        reverse("people:detail", args=[world.child_sam.pk])
    ).content.decode()
    assert "Referrals to services" not in analyst_person
    assert client.get(reverse("service_referrals:waiting-times")).status_code == 200


def _make_waits(world, service, n):
    """``n`` referrals started after 1..n days, one declined, one waiting."""
    for days in range(1, n + 1):
        referral = back_date(send(world, service), days + 1)
        services.service_referral_accept(
            by=world.sw_amy, referral=referral, decided_on=referral.sent_on
        )
        services.service_referral_start(
            by=world.sw_amy, referral=referral, started_on=referral.sent_on + timedelta(days=days)
        )
    declined = back_date(send(world, service), 3)
    services.service_referral_decline(
        by=world.sw_amy, referral=declined, decided_on=TODAY, reason="Full"
    )
    send(world, service)
    old = back_date(send(world, service), 400)  # outside the 12 months
    assert old.sent_on < TODAY - timedelta(days=366)


def test_service_waits_counts_median_and_longest(world, service):
    quiet = make_service(world, "Quiet")
    _make_waits(world, service, 4)
    waits = service_waits([service.pk, quiet.pk], on=TODAY)
    assert quiet.pk not in waits
    w = waits[service.pk]
    assert (w.sent, w.accepted, w.declined) == (6, 4, 1)
    assert w.median_days == 2.5 and w.longest_days == 4


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_the_waiting_times_page_in_a_fixed_number_of_queries(world, client, service):
    client.force_login(world.tm_carol)
    url = reverse("service_referrals:waiting-times")
    _make_waits(world, service, 1)
    few = _queries(lambda: client.get(url))
    for i in range(5):
        _make_waits(world, make_service(world, f"Service {i}"), 3)
    page = client.get(url + "?sort=median_days&order=desc")
    assert page.status_code == 200 and "Service 4" in page.content.decode()
    assert _queries(lambda: client.get(url)) == few
    csv = client.get(url + "?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert "Family Support Hub,Testshire Council,3,1,1,1,1" in csv.content.decode()
