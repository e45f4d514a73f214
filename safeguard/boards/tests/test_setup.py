"""Setting up, changing and standing down a body; its named officers' access; packs published
at a given moment (decision 0085).

Service managers and analysts set up and change bodies (version-checked, audited, members and
officers added or removed kept in the body's history) and stand them down (no more packs
drafted, still readable); everyone else is refused. A body's named officers, whatever their
role or agency, read the body, its drafts and its challenge log, write commentary and answer
their questions, and see no child they did not see before. A pack published ``at=`` a moment
says that moment in its frozen HTML and PDF, and stays frozen."""

import base64
import re
import zlib
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import ChangeEvent, ChangeVerb
from safeguard.boards import permissions, services
from safeguard.boards.models import Body, Commentary, Pack, PackStatus
from safeguard.core.errors import ApplicationError

pytestmark = pytest.mark.django_db

APRIL = (date(2026, 4, 1), date(2026, 4, 30))
LONDON = ZoneInfo("Europe/London")


def _body(world, **more):
    values = {
        "name": "Testshire Safeguarding Partnership", "indicators": ["referrals"],
        "members": [world.board_bea], "officers": [world.tm_carol], **more,
    }  # fmt: skip
    return services.body_create(by=world.analyst_eve, **values)


def _form(world, **more) -> dict:
    data = {
        "name": "Children's Trust Board", "purpose": "Partners agree the children's plan.",
        "pack_day": "12", "indicators": ["referrals", "assessments_within_45wd"],
        "sections": ["indicators", "audits"], "members": [str(world.board_bea.pk)],
        "officers": [str(world.tm_carol.pk), str(world.police_pat.pk)],
    }  # fmt: skip
    data.update(more)
    return {k: v for k, v in data.items() if v is not None}


def _stored(body: Body) -> tuple:
    body = Body.objects.get(pk=body.pk)
    return (
        body.name, body.pack_day, body.indicators, body.sections, body.version, body.ended_on,
        {p.pk for p in body.members.all()}, {p.pk for p in body.officers.all()},
    )  # fmt: skip


# -- Setting up ---------------------------------------------------------------------------


def test_an_analyst_sets_up_a_body_on_its_page(world, client):
    client.force_login(world.analyst_eve)
    page = client.get(reverse("boards:bodies")).content.decode()
    assert reverse("boards:body-new") in page
    form = client.get(reverse("boards:body-new")).content.decode()
    # The indicators are checkboxes labelled with their titles, grouped.
    assert 'value="assessments_within_45wd"' in form and "Statutory measures" in form
    assert 'value="audits"' in form
    assert f'name="officers" value="{world.police_pat.pk}"' in form
    assert f'name="members" value="{world.board_bea.pk}"' in form
    # Nobody of another authority is offered; a board member is no officer.
    assert f'value="{world.other_sw.pk}"' not in form
    assert f'name="officers" value="{world.board_bea.pk}"' not in form
    response = client.post(reverse("boards:body-new"), _form(world))
    assert response.status_code == 302
    body = Body.objects.get(name="Children's Trust Board")
    assert response["Location"] == reverse("boards:body", args=[body.pk])
    assert (body.pack_day, body.indicators, body.sections) == (
        12, ["referrals", "assessments_within_45wd"], ["indicators", "audits"],
    )  # fmt: skip
    assert set(body.members.all()) == {world.board_bea}
    assert set(body.officers.all()) == {world.tm_carol, world.police_pat}
    created = ChangeEvent.objects.get(target_type="boards.body", target_id=str(body.pk))
    assert created.verb == ChangeVerb.CREATED and created.user == world.analyst_eve
    assert set(created.after["officers"]) == {world.tm_carol.pk, world.police_pat.pk}


