"""The demo's boards (decision 0084): five bodies with board members in the printed
accounts, agreed targets, a year of published partnership packs with one corrected, and a
challenge log with accepted, further-challenged, answered, open and overdue questions."""

import io

import pytest
from django.core.management import call_command
from django.utils.timezone import localtime

from safeguard.boards.models import Body, Challenge, ChallengeStatus, Pack, PackStatus
from safeguard.demo.generator.boards import PARTNERSHIP
from safeguard.demo.tests.test_demo import AS_AT, AS_AT_DATE
from safeguard.performance.models import Target


@pytest.mark.django_db
def test_the_demo_has_boards_packs_targets_and_a_challenge_log(settings, tmp_path, client):
    settings.SAFEGUARD_DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.txt"
    call_command("demo", stdout=io.StringIO(), children=60, seed=7, as_at=AS_AT)
    assert Body.objects.count() == 5
    # Every body's members have packs to read.
    assert all(b.packs.filter(status=PackStatus.PUBLISHED).exists() for b in Body.objects.all())
    assert Target.objects.filter(agreed_at__isnull=False).count() >= 8
    partnership = Body.objects.get(name=PARTNERSHIP)
    packs = Pack.objects.filter(body=partnership)
    assert packs.filter(status=PackStatus.PUBLISHED).count() == 13
    assert packs.filter(supersedes__isnull=False).count() == 1
    assert {p.period_start.month for p in packs} == set(range(1, 13))
    # Each pack was published when it would have been, after its period, and says so.
    published = packs.filter(status=PackStatus.PUBLISHED)
    for pack in published:
        when = localtime(pack.published_at)
        assert pack.period_end < when.date() <= AS_AT_DATE
        assert f"{when:%-d %B %Y}" in pack.html
    assert len({p.published_at for p in published}) == 13
    statuses = set(Challenge.objects.values_list("status", flat=True))
    assert {ChallengeStatus.ACCEPTED, ChallengeStatus.FURTHER, ChallengeStatus.ANSWERED,
            ChallengeStatus.OPEN} <= statuses  # fmt: skip
    assert any(c.is_overdue(AS_AT_DATE) for c in Challenge.objects.all())
    accounts = settings.SAFEGUARD_DEMO_ACCOUNTS_FILE.read_text()
    assert "board1" in accounts and "board2" in accounts
    client.force_login(partnership.members.get(username="board1"))
    page = client.get(f"/boards/{partnership.pk}/").content.decode()
    assert "Superseded" in page
    latest = packs.order_by("-period_end", "-edition").first()
    assert client.get(f"/boards/packs/{latest.pk}/").status_code == 200
    assert client.get(f"/boards/{partnership.pk}/challenges/").status_code == 200
