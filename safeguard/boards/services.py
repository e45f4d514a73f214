"""Writes of the boards app (decision 0084): bodies, packs (drafted, commented, published,
corrected) and challenges. Each runs in a transaction and records its change event."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.roles import READ_ONLY_ROLES
from safeguard.audit.models import ChangeVerb
from safeguard.audit.services import record_change, save_change, save_new, snapshot
from safeguard.boards import documents, permissions
from safeguard.boards.models import (
    Body,
    Challenge,
    ChallengeStatus,
    Commentary,
    Pack,
    PackStatus,
)
from safeguard.boards.packs import section as registered_section
from safeguard.boards.permissions import Action
from safeguard.boards.selectors import build_pack, render_pack
from safeguard.core.concurrency import expect_version
from safeguard.core.errors import ApplicationError
from safeguard.notices.services import notify
from safeguard.performance.indicators import BY_ID


def _refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise ApplicationError(message)


def month_before(day: date) -> tuple[date, date]:
    """The calendar month before the one holding ``day``: a monthly pack's period."""
    end = day.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


# -- Bodies -------------------------------------------------------------------------------


def _body_values(
    *, authority_id, name, purpose, pack_day, indicators, sections, members, officers, exclude=None
) -> dict:
    """The checked values of a body, or ``ApplicationError`` naming what is wrong."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError("Enter the body's name.", field="name")
    try:
        pack_day = int(pack_day)
    except (TypeError, ValueError):
        pack_day = 0
    if not 1 <= pack_day <= 28:
        raise ApplicationError("Choose a day of the month from 1 to 28.", field="pack_day")
    indicators, sections = list(indicators), list(sections)
    unknown = [i for i in indicators if i not in BY_ID]
    if unknown:
        raise ApplicationError(f"No such indicator: {', '.join(unknown)}.", field="indicators")
    unknown = [s for s in sections if registered_section(s) is None]
    if unknown:
        raise ApplicationError(
            f"No such section of a pack: {', '.join(unknown)}.", field="sections"
        )
    same = Body.objects.filter(authority_id=authority_id, name=name)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise ApplicationError("There is a body of that name already.", field="name")
    members, officers = list(members), list(officers)
    if any(p.agency is None or p.agency.authority_id != authority_id for p in members):
        raise ApplicationError("Members must be people of the authority.", field="members")
    if any(
        p.agency is None
        or p.agency.authority_id != authority_id
        or not p.is_active
        or p.role in READ_ONLY_ROLES
        for p in officers
    ):
        raise ApplicationError(
            "Named officers must be active staff of the authority (not board members or "
            "inspectors).",
            field="officers",
        )
    return {
        "name": name,
        "purpose": (purpose or "").strip(),
        "pack_day": pack_day,
        "indicators": indicators,
        "sections": sections,
        "members": members,
        "officers": officers,
    }


@transaction.atomic
def body_create(
    *,
    by,
    name: str,
    purpose: str = "",
    pack_day: int = 10,
    indicators=(),
    sections=(),
    members=(),
    officers=(),
) -> Body:
    """A board or panel of the authority, its pack's day, indicators and sections, its
    members and named officers: by service managers and analysts. Its change event is
    written once the members and officers are set, so it names them."""
    _refuse_unless(
        permissions.can(by, Action.SET_UP),
        "Only service managers and performance analysts set up boards.",
    )
    authority_id = by.agency.authority_id
    values = _body_values(
        authority_id=authority_id, name=name, purpose=purpose, pack_day=pack_day,
        indicators=indicators, sections=sections, members=members, officers=officers,
    )  # fmt: skip
    members, officers = values.pop("members"), values.pop("officers")
    body = Body(authority_id=authority_id, created_by=by, updated_by=by, **values)
    body.save()
    body.members.set(members)
    body.officers.set(officers)
    record_change(by=by, verb=ChangeVerb.CREATED, obj=body, before=None)
    return body


@transaction.atomic
def body_change(*, by, body: Body, version: int | None = None, **values) -> Body:
    """Change a body's details, indicators, sections, members and named officers; refused if
    someone changed it since ``version`` was read. The change event holds the members and
    officers before and after, which the body's history reads (who was added or removed, by
    whom). A body stood down is not changed."""
    body = Body.objects.select_for_update().get(pk=body.pk)
    _refuse_unless(
        permissions.can(by, Action.CHANGE, body),
        "Only service managers and performance analysts change a body that has not been "
        "stood down.",
    )
    expect_version(body, version)
    current = {
        "name": body.name, "purpose": body.purpose, "pack_day": body.pack_day,
        "indicators": body.indicators, "sections": body.sections,
        "members": list(body.members.all()), "officers": list(body.officers.all()),
    }  # fmt: skip
    checked = _body_values(authority_id=body.authority_id, exclude=body, **{**current, **values})
    members, officers = checked.pop("members"), checked.pop("officers")
    before = snapshot(body)
    for name, value in checked.items():
        setattr(body, name, value)
    body.members.set(members)
    body.officers.set(officers)
    save_change(body, by=by, before=before)
    return body


@transaction.atomic
def body_end(*, by, body: Body, version: int | None = None, on: date | None = None) -> Body:
    """Stand a body down (from ``on``, today unless said): the nightly job drafts no more of
    its packs; the body, its packs and its challenge log stay readable."""
    body = Body.objects.select_for_update().get(pk=body.pk)
    _refuse_unless(
        permissions.can(by, Action.CHANGE, body),
        "Only service managers and performance analysts stand down a body that is still sitting.",
    )
    expect_version(body, version)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ApplicationError("A body is stood down today or in the past.")
    before = snapshot(body)
    body.ended_on = on
    save_change(body, by=by, before=before, verb=ChangeVerb.ENDED)
    return body


# -- Packs --------------------------------------------------------------------------------


@transaction.atomic
def pack_draft(*, by, body: Body, period_start: date, period_end: date, notify_officers=True):
    """Draft a body's pack for a period (the first edition); its officers are told to write
    their commentary. ``by`` is None for the nightly job."""
    if by is not None:
        _refuse_unless(
            permissions.can(by, Action.DRAFT, body),
            "Only service managers and analysts draft a pack.",
        )
    if body.is_ended:
        raise ApplicationError("This body has been stood down: it has no more packs.")
    if period_end < period_start:
        raise ApplicationError("The period must end on or after its start.")
    if Pack.objects.filter(body=body, period_start=period_start, period_end=period_end).exists():
        raise ApplicationError("This body has a pack for that period already.")
    pack = Pack(body=body, period_start=period_start, period_end=period_end)
    save_new(pack, by=by)
    if notify_officers:
        notify(
            users=list(body.officers.all()),
            subject=f"{body.name}: the pack for {period_start:%B %Y} is ready for commentary",
            body="The draft pack is ready. Write your commentary on its sections before it is "
            "published to the members.",
            url=reverse("boards:pack", args=[pack.pk]),
        )
    return pack


def _draft(pack: Pack) -> Pack:
    locked = Pack.objects.select_for_update().get(pk=pack.pk)
    if locked.status != PackStatus.DRAFT:
        raise ApplicationError("This pack has been published: it is never changed. Correct it.")
    return locked


@transaction.atomic
def commentary_write(*, by, pack: Pack, section: str, text: str) -> Commentary:
    """A named officer's commentary on one section of a draft pack (rewritten while draft)."""
    pack = _draft(pack)
    _refuse_unless(
        permissions.can(by, Action.COMMENT, pack),
        "Only the body's named officers write commentary.",
    )
    if registered_section(section) is None:
        raise ApplicationError("Choose a section of the pack.", field="section")
    text = (text or "").strip()
    if not text:
        raise ApplicationError("Write the commentary.", field="text")
    found = Commentary.objects.filter(pack=pack, section=section).first()
    if found is None:
        found = Commentary(pack=pack, section=section, text=text, author=by)
        save_new(found, by=by)
    else:
        before = snapshot(found)
        found.text, found.author = text, by
        save_change(found, by=by, before=before)
    return found


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@transaction.atomic
def pack_publish(*, by, pack: Pack, at: datetime | None = None) -> Pack:
    """Publish a draft: its sections are built now, rendered as HTML and PDF with their
    hashes and frozen; the members are sent it. A service manager publishes.

    ``at`` (from code only: the demo, back-filling a year of packs) is the moment the pack
    says it was published, now unless said; it is after the pack's period and not in the
    future. The change event keeps the moment it was written."""
    pack = _draft(pack)
    _refuse_unless(
        permissions.can(by, Action.PUBLISH, pack), "Only a service manager publishes a pack."
    )
    before = snapshot(pack)
    now = timezone.now()
    if at is not None:
        if timezone.is_naive(at):
            raise ApplicationError("Give the moment of publication with its time zone.")
        if at > now or timezone.localtime(at).date() <= pack.period_end:
            raise ApplicationError(
                "A pack is published after its period ends and not in the future."
            )
        now = at
    built = build_pack(pack)
    pack.html = render_pack(pack, built, published_at=now)
    pack.pdf = documents.pack_pdf(pack, built, published_at=now)
    pack.html_sha256 = _sha256(pack.html.encode())
    pack.pdf_sha256 = _sha256(bytes(pack.pdf))
    pack.status = PackStatus.PUBLISHED
    pack.published_at = now
    pack.published_by = by
    save_change(pack, by=by, before=before)
    what = "A correction of" if pack.supersedes_id else "The pack for"
    notify(
        users=list(pack.body.members.all()),
        subject=f"{pack.body.name}: {what.lower()} the {pack.period_start:%B %Y} pack",
        body=f"{what} {pack.period_start:%B %Y} has been published for {pack.body.name}."
        + (
            f" It corrects edition {pack.edition - 1}: {pack.correction_reason}"
            if pack.supersedes_id
            else ""
        ),
        url=reverse("boards:pack", args=[pack.pk]),
    )
    return pack


