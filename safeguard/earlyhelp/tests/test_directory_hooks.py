"""What early help tells the directory (issue 19): the latest assessment's needs are matched
against services, and its page shows the suggestions."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguard.audit.services import save_new
from safeguard.directory.codes import Need
from safeguard.directory.matching import suggest
from safeguard.directory.tests.helpers import make_service
from safeguard.earlyhelp.models import EarlyHelpAssessment

pytestmark = pytest.mark.django_db
ON = date.today()


def names(found):
    return [s.service.name for s in found]


def _count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_needs_from_the_early_help_assessment(world):
    eha = EarlyHelpAssessment(
        child=world.child_sam, authority=world.authority, start_date=date(2026, 3, 3),
        consent_given=True, consent_date=date(2026, 3, 3),
        organisation=world.health, identified_needs=[Need.DOMESTIC_ABUSE],
    )  # fmt: skip
    save_new(eha, by=world.sw_amy, person_id=world.child_sam.pk)
    make_service(world, "Refuge outreach", needs=[Need.DOMESTIC_ABUSE])
    make_service(world, "Debt advice", needs=[Need.FINANCIAL])
    found = suggest(world.child_sam, on=ON)
    assert names(found) == ["Refuge outreach"]
    assert found[0].reasons == [
        "Meets: Domestic abuse (from the early help assessment of 3 March 2026)"
    ]


def test_the_suggestions_on_the_early_help_assessment_page(world, client):
    eha = EarlyHelpAssessment(
        child=world.child_sally, authority=world.authority, start_date=date(2026, 3, 3),
        consent_given=True, consent_date=date(2026, 3, 3),
        organisation=world.health, identified_needs=[Need.PARENTING],
    )  # fmt: skip
    save_new(eha, by=world.health_hana, person_id=world.child_sally.pk)
    service = make_service(world, "Incredible Years", needs=[Need.PARENTING])
    client.force_login(world.health_hana)
    page = client.get(reverse("earlyhelp:eha-detail", args=[eha.pk])).content.decode()
    assert "Services that may help" in page
    assert "Incredible Years" in page
    assert "Meets: Parenting: basic care, boundaries and routines" in page
    refer = reverse("service_referrals:new", args=[world.child_sally.pk]) + f"?service={service.pk}"
    assert refer in page
    # The more services, the same number of queries on the page.
    url = reverse("earlyhelp:eha-detail", args=[eha.pk])
    few = _count_queries(lambda: client.get(url))
    for i in range(20):
        make_service(world, f"Group {i}", needs=[Need.PARENTING])
    assert _count_queries(lambda: client.get(url)) == few
