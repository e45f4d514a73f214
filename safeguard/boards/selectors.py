"""Reads of the boards app (decision 0084): the bodies a user may read, a pack built from
its sections, a body's packs and challenge log. Each access function checks the policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.loader import render_to_string

from safeguard.boards import packs, permissions, suppression
from safeguard.boards.models import Body, Challenge, ChallengeStatus, Pack, PackStatus
from safeguard.boards.permissions import Action


@dataclass
class BuiltSection:
    section: packs.Section
    context: dict
    commentary: object | None  # a Commentary, or None


def build_pack(pack: Pack) -> list[BuiltSection]:
    """Each of the body's sections for the pack's period, with the officers' commentary."""
    said = {c.section: c for c in pack.commentary.select_related("author")}
    return [
        BuiltSection(s, s.build(pack.body, pack.period_start, pack.period_end), said.get(s.key))
        for s in packs.sections_of(pack.body)
    ]


def render_pack(pack: Pack, built: list[BuiltSection], *, published_at=None) -> str:
    """The pack's content as HTML: what publication freezes, and a draft's page shows."""
    return render_to_string(
        "boards/_pack_content.html",
        {"pack": pack, "built": built, "published_at": published_at, "rule": suppression.RULE},
    )


def bodies_for(user) -> list[Body]:
    return list(permissions.visible_to(user).order_by("name"))


def access_body(*, user, body_id, action: Action = Action.VIEW) -> Body:
    body = permissions.visible_to(user).filter(pk=body_id).first()
    if body is None:
        raise Http404
    if not permissions.can(user, action, body):
        raise PermissionDenied
    return body


def access_pack(*, user, pack_id, action: Action = Action.VIEW) -> Pack:
    pack = (
        Pack.objects.filter(pk=pack_id, body__in=permissions.visible_to(user))
        .select_related("body", "supersedes", "published_by")
        .first()
    )
    if pack is None:
        raise Http404
    if not pack.is_published and not permissions.can(user, Action.VIEW_DRAFT, pack):
        # A draft is not there for a board member.
        raise Http404
    if not permissions.can(user, action, pack):
        raise PermissionDenied
    return pack


def access_challenge(*, user, challenge_id, action: Action) -> Challenge:
    challenge = Challenge.objects.filter(pk=challenge_id).select_related("body", "officer").first()
    if challenge is None or not (
        permissions.can(user, Action.VIEW, challenge.body) or challenge.officer_id == user.pk
    ):
        raise Http404
    if not permissions.can(user, action, challenge):
        raise PermissionDenied
    return challenge


def packs_of(*, user, body: Body) -> list[Pack]:
    """The body's packs, newest period first, each edition; drafts only for staff who may
    see them. One query."""
    qs = (
        Pack.objects.filter(body=body)
        .select_related("published_by")
        .order_by("-period_end", "-edition")
        .defer("html", "pdf")
    )
    if not permissions.can(user, Action.VIEW_DRAFT, body):
        qs = qs.filter(status=PackStatus.PUBLISHED)
    return list(qs)


def superseded_ids(packs_list: list[Pack]) -> set:
    return {p.supersedes_id for p in packs_list if p.supersedes_id}


@dataclass
class ChallengeLog:
    rows: list[Challenge]
    today: date

    @property
    def open(self) -> int:
        return sum(1 for c in self.rows if c.status == ChallengeStatus.OPEN)

    @property
    def overdue(self) -> int:
        return sum(1 for c in self.rows if c.is_overdue(self.today))

    @property
    def answered(self) -> int:
        return sum(1 for c in self.rows if c.status == ChallengeStatus.ANSWERED)

    @property
    def closed(self) -> int:
        return sum(
            1 for c in self.rows if c.status in (ChallengeStatus.ACCEPTED, ChallengeStatus.FURTHER)
        )


def challenge_log(*, body: Body, today: date) -> ChallengeLog:
    """Every question the body raised, newest meeting first, with its officer. One query."""
    rows = list(
        Challenge.objects.filter(body=body)
        .select_related("officer", "follows")
        .order_by("-raised_on", "due_date", "created_at")
    )
    return ChallengeLog(rows, today)