@pytest.mark.parametrize(
    ("more", "message"),
    [
        ({"name": ""}, "Enter the body&#x27;s name"),
        ({"name": "   "}, "Enter the body&#x27;s name"),
        ({"pack_day": "0"}, "from 1 to 28"),
        ({"pack_day": "29"}, "from 1 to 28"),
        ({"pack_day": "tenth"}, "from 1 to 28"),
        ({"indicators": ["referrals", "no_such_indicator"]}, "Choose indicators from the list"),
        ({"sections": ["no_such_section"]}, "Choose sections from the list"),
        ({"members": ["OTHER"]}, "Choose members from the list"),
        ({"officers": ["OTHER"]}, "Choose officers from the list"),
        ({"officers": ["BOARD"]}, "Choose officers from the list"),
        ({"name": "Cabinet"}, "There is a body of that name already"),
    ],
)
def test_bad_input_to_setting_up_is_refused_and_nothing_stored(world, client, more, message):
    services.body_create(by=world.analyst_eve, name="Cabinet")
    people = {"OTHER": str(world.other_sw.pk), "BOARD": str(world.board_bea.pk)}
    for key in ("members", "officers"):
        if key in more:
            more[key] = [people.get(v, v) for v in more[key]]
    client.force_login(world.analyst_eve)
    bodies, events = Body.objects.count(), ChangeEvent.objects.count()
    response = client.post(reverse("boards:body-new"), _form(world, **more))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert (Body.objects.count(), ChangeEvent.objects.count()) == (bodies, events)


@pytest.mark.parametrize(
    ("more", "message"),
    [
        ({"name": " "}, "Enter the body"),
        ({"pack_day": 0}, "from 1 to 28"),
        ({"pack_day": 29}, "from 1 to 28"),
        ({"indicators": ["nonsense"]}, "No such indicator"),
        ({"sections": ["nonsense"]}, "No such section"),
        ({"members": ["OTHER"]}, "people of the authority"),
        ({"officers": ["OTHER"]}, "staff of the authority"),
        ({"officers": ["BOARD"]}, "staff of the authority"),
    ],
)
def test_the_services_refuse_bad_values_too(world, more, message):
    people = {"OTHER": world.other_sw, "BOARD": world.board_bea}
    for key in ("members", "officers"):
        if key in more:
            more[key] = [people[v] for v in more[key]]
    with pytest.raises(ApplicationError, match=message):
        services.body_create(by=world.analyst_eve, **{"name": "Cabinet", **more})
    body = _body(world)
    before = _stored(body)
    with pytest.raises(ApplicationError, match=message):
        services.body_change(by=world.analyst_eve, body=body, version=body.version, **more)
    assert _stored(body) == before
    assert Body.objects.count() == 1


@pytest.mark.parametrize("who", ["tm_carol", "sw_amy", "board_bea", "police_pat", "inspector_ian"])
def test_only_service_managers_and_analysts_set_up_change_and_stand_down(world, client, who):
    body = _body(world, officers=[world.tm_carol, world.police_pat])
    user = getattr(world, who)
    with pytest.raises(ApplicationError):
        services.body_create(by=user, name="Cabinet")
    with pytest.raises(ApplicationError):
        services.body_change(by=user, body=body, name="Renamed")
    with pytest.raises(ApplicationError):
        services.body_end(by=user, body=body)
    before = _stored(body)
    client.force_login(user)
    assert client.get(reverse("boards:body-new")).status_code == 403
    assert client.get(reverse("boards:body-change", args=[body.pk])).status_code in (403, 404)
    assert client.get(reverse("boards:body-end", args=[body.pk])).status_code in (403, 404)
    assert client.post(reverse("boards:body-end", args=[body.pk]), {}).status_code in (403, 404)
    assert _stored(body) == before and Body.objects.count() == 1
    page = client.get(reverse("boards:body", args=[body.pk]))
    if page.status_code == 200:  # those who read the body are not offered the links
        assert reverse("boards:body-change", args=[body.pk]) not in page.content.decode()


# -- Changing -----------------------------------------------------------------------------


