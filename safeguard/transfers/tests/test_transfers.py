"""Transfers between teams (issue 14 item 5, decision 0046): the handover, the receiving
manager's acceptance (the case moves, waiting in the queue or allocated at once) or return
(the case stays), the case never without a team and never in two, one transfer waiting at a
time, the transfer time in working days, the chronology and the notices."""

from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse

from safeguard.accounts.models import Role, User
from safeguard.casework import services as casework
from safeguard.casework.models import Allocation, Case, ChronologyEntry
from safeguard.casework.tests.matrix import sam_case
from safeguard.core.errors import ApplicationError
from safeguard.transfers import selectors, services
from safeguard.transfers.models import Transfer, TransferStatus

pytestmark = pytest.mark.django_db

Notice = apps.get_model("notices", "Notice")
HANDOVER = {
    "summary": "Sam lives with his mother; open since January after a police notification.",
    "risks": "Domestic abuse by a former partner who has returned to the area.",
    "outstanding_work": "A home visit is due and the school has not yet been asked for a view.",
}


@pytest.fixture
def rita(world):
    """The manager of the receiving team (team B)."""
    user = User.objects.create_user(
        username="rita",
        password="x-Long-enough-1",
        agency=world.csc,
        role=Role.TEAM_MANAGER,
        first_name="Rita",
        last_name="Reed",
    )
    user.teams.set([world.team_b])
    world.team_b.manager = user
    world.team_b.save()
    return user


@pytest.fixture
def case(world):
    case = sam_case(world)
    casework.case_allocate(
        by=world.tm_carol,
        case=case,
        worker=world.sw_amy,
        team=world.team_a,
        start_date=date(2025, 1, 8),
        reason="Knows the family",
    )
    return Case.objects.get(pk=case.pk)


def teams_holding(case) -> set:
    """The teams answerable for the case now: its team and its open allocation's team."""
    case = Case.objects.get(pk=case.pk)
    held = set(
        Allocation.objects.filter(case=case, end_date__isnull=True).values_list("team", flat=True)
    )
    return {case.team_id} | held


def request(world, case, by=None, to_team=None):
    return services.transfer_request(
        by=by or world.sw_amy, case=case, to_team=to_team or world.team_b, **HANDOVER
    )


def test_accepted_transfer_moves_the_case_and_it_is_never_without_a_team_or_in_two(
    world, case, rita
):
    transfer = request(world, case)
    # Asked for: still with the sending team, held by its worker.
    assert teams_holding(case) == {world.team_a.pk}
    assert transfer.status == TransferStatus.PENDING and transfer.from_team == world.team_a
    services.transfer_accept(by=rita, transfer=transfer)
    case.refresh_from_db()
    assert case.team == world.team_b
    assert teams_holding(case) == {world.team_b.pk}
    # Waiting unallocated in the receiving team's queue.
    assert not case.allocations.filter(end_date__isnull=True).exists()
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED and transfer.decided_by == rita
    assert transfer.working_days == 0


def test_accepting_can_allocate_at_once_in_the_receiving_team(world, case, rita):
    transfer = request(world, case)
    services.transfer_accept(by=rita, transfer=transfer, worker=world.sw_ben, reason="Capacity")
    current = Allocation.objects.get(case=case, end_date__isnull=True)
    assert (current.worker, current.team, current.reason) == (
        world.sw_ben,
        world.team_b,
        "Capacity",
    )
    assert teams_holding(case) == {world.team_b.pk}
    assert Notice.objects.filter(user=world.sw_ben, subject__contains="allocated").exists()