def officers_to_answer(body: Body):
    """Who a question may be put to: the authority's active staff but read-only roles."""
    from safeguard.accounts.models import User
    from safeguard.accounts.roles import READ_ONLY_ROLES

    return (
        User.objects.filter(is_active=True, agency__authority_id=body.authority_id)
        .exclude(role__in=READ_ONLY_ROLES)
        .order_by("last_name", "first_name")
    )


def possible_members(authority_id):
    """Who may sit on a body: the authority's active people, board members first."""
    from django.db.models import Case, IntegerField, Value, When

    from safeguard.accounts.models import User
    from safeguard.accounts.roles import Role

    return (
        User.objects.filter(is_active=True, agency__authority_id=authority_id)
        .exclude(role=Role.INSPECTOR)
        .select_related("agency")
        .annotate(
            board_first=Case(
                When(role=Role.BOARD_MEMBER, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("board_first", "last_name", "first_name", "username")
    )


def possible_officers(authority_id):
    """Who may be a body's named officer: the authority's active staff but read-only roles."""
    from safeguard.accounts.models import User
    from safeguard.accounts.roles import READ_ONLY_ROLES

    return (
        User.objects.filter(is_active=True, agency__authority_id=authority_id)
        .exclude(role__in=READ_ONLY_ROLES)
        .select_related("agency")
        .order_by("last_name", "first_name", "username")
    )


@dataclass(frozen=True)
class HistoryLine:
    at: object
    who: str
    what: str
    changes: tuple[str, ...]


_FIELD_WORDS = {
    "name": "Name",
    "purpose": "Purpose",
    "pack_day": "Pack day",
    "indicators": "Indicators",
    "sections": "Sections",
}


def _names(ids, people) -> str:
    return ", ".join(sorted(people.get(str(i), "someone no longer listed") for i in ids))


def body_history(body: Body, limit: int = 50) -> list[HistoryLine]:
    """The body's change events, newest first, in plain words: set up, each change (the
    members and officers added or removed, by whom) and standing down. Two queries."""
    from safeguard.accounts.models import User
    from safeguard.audit.models import ChangeEvent, ChangeVerb

    events = list(
        ChangeEvent.objects.filter(target_type="boards.body", target_id=str(body.pk))
        .select_related("user")
        .order_by("-at", "-id")[:limit]
    )
    ids = set()
    for e in events:
        for snap in (e.before or {}, e.after or {}):
            ids.update(snap.get("members") or [])
            ids.update(snap.get("officers") or [])
    people = {
        str(u.pk): u.get_full_name() or u.username
        for u in User.objects.filter(pk__in=ids).only("id", "first_name", "last_name", "username")
    } if ids else {}  # fmt: skip
    lines = []
    for e in events:
        before, after = e.before or {}, e.after or {}
        changes = []
        if e.verb == ChangeVerb.CREATED:
            what = "Set up"
            for key, words in (("members", "Members"), ("officers", "Named officers")):
                if after.get(key):
                    changes.append(f"{words}: {_names(after[key], people)}")
        elif e.verb == ChangeVerb.ENDED:
            ended = after.get("ended_on")
            what = (
                f"Stood down from {date.fromisoformat(ended):%-d %B %Y}" if ended else "Stood down"
            )
        else:
            what = "Changed"
            for key, words in _FIELD_WORDS.items():
                if key not in after or before.get(key) == after.get(key):
                    continue
                if key in ("name", "pack_day"):
                    changes.append(f"{words}: from {before.get(key)} to {after.get(key)}")
                else:
                    changes.append(f"{words} changed")
            for key, words in (("members", "members"), ("officers", "named officers")):
                old, new = set(before.get(key) or []), set(after.get(key) or [])
                if new - old:
                    changes.append(f"Added to the {words}: {_names(new - old, people)}")
                if old - new:
                    changes.append(f"Removed from the {words}: {_names(old - new, people)}")
        who = (e.user.get_full_name() or e.user.username) if e.user else "Safeguard"
        lines.append(HistoryLine(at=e.at, who=who, what=what, changes=tuple(changes)))
    return lines
