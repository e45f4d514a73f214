"""Posts (issue 14 item 7, decision 0044): filled or vacant, permanent or agency, FTE; they
feed capacity; the service's vacancy, agency and turnover rates by month on hand-built data."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts import services as accounts
from safeguard.accounts.models import Role
from safeguard.core.errors import ApplicationError
from safeguard.testing.world import _user
from safeguard.workforce import selectors, services
from safeguard.workforce.models import Post, PostHolder

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def add(world, fte="1", team=None, start=date(2025, 1, 1)):
    return services.post_add(
        by=world.sm_dan, team=team or world.team_a, grade="social_worker", fte=Decimal(fte),
        start_date=start,
    )  # fmt: skip


def fill(world, post, worker, start=date(2025, 1, 1), agency=False):
    return services.post_fill(
        by=world.sm_dan, post=post, worker=worker, agency=agency, start_date=start
    )


def test_posts_feed_capacity_and_a_vacant_post_adds_none_but_shows(world):
    world.authority.full_time_capacity = 20
    world.authority.save()
    fill(world, add(world, "0.5"), world.sw_amy)
    fill(world, add(world, "1"), world.tm_carol, agency=True)  # an agency worker's post counts
    vacant = add(world, "1")
    board = selectors.team_board(world.team_a, on=TODAY)
    loads = {load.worker: load for load in board.loads}
    assert loads[world.sw_amy].capacity == 10  # half-time
    assert loads[world.tm_carol].capacity == 20
    assert board.capacity == 30  # the vacant post adds nothing
    assert board.vacant == [vacant]
    # Newly qualified and part-time: the share of the part-time capacity.
    accounts.update_account(
        world.sw_amy, by=world.admin_al, qualified_on=TODAY - timedelta(days=30)
    )
    world.sw_amy.refresh_from_db()
    assert selectors.capacity(world.sw_amy, world.authority, TODAY, Decimal("0.5")) == 8
    # A worker with no post recorded counts as full-time, as before posts were recorded.
    assert selectors.capacity(world.sw_ben, world.authority, TODAY) == 20


def test_a_post_holds_one_worker_at_a_time_and_a_leaver_leaves_it_vacant(world):
    post = add(world)
    fill(world, post, world.sw_amy)
    with pytest.raises(ApplicationError, match="Someone is in the post"):
        fill(world, post, world.tm_carol, start=date(2025, 6, 1))
    services.post_vacate(by=world.sm_dan, post=post, last_day=date(2025, 5, 31))
    assert post.holders.get().end_date == date(2025, 6, 1)
    fill(world, post, world.tm_carol, start=date(2025, 6, 1))
    with pytest.raises(ApplicationError, match="before it"):
        services.post_vacate(by=world.sm_dan, post=post, last_day=date(2025, 5, 1))
    with pytest.raises(ApplicationError):
        fill(world, add(world), world.police_pat)  # not social care staff
    with pytest.raises(ApplicationError, match="full-time equivalent"):
        add(world, "1.5")


def test_who_may_change_posts(world):
    with pytest.raises(PermissionDenied):
        services.post_add(
            by=world.tm_carol, team=world.team_a, grade="social_worker", fte=1,
            start_date=TODAY,
        )  # fmt: skip
    accounts.team_update(world.team_a, by=world.admin_al, manager=world.tm_carol)
    world.team_a.refresh_from_db()
    services.post_add(
        by=world.tm_carol, team=world.team_a, grade="social_worker", fte=1, start_date=TODAY
    )
    for user in (world.sw_amy, world.analyst_eve):
        with pytest.raises(PermissionDenied):
            services.post_add(
                by=user, team=world.team_a, grade="social_worker", fte=1, start_date=TODAY
            )
    # Carol does not manage Team B.
    with pytest.raises(PermissionDenied):
        services.post_add(
            by=world.tm_carol, team=world.team_b, grade="social_worker", fte=1, start_date=TODAY
        )


def test_rates_by_month_on_hand_built_data(world):
    """Team A: four full-time posts from January 2025. Amy in one all year; an agency
    worker in another from February; Carol in the third until her last day on 15 March (a
    leaver); the fourth vacant. Team B: one post, Ben in it from March."""
    on = date(2025, 4, 20)
    p1, p2, p3, _p4 = (add(world) for _ in range(4))
    fill(world, p1, world.sw_amy)
    locum = _user("lou.locum", world.csc, Role.SOCIAL_WORKER, [world.team_a], "Lou", "Locum")
    fill(world, p2, locum, start=date(2025, 2, 1), agency=True)
    fill(world, p3, world.tm_carol)
    services.post_vacate(by=world.sm_dan, post=p3, last_day=date(2025, 3, 15))
    fill(world, add(world, team=world.team_b), world.sw_ben, start=date(2025, 3, 1))

    table = selectors.workforce_rates(world.authority, on=on, months=4)
    service, *teams = table
    assert [t.team for t in teams] == [world.team_a, world.team_b]
    team_a = {m.month.month: m for m in teams[0].months}
    assert [m.month for m in service.months] == [date(2025, m, 1) for m in (1, 2, 3, 4)]
    # January: 4 posts, 2 filled (Amy, Carol): 50% vacant, no agency.
    assert (team_a[1].vacancy_rate, team_a[1].agency_rate) == (50.0, 0.0)
    # February: the locum too: 25% vacant; 1 of 3 filled by an agency worker.
    assert team_a[2].vacancy_rate == 25.0
    assert round(team_a[2].agency_rate, 1) == 33.3
    # March: Carol left: 1 leaver over an average of 3 filled (start) and 2 (end).
    assert (team_a[3].leavers, team_a[3].average_filled) == (1, 2.5)
    assert team_a[3].turnover == 40.0
    assert team_a[3].vacancy_rate == 50.0
    assert team_a[4].leavers == 0 and team_a[4].turnover == 0.0
    # The whole service in March: 5 posts; 4 filled on the 1st (Ben started that day), 3 at
    # the end (Amy, the locum, Ben).
    march = service.months[2]
    assert (march.posts_fte, march.filled_fte, march.agency_fte) == (5, 3, 1)
    assert march.leavers == 1 and march.average_filled == 3.5


def test_a_worker_moving_to_another_post_is_not_a_leaver(world):
    first, second = add(world), add(world, team=world.team_b)
    fill(world, first, world.sw_amy)
    services.post_vacate(by=world.sm_dan, post=first, last_day=date(2025, 3, 10))
    fill(world, second, world.sw_amy, start=date(2025, 3, 11))
    table = selectors.workforce_rates(world.authority, on=date(2025, 3, 31), months=1)
    assert table[0].months[0].leavers == 0


def rates_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("workforce:rates"))
        assert response.status_code == 200
    return len(queries)


def posts_queries(client, team) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("workforce:posts", args=[team.pk])).status_code == 200
    return len(queries)


def test_the_rates_and_posts_pages_make_a_fixed_number_of_queries(world, client):
    client.force_login(world.sm_dan)
    fill(world, add(world), world.sw_amy, start=TODAY - timedelta(days=100))
    add(world, team=world.team_b)
    few_rates, few_posts = rates_queries(client), posts_queries(client, world.team_a)
    for i in range(6):
        worker = _user(f"extra{i}", world.csc, Role.SOCIAL_WORKER, [world.team_a], "Ex", f"Tra{i}")
        post = add(world, team=(world.team_a, world.team_b)[i % 2])
        fill(world, post, worker, start=TODAY - timedelta(days=90), agency=i % 3 == 0)
        if i % 2:
            services.post_vacate(by=world.sm_dan, post=post, last_day=TODAY - timedelta(days=20))
    assert rates_queries(client) == few_rates
    assert posts_queries(client, world.team_a) == few_posts
    html = client.get(reverse("workforce:rates")).content.decode()
    assert 'id="rates-service"' in html and world.team_b.name in html
    html = client.get(reverse("workforce:posts", args=[world.team_a.pk])).content.decode()
    assert "Agency" in html and "Amy Adeyemi" in html
    assert Post.objects.count() == 8 and PostHolder.objects.count() == 7


def test_the_post_forms(world, client):
    client.force_login(world.sm_dan)
    response = client.post(reverse("workforce:post-new", args=[world.team_a.pk]), {
        "grade": "senior_practitioner", "fte": "0.6",
        "start_date_day": "1", "start_date_month": "9", "start_date_year": str(TODAY.year),
    })  # fmt: skip
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.fte == Decimal("0.6")
    response = client.post(reverse("workforce:post-fill", args=[post.pk]), {
        "worker": world.sw_amy.pk, "agency": "yes",
        "start_date_day": "1", "start_date_month": "9", "start_date_year": str(TODAY.year),
    })  # fmt: skip
    assert response.status_code == 302
    assert post.holders.get().agency
    # An empty form: a clear message, nothing stored.
    response = client.post(reverse("workforce:post-new", args=[world.team_a.pk]), {})
    assert response.status_code == 200 and "Choose the grade" in response.content.decode()
    assert Post.objects.count() == 1


def test_the_rates_page_lists_each_teams_month_and_shows_a_chosen_teams_year(world, client):
    client.force_login(world.sm_dan)
    fill(world, add(world), world.sw_amy, start=TODAY - timedelta(days=100))
    add(world, team=world.team_b)
    html = client.get(reverse("workforce:rates")).content.decode()
    assert 'id="rates-teams"' in html and html.count('class="govuk-table__row sg-team"') == 2
    assert 'id="rates-team"' not in html
    chosen = client.get(reverse("workforce:rates"), {"team": world.team_b.pk}).content.decode()
    assert 'id="rates-team"' in chosen and f"{world.team_b.name}'s posts" in chosen
    assert chosen.count('class="govuk-table__row sg-month"') == 24  # the service's and B's
    unknown = client.get(reverse("workforce:rates"), {"team": "nonsense"})
    assert unknown.status_code == 200 and b'id="unknown-team"' in unknown.content
