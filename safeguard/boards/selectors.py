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
