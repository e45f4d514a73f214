"""Periods of care (decision 0076): a child becomes looked after and stops being looked
after on a case; the rules refuse what cannot be (overlap, dates, who), storing nothing; the
case page and the child's status show it."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import ChangeEvent
from safeguard.casework import services
from safeguard.casework.models import ChronologyEntry, LookedAfterPeriod
from safeguard.casework.tests.matrix import REFERRED, sam_case
from safeguard.core.errors import ApplicationError

pytestmark = pytest.mark.django_db


def on(field: str, day: date) -> dict:
    return {
        f"{field}_day": str(day.day),
        f"{field}_month": str(day.month),
        f"{field}_year": str(day.year),
    }


def _start(world, case, day=date(2025, 3, 3), status="C1"):
    return services.looked_after_start(
        by=world.sw_amy, case=case, start_date=day, legal_status=status
    )


def test_start_and_end_write_the_period_its_events_and_the_chronology(world):
    case = sam_case(world)
    period = _start(world, case)
    services.looked_after_end(
        by=world.sw_amy, period=period, end_date=date(2025, 6, 2), reason="Returned home to parents"
    )
    period.refresh_from_db()
    assert (period.start_date, period.end_date, period.legal_status) == (
        date(2025, 3, 3), date(2025, 6, 2), "C1"
    )  # fmt: skip
    assert period.reason_ended == "Returned home to parents" and period.created_by == world.sw_amy
    verbs = ChangeEvent.objects.filter(target_type="casework.lookedafterperiod").values_list(
        "verb", flat=True
    )
    assert sorted(verbs) == ["created", "ended"]
    entries = ChronologyEntry.objects.filter(child=world.child_sam, case=case).values_list(
        "event_date", "what"
    )
    assert (date(2025, 3, 3), "Became looked after (C1: Interim care order)") in entries
    assert (date(2025, 6, 2), "Stopped being looked after: Returned home to parents") in entries


@pytest.mark.parametrize(
    "day, status, message",
    [
        (None, "C1", "Enter the date the child became looked after"),
        ("future", "C1", "cannot be in the future"),
        (REFERRED - timedelta(days=1), "C1", "cannot be before the referral"),
        (date(2025, 3, 3), "X9", "Choose the legal status"),
    ],
)
def test_a_bad_start_is_refused_and_stores_nothing(world, day, status, message):
    case = sam_case(world)
    day = timezone.localdate() + timedelta(days=1) if day == "future" else day
    with pytest.raises(ApplicationError, match=message):
        _start(world, case, day, status)
    assert not LookedAfterPeriod.objects.exists()


def test_a_childs_periods_never_overlap(world):
    case = sam_case(world)
    period = _start(world, case, date(2025, 3, 3))
    with pytest.raises(ApplicationError, match="already looked after"):
        _start(world, case, date(2025, 4, 1))
    services.looked_after_end(
        by=world.sw_amy, period=period, end_date=date(2025, 6, 2), reason="Home"
    )
    with pytest.raises(ApplicationError, match="inside an earlier period of care"):
        _start(world, case, date(2025, 5, 1))
    _start(world, case, date(2025, 6, 2), "V2")  # the day the last one ended: no overlap
    assert LookedAfterPeriod.objects.count() == 2


def test_a_bad_end_is_refused_and_changes_nothing(world):
    period = _start(world, sam_case(world))
    for end, reason, message in (
        (date(2025, 3, 2), "Home", "cannot end before it started"),
        (date(2025, 4, 1), "  ", "Enter why the period of care ended"),
        (date(2025, 4, 1), "x" * 501, "500 characters or fewer"),
        (timezone.localdate() + timedelta(days=1), "Home", "cannot be in the future"),
    ):
        with pytest.raises(ApplicationError, match=message):
            services.looked_after_end(by=world.sw_amy, period=period, end_date=end, reason=reason)
    period.refresh_from_db()
    assert period.end_date is None and period.version == 1
    services.looked_after_end(
        by=world.sw_amy, period=period, end_date=date(2025, 4, 1), reason="Home"
    )
    with pytest.raises(ApplicationError, match="already ended"):
        services.looked_after_end(
            by=world.sw_amy, period=period, end_date=date(2025, 4, 2), reason="Home"
        )


def test_only_those_who_record_on_the_case_may_start_or_end(world):
    case = sam_case(world)
    for user in (world.health_hana, world.analyst_eve, world.other_sw):
        with pytest.raises(PermissionDenied):
            services.looked_after_start(
                by=user, case=case, start_date=date(2025, 3, 3), legal_status="C1"
            )
    period = _start(world, case)
    with pytest.raises(PermissionDenied):
        services.looked_after_end(
            by=world.health_hana, period=period, end_date=date(2025, 4, 1), reason="Home"
        )
    assert LookedAfterPeriod.objects.get().end_date is None


def test_the_pages_start_and_end_a_period_and_the_case_page_shows_it(client, world):
    case = sam_case(world)
    client.force_login(world.sw_amy)
    new = reverse("casework:looked-after-new", kwargs={"case_id": case.pk})
    page = client.get(reverse("casework:case-detail", kwargs={"case_id": case.pk})).content.decode()
    assert new in page and 'id="looked-after"' in page
    refused = client.post(new, on("start_date", date(2025, 3, 3)))
    assert refused.status_code == 200 and "Choose the legal status" in refused.content.decode()
    refused = client.post(new, {**on("start_date", date(2024, 1, 1)), "legal_status": "C2"})
    assert "cannot be before the referral" in refused.content.decode()
    assert not LookedAfterPeriod.objects.exists()
    assert (
        client.post(new, {**on("start_date", date(2025, 3, 3)), "legal_status": "C2"}).status_code
        == 302
    )
    period = LookedAfterPeriod.objects.get()
    page = client.get(reverse("casework:case-detail", kwargs={"case_id": case.pk})).content.decode()
    assert "Looked after from 3 March 2025" in page and "C2: Full care order" in page
    assert 'govuk-tag--orange">Looked after</strong>' in page
    end = reverse("casework:looked-after-end", kwargs={"period_id": period.pk})
    assert end in page and new not in page
    refused = client.post(end, {**on("end_date", date(2025, 4, 1)), "version": "1"})
    assert "Enter why the period of care ended" in refused.content.decode()
    done = client.post(
        end, {**on("end_date", date(2025, 4, 1)), "reason": "Adopted", "version": "1"}
    )
    assert done.status_code == 302
    page = client.get(reverse("casework:case-detail", kwargs={"case_id": case.pk})).content.decode()
    assert "1 April 2025: Adopted" in page and end not in page and new in page
    assert 'govuk-tag--orange">Looked after</strong>' not in page


def test_the_childs_status_on_the_person_page_says_looked_after(client, world):
    _start(world, sam_case(world), date(2025, 3, 3))
    client.force_login(world.sw_amy)
    page = client.get(reverse("people:detail", kwargs={"person_id": world.child_sam.pk}))
    status = page.content.decode().split('id="child-status">', 1)[1].split("</p>", 1)[0]
    assert (
        'govuk-tag--orange">Looked after</strong> <span class="govuk-body-s">since 3 Mar 2025'
        in status
    )