@transaction.atomic
def pack_correct(*, by, pack: Pack, reason: str) -> Pack:
    """A new draft edition of a published pack, which supersedes it once published; both are
    kept. Its commentary starts from the published edition's."""
    pack = Pack.objects.select_for_update().get(pk=pack.pk)
    _refuse_unless(
        permissions.can(by, Action.CORRECT, pack),
        "Only a service manager corrects the latest published edition of a pack.",
    )
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Say what the correction puts right.", field="reason")
    corrected = Pack(
        body=pack.body,
        period_start=pack.period_start,
        period_end=pack.period_end,
        edition=pack.edition + 1,
        supersedes=pack,
        correction_reason=reason,
    )
    save_new(corrected, by=by)
    for old in pack.commentary.all():
        save_new(
            Commentary(pack=corrected, section=old.section, text=old.text, author=old.author),
            by=by,
        )
    return corrected


def draft_due_packs(today: date | None = None) -> str:
    """The nightly job: each body whose pack day has come this month gets its pack for last
    month drafted, if it has none, and its officers are told. Returns what it did."""
    today = today or timezone.localdate()
    start, end = month_before(today)
    made = 0
    for body in Body.objects.filter(pack_day__lte=today.day, ended_on__isnull=True).exclude(
        packs__period_start=start, packs__period_end=end
    ):
        pack_draft(by=None, body=body, period_start=start, period_end=end)
        made += 1
    return f"{made} board pack{'s' if made != 1 else ''} drafted for {start:%B %Y}"