def test_a_change_is_version_checked_audited_and_shown_in_the_history(world, client):
    body = _body(world)
    client.force_login(world.sm_dan)
    page = client.get(reverse("boards:body", args=[body.pk])).content.decode()
    assert reverse("boards:body-change", args=[body.pk]) in page
    form = client.get(reverse("boards:body-change", args=[body.pk])).content.decode()
    assert f'name="version" value="{body.version}"' in form
    data = _form(
        world, name="Testshire Safeguarding Partnership", pack_day="15", version=str(body.version),
        members=[str(world.board_bea.pk), str(world.sm_dan.pk)], officers=[str(world.police_pat.pk)],
    )  # fmt: skip
    response = client.post(reverse("boards:body-change", args=[body.pk]), data)
    assert response.status_code == 302
    body.refresh_from_db()
    assert body.pack_day == 15 and body.version == 2
    assert set(body.officers.all()) == {world.police_pat}
    assert set(body.members.all()) == {world.board_bea, world.sm_dan}
    changed = ChangeEvent.objects.get(target_id=str(body.pk), verb=ChangeVerb.UPDATED)
    assert changed.user == world.sm_dan
    assert changed.before["officers"] == [world.tm_carol.pk]
    assert changed.after["officers"] == [world.police_pat.pk]
    page = client.get(reverse("boards:body", args=[body.pk])).content.decode()
    assert "Changed</strong> by Dan Doyle" in page
    assert "Added to the named officers: Pat Patel" in page
    assert "Removed from the named officers: Carol Chen" in page
    assert "Added to the members: Dan Doyle" in page
    assert "Pack day: from 10 to 15" in page
    assert "Set up</strong> by Eve Evans" in page

    # Someone else's change meanwhile: the stale form is refused and nothing changes.
    stale = {**data, "pack_day": "20", "version": "1"}
    before = _stored(body)
    response = client.post(reverse("boards:body-change", args=[body.pk]), stale)
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    assert _stored(body) == before
    with pytest.raises(ApplicationError, match="Someone else"):
        services.body_change(by=world.analyst_eve, body=body, version=1, pack_day=20)
    assert _stored(body) == before


def test_a_body_keeps_its_own_name_and_may_not_take_anothers(world):
    body = _body(world)
    services.body_create(by=world.analyst_eve, name="Cabinet")
    services.body_change(by=world.analyst_eve, body=body, version=1, purpose="Partners.")
    with pytest.raises(ApplicationError, match="of that name already"):
        services.body_change(by=world.analyst_eve, body=body, name="Cabinet")
    assert Body.objects.get(pk=body.pk).name == "Testshire Safeguarding Partnership"


# -- Standing down ------------------------------------------------------------------------


def test_a_body_stood_down_gets_no_more_packs_and_stays_readable(world, client):
    body = _body(world, pack_day=10)
    published = services.pack_publish(
        by=world.sm_dan,
        pack=services.pack_draft(
            by=world.analyst_eve, body=body, period_start=APRIL[0], period_end=APRIL[1]
        ),
    )
    client.force_login(world.sm_dan)
    page = client.get(reverse("boards:body-end", args=[body.pk])).content.decode()
    assert "data-no-draft" in page and "Stand the body down" in page
    response = client.post(reverse("boards:body-end", args=[body.pk]), {"version": "1"})
    assert response.status_code == 302
    body.refresh_from_db()
    assert body.ended_on == timezone.localdate()
    assert ChangeEvent.objects.filter(target_id=str(body.pk), verb=ChangeVerb.ENDED).exists()
    # The nightly job drafts nothing for it; nobody drafts by hand either.
    assert services.draft_due_packs(date(2026, 6, 10)).startswith("0 board packs")
    with pytest.raises(ApplicationError, match="stood down"):
        services.pack_draft(
            by=world.analyst_eve, body=body, period_start=date(2026, 5, 1),
            period_end=date(2026, 5, 31),
        )  # fmt: skip
    assert Pack.objects.filter(body=body).count() == 1
    # Not changed again, nor stood down twice.
    assert client.get(reverse("boards:body-change", args=[body.pk])).status_code == 403
    with pytest.raises(ApplicationError):
        services.body_end(by=world.sm_dan, body=body)
    page = client.get(reverse("boards:body", args=[body.pk])).content.decode()
    assert "Stood down on" in page and "Stood down from" in page
    assert reverse("boards:body-change", args=[body.pk]) not in page
    # It raises no more questions, on its page or through the service.
    assert not permissions.can(world.sm_dan, permissions.Action.RAISE, body)
    with pytest.raises(ApplicationError, match="stood down"):
        services.challenge_raise(
            by=world.sm_dan, body=body, raised_on=date(2026, 5, 1), question="Why?",
            officer=world.tm_carol, due_date=date(2026, 6, 1),
        )  # fmt: skip
    # Its members still read it and its published packs.
    client.force_login(world.board_bea)
    assert "Stood down" in client.get(reverse("boards:bodies")).content.decode()
    assert client.get(reverse("boards:body", args=[body.pk])).status_code == 200
    assert client.get(reverse("boards:pack", args=[published.pk])).status_code == 200


