"""Dip samples of the front door's decisions (issue 15 item 4, decision 0063): no further
action decisions and threshold departures drawn reproducibly from a seed, each checked by a
manager who did not make or authorise it."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguard.assurance import permissions, services
from safeguard.assurance.models import DipItem, DipSample
from safeguard.assurance.permissions import Action
from safeguard.assurance.tests.steps import decided_contact, dip_sample
from safeguard.audit.models import AccessEvent, ChangeEvent
from safeguard.core.errors import ApplicationError
from safeguard.referrals.models import Contact

pytestmark = pytest.mark.django_db

JUNE = {"first_day": date(2025, 6, 1), "last_day": date(2025, 6, 30)}


def on(field: str, day: date) -> dict:
    return {f"{field}_day": str(day.day), f"{field}_month": str(day.month), f"{field}_year": str(day.year)}


def decisions(world, *, nfa=3, departures=3, followed=2, decided=date(2025, 6, 10)):
    """``nfa`` no-further-action decisions and ``departures`` early-help decisions at level 1
    (which suggests advice), Amy deciding and Dan agreeing each departure; ``followed``
    decisions that follow the threshold (never drawn)."""
    children = [world.child_sam, world.child_sally, world.child_tom]
    made = []
    for n in range(nfa):
        made.append(decided_contact(world, children[n % 3], outcome="nfa", manager=world.sm_dan, decided=decided))
    for n in range(departures):
        made.append(decided_contact(world, children[n % 3], outcome="early_help", manager=world.sm_dan, decided=decided))
    for n in range(followed):
        made.append(decided_contact(world, children[n % 3], outcome="advice", decided=decided))
    return made


def draw(world, **kw):
    fields = {**JUNE, "size": 2, "seed": 11, "today": date(2025, 7, 1), **kw}
    return services.dip_sample_draw(by=world.sm_dan, **fields)


def fresh_draw(world, **kw) -> list:
    """The contacts a draw takes from the whole period: the samples drawn before are removed
    first (a decision is drawn once, so a second draw would otherwise take from the rest)."""
    DipSample.objects.all().delete()
    return [i.contact_id for i in draw(world, **kw).items.order_by("why", "contact_id")]


def test_the_draw_is_reproducible_from_the_seed(world):
    decisions(world, nfa=5, departures=5)
    first = fresh_draw(world, seed=11)
    assert first == fresh_draw(world, seed=11) and len(first) == 4
    seeds = {tuple(sorted(map(str, fresh_draw(world, seed=s)))) for s in range(8)}
    assert len(seeds) > 1  # another seed, another sample


def test_a_decision_is_drawn_once_and_a_second_draw_takes_the_rest(world):
    decisions(world, nfa=3, departures=3, followed=0)
    first = {i.contact_id for i in draw(world, size=2).items.all()}
    second = {i.contact_id for i in draw(world, size=2, seed=12).items.all()}
    assert len(first) == 4 and len(second) == 2 and not first & second
    assert DipItem.objects.count() == 6
    with pytest.raises(ApplicationError) as refused:
        draw(world, size=2, seed=13)
    assert refused.value.message == (
        "Every decision of the period that could be drawn is already in a dip sample"
    )
    assert DipSample.objects.count() == 2


def test_both_kinds_are_drawn_and_decisions_that_follow_the_threshold_never(world):
    made = decisions(world, nfa=4, departures=1, followed=3)
    sample = draw(world, size=2)
    whys = sorted(sample.items.values_list("why", flat=True))
    assert whys == ["departure", "nfa", "nfa"]
    followed = {c.pk for c in made if c.outcome == "advice"}
    assert not sample.items.filter(contact__in=followed).exists()
    assert sample.drawn_by == world.sm_dan and sample.seed == 11 and sample.size == 2
    assert ChangeEvent.objects.filter(target_id=str(sample.pk)).exists()


def test_only_contacts_of_the_period_and_the_authority_are_drawn(world):
    inside = decisions(world, nfa=1, departures=1, followed=0)
    decisions(world, nfa=1, departures=1, followed=0, decided=date(2025, 7, 2))
    decisions(world, nfa=1, departures=1, followed=0, decided=date(2025, 5, 31))
    Contact.objects.create(
        child=world.outsider, authority=world.other_authority, contact_date=date(2025, 6, 9), source="2A",
        reason="Elsewhere", outcome="nfa", decision_date=date(2025, 6, 10),
    )  # fmt: skip
    sample = draw(world, size=10, today=date(2025, 8, 1))
    assert {i.contact_id for i in sample.items.all()} == {c.pk for c in inside}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"first_day": date(2025, 6, 30), "last_day": date(2025, 6, 1)}, "last_day"),
        ({"last_day": date(2025, 7, 2)}, "last_day"),  # not over on 1 July
        ({"size": 0}, "size"),
        ({"size": 51}, "size"),
        ({"first_day": date(2024, 1, 1), "last_day": date(2024, 1, 31)}, "first_day"),  # nothing
    ],
)
def test_a_bad_period_or_size_is_refused_and_nothing_is_saved(world, change, field):
    decisions(world, nfa=1, departures=1, followed=0)
    with pytest.raises(ApplicationError) as refused:
        draw(world, **change)
    assert refused.value.field == field
    assert not DipSample.objects.exists() and not DipItem.objects.exists()


def test_only_a_service_manager_draws_and_only_managers_see(world):
    decisions(world, nfa=1, departures=1, followed=0)
    for user in (world.tm_carol, world.sw_amy, world.analyst_eve, world.police_pat, world.admin_al):
        with pytest.raises(PermissionDenied):
            services.dip_sample_draw(by=user, **JUNE, size=1, seed=1, today=date(2025, 7, 1))
    sample = draw(world)
    assert permissions.can(world.tm_carol, Action.SEE_DIP, sample)
    assert permissions.can(world.sm_dan, Action.SEE_DIP, sample)
    for user in (world.sw_amy, world.analyst_eve, world.police_pat, world.other_sw, world.chair_iris):
        assert not permissions.can(user, Action.SEE_DIP, sample)


def test_nobody_checks_a_decision_they_made_or_authorised(world):
    sample = dip_sample(world)  # Sam's: decided by Amy, agreed by Carol; Tom's: Carol's own
    items = {i.contact.child.given_names: i for i in sample.items.select_related("contact__child")}
    for item in items.values():
        assert not permissions.can(world.tm_carol, Action.CHECK_DIP, item)
        with pytest.raises(PermissionDenied):
            services.dip_check_record(by=world.tm_carol, item=item, agree=True)
    assert not permissions.can(world.sw_amy, Action.CHECK_DIP, items["Sam"])
    assert permissions.can(world.sm_dan, Action.CHECK_DIP, items["Sam"])
    services.dip_check_record(by=world.sm_dan, item=items["Sam"], agree=True)
    items["Sam"].refresh_from_db()
    assert items["Sam"].agrees is True and items["Sam"].checked_by == world.sm_dan
    # Checked once.
    with pytest.raises(ApplicationError):
        services.dip_check_record(by=world.sm_dan, item=items["Sam"], agree=False, note="No")


def test_disagreeing_needs_a_note(world):
    sample = dip_sample(world)
    item = sample.items.first()
    with pytest.raises(ApplicationError) as refused:
        services.dip_check_record(by=world.sm_dan, item=item, agree=False, note="  ")
    assert refused.value.field == "note"
    item.refresh_from_db()
    assert item.agrees is None
    services.dip_check_record(by=world.sm_dan, item=item, agree=False, note="Should have gone to early help")
    item.refresh_from_db()
    assert item.agrees is False and item.note == "Should have gone to early help"


# --- Pages ------------------------------------------------------------------------------------


def test_the_pages_are_for_managers(client, world):
    sample = dip_sample(world)
    for user, status in ((world.tm_carol, 200), (world.sm_dan, 200), (world.sw_amy, 403), (world.police_pat, 403)):
        client.force_login(user)
        assert client.get(reverse("assurance:dip-samples")).status_code == status
        assert client.get(reverse("assurance:dip-sample", args=[sample.pk])).status_code == status
    client.force_login(world.tm_carol)
    page = client.get(reverse("assurance:audits")).text
    assert reverse("assurance:dip-samples") in page


def test_the_service_manager_draws_from_the_list_and_a_bad_draw_changes_nothing(client, world):
    decisions(world, nfa=2, departures=2, followed=0, decided=timezone.localdate() - timedelta(days=3))
    client.force_login(world.sm_dan)
    url = reverse("assurance:dip-samples")
    today = timezone.localdate()
    good = {**on("first_day", today - timedelta(days=10)), **on("last_day", today - timedelta(days=1)), "size": "1", "seed": "5"}
    before = ChangeEvent.objects.count()
    for bad in ({**good, "size": "0"}, {**good, **on("last_day", today + timedelta(days=1))}, {**good, "seed": ""}):
        response = client.post(url, bad)
        assert response.status_code == 400
        assert "govuk-error-summary" in response.text
    assert not DipSample.objects.exists() and ChangeEvent.objects.count() == before
    response = client.post(url, good)
    sample = DipSample.objects.get()
    assert response.status_code == 302 and response.url == reverse("assurance:dip-sample", args=[sample.pk])
    assert sample.items.count() == 2
    # A team manager sees the list but does not draw.
    client.force_login(world.tm_carol)
    assert client.post(url, good).status_code == 403


def test_a_check_is_recorded_on_the_page_and_a_bad_one_changes_nothing(client, world):
    sample = dip_sample(world)
    item = sample.items.get(contact__child=world.child_sam)
    client.force_login(world.sm_dan)
    page = reverse("assurance:dip-sample", args=[sample.pk])
    url = reverse("assurance:dip-check", args=[item.pk])
    before = ChangeEvent.objects.count()
    for bad in ({"agree": "no", "note": ""}, {"agree": "", "note": "Hm"}):
        response = client.post(url, bad)
        assert response.status_code == 400
        assert "govuk-error-summary" in response.text
    item.refresh_from_db()
    assert item.agrees is None and ChangeEvent.objects.count() == before
    reads = AccessEvent.objects.filter(user=world.sm_dan, person_id=world.child_sam.pk).count()
    response = client.post(url, {"agree": "no", "note": "Threshold met for early help"})
    assert response.status_code == 302 and response.url == page
    assert AccessEvent.objects.filter(user=world.sm_dan, person_id=world.child_sam.pk).count() > reads
    item.refresh_from_db()
    assert item.agrees is False and item.checked_by == world.sm_dan
    text = client.get(page).text
    assert "Threshold met for early help" in text and "Disagreed" in text
    listed = client.get(reverse("assurance:dip-samples")).text
    assert "sg-dip-sample" in listed
    # Carol decided or agreed both: she gets no form and her POST is refused.
    client.force_login(world.tm_carol)
    assert "sg-dip-check-form" not in client.get(page).text
    other = sample.items.exclude(pk=item.pk).first()
    assert client.post(reverse("assurance:dip-check", args=[other.pk]), {"agree": "yes"}).status_code == 403


def test_the_sample_page_logs_each_child_and_makes_a_fixed_number_of_queries(client, world):
    decisions(world, nfa=1, departures=1, followed=0)
    small = draw(world, size=1)
    decisions(world, nfa=3, departures=3, followed=0)
    large = draw(world, size=6, seed=3)
    assert small.items.count() == 2 and large.items.count() == 6  # the rest of the period
    client.force_login(world.tm_carol)

    def queries(sample) -> int:
        url = reverse("assurance:dip-sample", args=[sample.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries(small) == queries(large)
    children = set(large.items.values_list("contact__child_id", flat=True))
    logged = set(AccessEvent.objects.filter(user=world.tm_carol).values_list("person_id", flat=True))
    assert children <= logged

    def list_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("assurance:dip-samples"))
        return len(captured)

    count = list_queries()
    decisions(world, nfa=1, departures=1, followed=0)
    draw(world, size=2, seed=99)
    assert list_queries() == count


# --- Feedback and results ---------------------------------------------------------------------


def test_a_disagreement_is_fed_back_to_who_made_and_agreed_the_decision(client, world):
    from safeguard.notices.models import Notice

    sample = dip_sample(world)  # Sam's: decided by Amy, agreed by Carol
    sam = sample.items.get(contact__child=world.child_sam)
    services.dip_check_record(by=world.sm_dan, item=sam, agree=False, note="Neglect was missed")
    told = Notice.objects.filter(subject="A manager disagreed with a front-door decision")
    assert set(told.values_list("user", flat=True)) == {world.sw_amy.pk, world.tm_carol.pk}
    notice = told.get(user=world.sw_amy)
    assert notice.url == reverse("assurance:mine") + "#front-door-checks"
    assert "Sam" not in notice.body and "Neglect" not in notice.body  # emailed: no detail
    for user in (world.sw_amy, world.tm_carol):
        client.force_login(user)
        page = client.get(reverse("assurance:mine")).text
        rows = page.split('class="govuk-table__row sg-front-door-check"')[1:]
        assert len(rows) == 1
        assert "Sam Smith" in rows[0] and "Disagreed" in rows[0] and "Neglect was missed" in rows[0]
        assert reverse("referrals:contact-detail", args=[sam.contact_id]) in rows[0]
    # Ben neither made nor agreed it.
    client.force_login(world.sw_ben)
    page = client.get(reverse("assurance:mine")).text
    assert "Neglect was missed" not in page and "sg-front-door-check" not in page


def test_an_agreement_tells_nobody_but_shows_to_the_decider(client, world):
    from safeguard.notices.models import Notice

    sample = dip_sample(world)
    sam = sample.items.get(contact__child=world.child_sam)
    services.dip_check_record(by=world.sm_dan, item=sam, agree=True, note="Proportionate")
    assert not Notice.objects.filter(subject__contains="disagreed").exists()
    client.force_login(world.sw_amy)
    page = client.get(reverse("assurance:mine")).text
    assert "Agreed" in page and "Proportionate" in page


def test_the_results_count_each_kind_across_samples(client, world):
    decisions(world, nfa=3, departures=2, followed=0)
    sample = draw(world, size=3)
    items = list(sample.items.order_by("why", "contact_id"))
    nfa = [i for i in items if i.why == "nfa"]
    departure = [i for i in items if i.why == "departure"]
    services.dip_check_record(by=world.tm_carol, item=nfa[0], agree=False, note="Should be early help")
    services.dip_check_record(by=world.tm_carol, item=nfa[1], agree=True)
    services.dip_check_record(by=world.tm_carol, item=departure[0], agree=True)
    from safeguard.assurance import selectors

    results = {k.why: k for k in selectors.dip_results(world.tm_carol)}
    assert (results["nfa"].drawn, results["nfa"].checked, results["nfa"].disagreed) == (3, 2, 1)
    assert results["nfa"].disagreed_percent == 50
    assert (results["departure"].drawn, results["departure"].checked) == (2, 1)
    assert results["departure"].disagreed == 0 and results["departure"].disagreed_percent == 0
    assert selectors.dip_results(world.sw_amy) == []
    client.force_login(world.tm_carol)
    page = client.get(reverse("assurance:dip-samples")).text
    row = page.split('class="govuk-table__row sg-dip-kind"')[1]
    assert "No further action" in row and "50%" in row


def test_my_page_reads_the_checks_in_a_fixed_number_of_queries(client, world):
    sample = dip_sample(world)
    sam = sample.items.get(contact__child=world.child_sam)
    services.dip_check_record(by=world.sm_dan, item=sam, agree=True)
    client.force_login(world.sw_amy)
    url = reverse("assurance:mine")
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = count()
    decisions(world, nfa=2, departures=2, followed=0)
    more = draw(world, size=5, seed=5)
    for item in more.items.all():
        services.dip_check_record(by=world.tm_carol, item=item, agree=False, note="Review it")
    page = client.get(url).text
    assert page.count("sg-front-door-check") == 5
    assert count() == before