# -- Challenge and response ---------------------------------------------------------------


@transaction.atomic
def challenge_raise(*, by, body: Body, raised_on: date, question: str, officer, due_date: date):
    """Record a question the body raised at its meeting, for an officer to answer by a
    date; the officer is told. A body stood down raises none."""
    if body.ended_on is not None:
        raise ApplicationError(
            f"{body.name} was stood down on {body.ended_on:%-d %B %Y}: it raises no questions."
        )
    _refuse_unless(
        permissions.can(by, Action.RAISE, body),
        "Only service managers and analysts record a body's questions.",
    )
    question = (question or "").strip()
    if not question:
        raise ApplicationError("Write the question.", field="question")
    if raised_on > timezone.localdate():
        raise ApplicationError("The meeting cannot be in the future.", field="raised_on")
    if due_date < raised_on:
        raise ApplicationError(
            "The answer cannot be due before the meeting that asked for it.", field="due_date"
        )
    if (
        officer is None
        or not officer.is_active
        or officer.agency is None
        or officer.agency.authority_id != body.authority_id
        or officer.role in READ_ONLY_ROLES
    ):
        raise ApplicationError("Choose an officer of the authority to answer.", field="officer")
    challenge = Challenge(
        body=body, raised_on=raised_on, question=question, officer=officer, due_date=due_date
    )
    save_new(challenge, by=by)
    notify(
        users=[officer],
        subject=f"{body.name} asks you a question, to answer by {due_date:%-d %B %Y}",
        body=question,
        url=reverse("boards:challenge-answer", args=[challenge.pk]),
    )
    return challenge