def test_a_stale_or_malformed_stand_down_is_refused(world, client):
    body = _body(world)
    services.body_change(by=world.analyst_eve, body=body, version=1, purpose="Changed.")
    client.force_login(world.sm_dan)
    before = _stored(body)
    response = client.post(reverse("boards:body-end", args=[body.pk]), {"version": "1"})
    assert response.status_code == 409
    for bad in ("x", "1\x00", "-1", "' OR 1=1--"):
        response = client.post(reverse("boards:body-end", args=[body.pk]), {"version": bad})
        assert response.status_code in (200, 400)
        assert "There is a problem" in response.content.decode()
    assert _stored(body) == before


# -- Named officers -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["police_pat", "voluntary_val", "sw_amy"])
def test_a_named_officer_reads_the_draft_writes_commentary_and_answers(world, client, who):
    officer = getattr(world, who)
    child = reverse("people:detail", args=[world.child_sam.pk])
    client.force_login(officer)
    child_before = client.get(child).status_code
    body = _body(world, officers=[officer])
    other = services.body_create(by=world.analyst_eve, name="Cabinet")
    draft = services.pack_draft(
        by=world.analyst_eve, body=body, period_start=APRIL[0], period_end=APRIL[1]
    )
    question = services.challenge_raise(
        by=world.analyst_eve, body=body, raised_on=date(2026, 5, 12), question="Why so few?",
        officer=officer, due_date=date(2026, 6, 9),
    )  # fmt: skip
    listed = client.get(reverse("boards:bodies")).content.decode()
    assert body.name in listed and "Cabinet" not in listed
    page = client.get(reverse("boards:body", args=[body.pk])).content.decode()
    assert reverse("boards:pack", args=[draft.pk]) in page  # the draft is listed
    page = client.get(reverse("boards:pack", args=[draft.pk])).content.decode()
    assert "Write commentary" in page
    response = client.post(
        reverse("boards:commentary", args=[draft.pk]),
        {"section": "indicators", "text": "Referrals to us rose in April."},
    )
    assert response.status_code == 302
    assert Commentary.objects.get(pack=draft).author == officer
    assert client.get(reverse("boards:challenges", args=[body.pk])).status_code == 200
    response = client.post(
        reverse("boards:challenge-answer", args=[question.pk]), {"answer": "Two chairs were off."}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answer == "Two chairs were off."
    # Published, their pack is read; what they do not serve stays hidden; no more children.
    published = services.pack_publish(by=world.sm_dan, pack=draft)
    assert client.get(reverse("boards:pack", args=[published.pk])).status_code == 200
    assert client.get(reverse("boards:pack-pdf", args=[published.pk])).status_code == 200
    assert client.get(reverse("boards:body", args=[other.pk])).status_code == 404
    assert client.post(reverse("boards:publish", args=[draft.pk])).status_code in (403, 404)
    assert client.get(reverse("boards:body-change", args=[body.pk])).status_code == 403
    assert client.get(child).status_code == child_before


def test_an_officer_removed_loses_the_draft(world, client):
    body = _body(world, officers=[world.police_pat])
    draft = services.pack_draft(
        by=world.analyst_eve, body=body, period_start=APRIL[0], period_end=APRIL[1]
    )
    client.force_login(world.police_pat)
    assert client.get(reverse("boards:pack", args=[draft.pk])).status_code == 200
    services.body_change(by=world.analyst_eve, body=body, officers=[world.tm_carol])
    assert client.get(reverse("boards:pack", args=[draft.pk])).status_code == 404
    assert client.get(reverse("boards:body", args=[body.pk])).status_code == 404


def test_a_board_member_still_never_sees_a_draft(world, client):
    body = _body(world)
    draft = services.pack_draft(
        by=world.analyst_eve, body=body, period_start=APRIL[0], period_end=APRIL[1]
    )
    client.force_login(world.board_bea)
    assert client.get(reverse("boards:pack", args=[draft.pk])).status_code == 404


# -- Published at a given moment ----------------------------------------------------------


def _pdf_text(pdf: bytes) -> str:
    """The text drawn in a reportlab PDF: its content streams (ASCII85, then deflated)."""
    out = []
    for found in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        data = found.group(1).strip()
        if data.endswith(b"~>"):
            out.append(zlib.decompress(base64.a85decode(data[:-2])).decode("latin-1"))
    return "".join(out)


def test_a_pack_published_at_a_moment_says_that_moment_and_stays_frozen(world):
    body = _body(world)
    draft = services.pack_draft(
        by=world.analyst_eve, body=body, period_start=APRIL[0], period_end=APRIL[1]
    )
    at = datetime(2026, 5, 13, 10, 0, tzinfo=LONDON)
    pack = services.pack_publish(by=world.sm_dan, pack=draft, at=at)
    assert pack.status == PackStatus.PUBLISHED and pack.published_at == at
    assert "published 13 May 2026 10:00" in pack.html
    assert "13 May 2026 10:00" in _pdf_text(bytes(pack.pdf))
    stored = Pack.objects.get(pk=pack.pk)
    assert stored.published_at == at
    with pytest.raises(DatabaseError), transaction.atomic():
        Pack.objects.filter(pk=pack.pk).update(published_at=timezone.now())
    assert Pack.objects.get(pk=pack.pk).published_at == at


@pytest.mark.parametrize(
    "at",
    [
        datetime(2026, 4, 30, 18, 0, tzinfo=LONDON),  # within its period
        datetime(2099, 1, 1, 10, 0, tzinfo=LONDON),  # in the future
        datetime(2026, 5, 13, 10, 0),  # naive: no time zone
    ],
)
def test_a_pack_is_not_published_at_a_moment_it_could_not_be(world, at):
    draft = services.pack_draft(
        by=world.analyst_eve, body=_body(world), period_start=APRIL[0], period_end=APRIL[1]
    )
    with pytest.raises(ApplicationError):
        services.pack_publish(by=world.sm_dan, pack=draft, at=at)
    assert Pack.objects.get(pk=draft.pk).status == PackStatus.DRAFT


def test_a_pack_published_now_says_today(world):
    draft = services.pack_draft(
        by=world.analyst_eve, body=_body(world), period_start=APRIL[0], period_end=APRIL[1]
    )
    pack = services.pack_publish(by=world.sm_dan, pack=draft)
    assert timezone.now() - pack.published_at < timedelta(minutes=5)


# -- Query counts -------------------------------------------------------------------------


def test_the_bodies_list_reads_a_fixed_number_of_queries(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.analyst_eve)
    for first, n in ((0, 1), (1, 4)):
        for i in range(first, first + n):
            made = services.body_create(
                by=world.analyst_eve, name=f"Panel {i}", members=[world.board_bea],
                officers=[world.tm_carol],
            )  # fmt: skip
            if i % 2:
                services.body_end(by=world.sm_dan, body=made)
        with django_assert_max_num_queries(10):
            page = client.get(reverse("boards:bodies"))
        assert page.status_code == 200 and f"Panel {first + n - 1}" in page.content.decode()


def test_the_body_page_with_its_history_reads_a_fixed_number_of_queries(
    world, client, django_assert_max_num_queries
):
    body = _body(world)
    client.force_login(world.sm_dan)
    people = [world.sm_dan, world.police_pat, world.voluntary_val, world.sw_amy, world.tm_carol]
    for first, n in ((0, 1), (1, 4)):
        for i in range(first, first + n):
            services.body_change(
                by=world.analyst_eve, body=body, officers=people[: i + 1], pack_day=1 + i
            )
            pack = services.pack_draft(
                by=world.analyst_eve, body=body, period_start=date(2020 + i, 1, 1),
                period_end=date(2020 + i, 1, 31), notify_officers=False,
            )  # fmt: skip
            if i % 2:
                services.pack_publish(by=world.sm_dan, pack=pack)
        with django_assert_max_num_queries(16):
            page = client.get(reverse("boards:body", args=[body.pk]))
        assert page.status_code == 200
        assert page.content.decode().count("Changed</strong>") == first + n
