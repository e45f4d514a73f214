"""Boards and packs (decision 0084): a pack's figures are the dashboard's, publishing freezes
it (service and database), a correction is a new edition, the nightly job drafts and
publishing delivers, small numbers are withheld, the challenge log tracks questions to
closure, and the pages read a fixed number of queries."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from safeguard.boards import sections, services, suppression
from safeguard.boards.models import Challenge, ChallengeStatus, Pack, PackStatus
from safeguard.core.errors import ApplicationError
from safeguard.notices.models import Notice
from safeguard.performance.tests import build

pytestmark = pytest.mark.django_db

APRIL = (date(2026, 4, 1), date(2026, 4, 30))


def _body(world, **more):
    return services.body_create(
        by=world.analyst_eve, name="Testshire Safeguarding Partnership",
        indicators=["referrals", "assessments_within_45wd"], members=[world.board_bea],
        officers=[world.tm_carol], **more,
    )  # fmt: skip


def _cases(world, n):
    for i in range(n):
        c = build.case(world, referred=date(2026, 4, 1 + i % 28), worker=world.sw_amy)
        build.assessment(c, start=date(2026, 4, 1 + i % 28), done=date(2026, 4, 29))


def test_suppression_withholds_small_counts_rates_and_a_revealing_cell():
    assert [suppression.count(n) for n in (0, 1, 5, 6)] == ["0", "c", "c", "6"]
    assert suppression.rate(3, 40) == "c"  # numerator small
    assert suppression.rate(4, 4) == "c"  # denominator small
    assert suppression.rate(38, 40) == "95.0%"  # both above 5: shown, as the DfE shows them
    assert suppression.rate(20, 40) == "50.0%"
    assert suppression.rate(0, 0) == "no data"
    # One small cell beside a total: the next smallest is withheld too.
    assert suppression.group([3, 10, 12, 0]) == ["c", "c", "12", "0"]
    assert suppression.group([3, 4, 12]) == ["c", "c", "12"]
    assert suppression.group([10, 12]) == ["10", "12"]


def test_a_packs_figures_equal_the_dashboards_for_the_same_period(world, client):
    _cases(world, 8)
    body = _body(world)
    rows = sections.indicator_rows(body, *APRIL)
    client.force_login(world.analyst_eve)
    response = client.get("/performance/?from=2026-04-01&to=2026-04-30")
    dashboard = {f.indicator.id: f for f, *_ in response.context["rows"]}
    assert [r["indicator"].id for r in rows] == ["referrals", "assessments_within_45wd"]
    for r in rows:
        mine, theirs = r["figure"], dashboard[r["indicator"].id]
        assert (mine.numerator, mine.denominator) == (theirs.numerator, theirs.denominator)
    assert rows[0]["shown"] == "8"


def test_publishing_freezes_the_pack_and_delivers_it_to_the_members(world, client):
    _cases(world, 3)
    pack = services.pack_draft(
        by=world.analyst_eve, body=_body(world), period_start=APRIL[0], period_end=APRIL[1]
    )
    services.commentary_write(
        by=world.tm_carol, pack=pack, section="indicators", text="Referrals are low."
    )
    pack = services.pack_publish(by=world.sm_dan, pack=pack)
    assert pack.status == PackStatus.PUBLISHED and pack.pdf[:4] == b"%PDF"
    assert "Referrals are low." in pack.html and len(pack.html_sha256) == 64
    # Members read each indicator's definition in plain words, never the formula.
    from django.utils.html import escape

    from safeguard.performance.indicators import BY_ID

    assert escape(BY_ID["referrals"].plain) in pack.html
    assert escape(BY_ID["assessments_within_45wd"].definition) not in pack.html
    # Three referrals are a small number: withheld in what members read.
    assert "Small numbers are withheld" in pack.html
    assert ">c<" in pack.html.replace(" ", "")
    assert Notice.objects.filter(user=world.board_bea, url=f"/boards/packs/{pack.pk}/").exists()
    client.force_login(world.board_bea)
    page = client.get(f"/boards/packs/{pack.pk}/").content.decode()
    assert "Referrals are low." in page
    assert client.get(f"/boards/packs/{pack.pk}/pack.pdf").content[:4] == b"%PDF"


def test_a_published_pack_cannot_change(world):
    pack = services.pack_draft(
        by=world.analyst_eve, body=_body(world), period_start=APRIL[0], period_end=APRIL[1]
    )
    pack = services.pack_publish(by=world.sm_dan, pack=pack)
    frozen = (pack.html, pack.html_sha256, pack.pdf_sha256)
    with pytest.raises(ApplicationError, match="never changed"):
        services.commentary_write(by=world.tm_carol, pack=pack, section="indicators", text="Late")
    with pytest.raises(ApplicationError):
        services.pack_publish(by=world.sm_dan, pack=pack)
    pack.html = "rewritten"
    with pytest.raises(ValidationError):
        pack.save()
    # The database refuses too, whoever writes.
    with pytest.raises(DatabaseError), transaction.atomic():
        Pack.objects.filter(pk=pack.pk).update(html="rewritten")
    stored = Pack.objects.get(pk=pack.pk)
    assert (stored.html, stored.html_sha256, stored.pdf_sha256) == frozen


def test_a_correction_is_a_new_edition_and_both_are_kept(world, client):
    pack = services.pack_draft(
        by=world.analyst_eve, body=_body(world), period_start=APRIL[0], period_end=APRIL[1]
    )
    services.commentary_write(by=world.tm_carol, pack=pack, section="audits", text="Two audits.")
    first = services.pack_publish(by=world.sm_dan, pack=pack)
    with pytest.raises(ApplicationError, match="Say what"):
        services.pack_correct(by=world.sm_dan, pack=first, reason=" ")
    second = services.pack_correct(by=world.sm_dan, pack=first, reason="The audit count was wrong.")
    assert (second.edition, second.supersedes_id, second.status) == (2, first.pk, PackStatus.DRAFT)
    assert second.commentary.get().text == "Two audits."
    services.pack_publish(by=world.sm_dan, pack=second)
    assert Pack.objects.filter(body=first.body, status=PackStatus.PUBLISHED).count() == 2
    with pytest.raises(ApplicationError):  # only the latest edition is corrected
        services.pack_correct(by=world.sm_dan, pack=first, reason="Again")
    client.force_login(world.board_bea)
    page = client.get(f"/boards/packs/{first.pk}/").content.decode()
    assert "This edition has been corrected" in page


def test_the_nightly_job_drafts_the_packs_due_once_and_tells_the_officers(world):
    body = _body(world, pack_day=10)
    assert services.draft_due_packs(date(2026, 5, 9)).startswith("0 board packs")
    assert services.draft_due_packs(date(2026, 5, 10)).startswith("1 board pack ")
    assert services.draft_due_packs(date(2026, 5, 11)).startswith("0 board packs")
    pack = Pack.objects.get(body=body)
    assert (pack.period_start, pack.period_end) == APRIL
    assert Notice.objects.filter(user=world.tm_carol, url=f"/boards/packs/{pack.pk}/").exists()
    from safeguard.core import schedule

    assert schedule.job("draft-board-packs").run is services.draft_due_packs


def test_board_members_never_see_a_draft_nor_another_bodys_pack(world, client):
    body = _body(world)
    draft = services.pack_draft(
        by=world.analyst_eve, body=body, period_start=APRIL[0], period_end=APRIL[1]
    )
    other = services.body_create(by=world.analyst_eve, name="Cabinet")
    theirs = services.pack_publish(
        by=world.sm_dan,
        pack=services.pack_draft(
            by=world.analyst_eve, body=other, period_start=APRIL[0], period_end=APRIL[1]
        ),
    )
    client.force_login(world.board_bea)
    assert client.get(f"/boards/packs/{draft.pk}/").status_code == 404
    assert client.get(f"/boards/packs/{theirs.pk}/").status_code == 404
    assert client.get(f"/boards/{other.pk}/").status_code == 404
    page = client.get("/boards/").content.decode()
    assert "Testshire Safeguarding Partnership" in page and "Cabinet" not in page
    # Read-only: every POST refused before a view.
    assert client.post(f"/boards/{body.pk}/challenges/", {}).status_code == 403


def test_a_question_is_tracked_to_closure(world):
    body = _body(world)
    q = services.challenge_raise(
        by=world.analyst_eve, body=body, raised_on=date(2026, 5, 12), question="Why so few?",
        officer=world.tm_carol, due_date=date(2026, 6, 9),
    )  # fmt: skip
    assert q.is_overdue(date(2026, 6, 10)) and not q.is_overdue(date(2026, 6, 9))
    with pytest.raises(ApplicationError):  # only its officer answers
        services.challenge_answer(by=world.sm_dan, challenge=q, answer="Because.")
    q = services.challenge_answer(by=world.tm_carol, challenge=q, answer="Two chairs were off.")
    assert not q.is_overdue(date(2026, 7, 1))
    with pytest.raises(ApplicationError):  # the officer does not close their own answer
        services.challenge_close(by=world.tm_carol, challenge=q, accepted=True)
    with pytest.raises(ApplicationError, match="further question"):
        services.challenge_close(by=world.sm_dan, challenge=q, accepted=False)
    follow = services.challenge_close(
        by=world.sm_dan,
        challenge=q,
        accepted=False,
        further="And in June?",
        due_date=date(2099, 1, 1),
    )
    assert Challenge.objects.get(pk=q.pk).status == ChallengeStatus.FURTHER
    assert follow.follows_id == q.pk and follow.status == ChallengeStatus.OPEN
    services.challenge_answer(by=world.tm_carol, challenge=follow, answer="Better.")
    closed = services.challenge_close(by=world.analyst_eve, challenge=follow, accepted=True)
    assert closed.status == ChallengeStatus.ACCEPTED


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"question": " "}, "Write the question"), ({"due_date": date(2026, 5, 1)}, "before the meeting"),
     ({"raised_on": date(2099, 1, 1), "due_date": date(2099, 2, 1)}, "future")],
)  # fmt: skip
def test_a_bad_question_is_refused_and_nothing_stored(world, fields, message):
    body = _body(world)
    data = {"raised_on": date(2026, 5, 12), "question": "Why?", "officer": world.tm_carol,
            "due_date": date(2026, 6, 9), **fields}  # fmt: skip
    with pytest.raises(ApplicationError, match=message):
        services.challenge_raise(by=world.analyst_eve, body=body, **data)
    assert not Challenge.objects.exists()


def _grow(world, body, first, n):
    for i in range(first, first + n):
        services.challenge_raise(
            by=world.analyst_eve, body=body, raised_on=date(2026, 1, 1 + i), question=f"Q{i}",
            officer=world.tm_carol, due_date=date(2026, 2, 1),
        )  # fmt: skip
        pack = services.pack_draft(
            by=world.analyst_eve, body=body, period_start=date(2020 + i, 1, 1),
            period_end=date(2020 + i, 1, 31), notify_officers=False,
        )  # fmt: skip
        services.pack_publish(by=world.sm_dan, pack=pack)


def test_the_body_and_challenge_pages_read_a_fixed_number_of_queries(
    world, client, django_assert_max_num_queries
):
    body = _body(world)
    client.force_login(world.board_bea)
    for first, n in ((0, 1), (1, 3)):
        _grow(world, body, first, n)
        with django_assert_max_num_queries(14):
            assert client.get(f"/boards/{body.pk}/").status_code == 200
        with django_assert_max_num_queries(14):
            assert client.get(f"/boards/{body.pk}/challenges/").status_code == 200