@transaction.atomic
def challenge_answer(*, by, challenge: Challenge, answer: str, on: date | None = None):
    """The officer's answer (``on``: the day it was given, today unless said)."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    _refuse_unless(
        permissions.can(by, Action.ANSWER, challenge),
        "Only the officer the question was put to answers it, while it is open.",
    )
    answer = (answer or "").strip()
    if not answer:
        raise ApplicationError("Write the answer.", field="answer")
    on = on or timezone.localdate()
    if on > timezone.localdate() or on < challenge.raised_on:
        raise ApplicationError("The answer is given between the meeting and today.")
    before = snapshot(challenge)
    challenge.answer = answer
    challenge.answered_on = on
    challenge.status = ChallengeStatus.ANSWERED
    save_change(challenge, by=by, before=before)
    return challenge


@transaction.atomic
def challenge_close(
    *,
    by,
    challenge: Challenge,
    accepted: bool,
    further: str = "",
    due_date: date | None = None,
    on: date | None = None,
):
    """The body's verdict on an answer: accepted (closed), or challenged further (closed, and
    a new question follows it, to the same officer)."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    _refuse_unless(
        permissions.can(by, Action.CLOSE, challenge),
        "An answered question is closed by a service manager or analyst, never by the "
        "officer who answered it.",
    )
    today = on or timezone.localdate()
    if today > timezone.localdate() or today < challenge.answered_on:
        raise ApplicationError("The body's view is given between the answer and today.")
    if not accepted:
        if not (further or "").strip():
            raise ApplicationError("Write the further question.", field="further")
        if due_date is None or due_date < today:
            raise ApplicationError("Give a due date from today.", field="due_date")
    before = snapshot(challenge)
    challenge.status = ChallengeStatus.ACCEPTED if accepted else ChallengeStatus.FURTHER
    challenge.closed_on = today
    save_change(challenge, by=by, before=before)
    if accepted:
        return challenge
    follow = Challenge(
        body=challenge.body,
        raised_on=today,
        question=further.strip(),
        officer=challenge.officer,
        due_date=due_date,
        follows=challenge,
    )
    save_new(follow, by=by)
    notify(
        users=[challenge.officer],
        subject=f"{challenge.body.name} challenges your answer further",
        body=further.strip(),
        url=reverse("boards:challenge-answer", args=[follow.pk]),
    )
    return follow