def test_a_returned_transfer_leaves_the_case_where_it_was(world, case, rita):
    transfer = request(world, case)
    with pytest.raises(ApplicationError, match="reason for returning"):
        services.transfer_return(by=rita, transfer=transfer, reason="  ")
    services.transfer_return(by=rita, transfer=transfer, reason="Not in our area")
    case.refresh_from_db()
    assert case.team == world.team_a
    assert teams_holding(case) == {world.team_a.pk}
    assert Allocation.objects.get(case=case, end_date__isnull=True).worker == world.sw_amy
    transfer.refresh_from_db()
    assert (
        transfer.status == TransferStatus.RETURNED and transfer.return_reason == "Not in our area"
    )
    # A decided transfer cannot be decided again.
    with pytest.raises(ApplicationError, match="already returned"):
        services.transfer_accept(by=rita, transfer=transfer)
    # And a new one may be asked for.
    assert request(world, case).is_pending


def test_a_second_pending_transfer_is_refused_by_the_service_and_the_database(world, case, rita):
    first = request(world, case)
    with pytest.raises(ApplicationError, match="already waiting"):
        request(world, case, by=world.tm_carol)
    assert Transfer.objects.filter(case=case).count() == 1
    second = Transfer(
        case=case,
        from_team=world.team_a,
        to_team=world.team_b,
        requested_on=first.requested_on,
        summary="x",
        risks="x",
        outstanding_work="x",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_who_may_ask_and_who_may_decide(world, case, rita):
    # Ben is a worker of another team: he does not hold the case.
    with pytest.raises(PermissionDenied):
        request(world, case, by=world.sw_ben)
    transfer = request(world, case, by=world.tm_carol)
    # Nobody decides their own request; the sending team's manager does not decide for the
    # receiving team.
    with pytest.raises(PermissionDenied):
        services.transfer_accept(by=world.tm_carol, transfer=transfer)
    with pytest.raises(PermissionDenied):
        services.transfer_return(by=world.sw_ben, transfer=transfer, reason="No")
    # A service manager may (cover for an absent receiving manager).
    services.transfer_accept(by=world.sm_dan, transfer=transfer)


def test_bad_requests_store_nothing(world, case, rita):
    with pytest.raises(ApplicationError, match="already with"):
        request(world, case, to_team=world.team_a)
    with pytest.raises(ApplicationError, match="summary"):
        services.transfer_request(
            by=world.sw_amy, case=case, to_team=world.team_b, **(HANDOVER | {"summary": " "})
        )
    assert not Transfer.objects.exists()
    assert not ChronologyEntry.objects.filter(what__startswith="Transfer").exists()


def test_chronology_and_notices_for_request_accept_and_return(world, case, rita):
    transfer = request(world, case)
    assert Notice.objects.filter(user=rita, subject="A case transfer is waiting for you").exists()
    services.transfer_return(by=rita, transfer=transfer, reason="Not in our area")
    assert Notice.objects.filter(
        user=world.sw_amy, subject="Your case transfer was returned"
    ).exists()
    again = request(world, case)
    services.transfer_accept(by=rita, transfer=again)
    assert Notice.objects.filter(
        user=world.sw_amy, subject="Your case transfer was accepted"
    ).exists()
    whats = list(
        ChronologyEntry.objects.filter(case=case, what__startswith="Transfer")
        .order_by("created_at")
        .values_list("what", flat=True)
    )
    assert len(whats) == 4
    assert whats[0].startswith(
        "Transfer from Child Protection Team A to Child Protection Team B requested"
    )
    assert "returned by Rita Reed" in whats[1]
    assert "accepted by Rita Reed" in whats[3] and "0 working days" in whats[3]


def test_working_days_are_counted_from_request_to_decision(world, case, rita):
    transfer = request(world, case)
    Transfer.objects.filter(pk=transfer.pk).update(requested_on=date(2026, 11, 27))  # a Friday
    transfer.refresh_from_db()
    transfer.decided_on = date(2026, 12, 2)  # the Wednesday after
    assert transfer.working_days == 3


def test_the_handover_is_prefilled_with_what_is_due(world, case, rita, client):
    casework.cin_plan_start(by=world.sw_amy, case=case, start_date=date(2025, 2, 3))
    client.force_login(world.sw_amy)
    page = client.get(reverse("transfers:request", args=[case.pk])).content.decode()
    assert "Transfer the case to another team" in page
    lines = selectors.due_lines(case).splitlines()
    assert any(line.startswith("Child in need visit (child seen): due") for line in lines)
    assert "Child in need visit (child seen): due" in page


def test_the_pages_request_decide_and_list(world, case, rita, client):
    client.force_login(world.sw_amy)
    url = reverse("transfers:request", args=[case.pk])
    bad = client.post(url, {"to_team": world.team_b.pk, **(HANDOVER | {"risks": ""})})
    assert bad.status_code == 200 and "Describe the risks" in bad.content.decode()
    response = client.post(url, {"to_team": world.team_b.pk, **HANDOVER, "next_due": ""})
    transfer = Transfer.objects.get(case=case)
    assert response.status_code == 302 and response.url == reverse(
        "transfers:detail", args=[transfer.pk]
    )
    client.force_login(rita)
    decide = reverse("transfers:decide", args=[transfer.pk])
    no_reason = client.post(
        decide, {"decision": "return", "reason": "", "version": transfer.version}
    )
    assert (
        no_reason.status_code == 200
        and "Give the reason for returning the transfer" in no_reason.content.decode()
    )
    done = client.post(
        decide,
        {
            "decision": "accept",
            "worker": world.sw_ben.pk,
            "reason": "",
            "version": transfer.version,
        },
    )
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.team == world.team_b
    listing = client.get(reverse("transfers:list")).content.decode()
    assert "Sam Smith" in listing and "Accepted" in listing


def test_waiting_transfers_are_listed_for_the_receiving_manager(world, case, rita):
    transfer = request(world, case)
    assert [t.pk for t in selectors.incoming_for(user=rita).rows] == [transfer.pk]
    # Not for the sending team's manager, who cannot decide it.
    assert selectors.incoming_for(user=world.tm_carol).rows == []


def test_the_receiving_manager_s_home_page_shows_the_waiting_transfer(world, case, rita, client):
    transfer = request(world, case)
    client.force_login(rita)
    page = client.get(reverse("work:home")).content.decode()
    assert reverse("transfers:detail", args=[transfer.pk]) in page
    assert "Transfers waiting for you (1)" in page


@pytest.mark.parametrize("page", ["list", "detail", "request", "home"])
def test_transfer_pages_make_a_fixed_number_of_queries(world, rita, client, page):
    """Each page reads the same number of statements with one transfer as with many."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeguard.people.models import Person

    def make(n):
        made = []
        for i in range(n):
            child = Person.objects.create(
                authority=world.authority,
                given_names=f"Child{i}",
                family_name="Transfer",
                date_of_birth=date(2016, 1, 1),
            )
            c = casework.case_open(
                by=world.sw_amy, child=child, referral_date=date(2025, 1, 6), referral_source="6"
            )
            made.append(
                services.transfer_request(
                    by=world.tm_carol, case=c, to_team=world.team_b, **HANDOVER
                )
            )
        return made

    def count(url):
        client.force_login(rita)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(
            [
                q
                for q in captured.captured_queries
                if not q["sql"].startswith(
                    ("SAVEPOINT", "RELEASE SAVEPOINT", "SELECT pg_advisory_xact_lock")
                )
            ]
        )

    first = make(1)[0]
    urls = {
        "list": reverse("transfers:list"),
        "detail": reverse("transfers:detail", args=[first.pk]),
        "request": None,
        "home": reverse("work:home"),
    }
    if page == "request":
        # Rita asks to move a case of her own team (B) to team A.
        child = Person.objects.create(
            authority=world.authority,
            given_names="Una",
            family_name="Held",
            date_of_birth=date(2016, 1, 1),
        )
        own = casework.case_open(
            by=world.sw_ben, child=child, referral_date=date(2025, 1, 6), referral_source="6"
        )
        urls["request"] = reverse("transfers:request", args=[own.pk])
    short = count(urls[page])
    make(8)
    assert count(urls[page]) == short
    assert short <= (24 if page == "home" else 20)
