"""Who may do what with boards, packs and challenges (decision 0084).

- The bodies, their published packs and their challenge logs are read by the body's members
  (board members, read-only: ``READ_ONLY_ROLES`` refuses them every POST), by those of
  children's social care who oversee the work (``OVERSIGHT_ROLES``) and by the body's named
  officers, whatever their role or agency (decision 0085). A board member sees only the
  bodies they sit on, and never a draft; a named officer sees the bodies they serve, their
  drafts too (to write the commentary), and nothing more than any other page gives them.
- Bodies are set up, changed and stood down by service managers and analysts
  (``SERVICE_WIDE_ROLES``); a body stood down is not changed again.
- Packs are drafted by the nightly job (or by service managers and analysts); a draft's
  commentary is written by the body's named officers; a service manager publishes it, which
  delivers it to the members; a published pack is corrected (a new edition) by a service
  manager. Nobody changes a published pack.
- Questions are recorded by service managers and analysts (what the body asked at its
  meeting; none once the body is stood down); answered by the officer they were assigned
  to; closed (accepted or challenged further) by a service manager or analyst other than
  the officer who answered.
"""

from enum import StrEnum

from django.db.models import QuerySet

from safeguard.accounts.roles import (
    OVERSIGHT_ROLES,
    READ_ONLY_ROLES,
    SERVICE_WIDE_ROLES,
    Role,
    is_social_care_staff,
)
from safeguard.boards.models import Body, Challenge, ChallengeStatus, Pack


class Action(StrEnum):
    SET_UP = "set_up"  # add a body
    CHANGE = "change"  # change a body, or stand it down
    VIEW = "view"  # a body, its published packs and challenge log
    VIEW_DRAFT = "view_draft"  # a pack still in draft
    DRAFT = "draft"  # draft a body's pack
    COMMENT = "comment"  # write commentary on a draft pack
    PUBLISH = "publish"  # publish a draft pack (and so deliver it)
    CORRECT = "correct"  # a new edition of a published pack
    RAISE = "raise"  # record a question the body raised
    ANSWER = "answer"  # answer a question assigned to you
    CLOSE = "close"  # accept an answer or challenge it further


def _staff(user, roles=OVERSIGHT_ROLES) -> bool:
    return is_social_care_staff(user, roles=roles)


def _member(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.agency_id is not None
        and user.role == Role.BOARD_MEMBER
    )


def _may_serve(user) -> bool:
    """Could ``user`` be a body's named officer: an active account of an agency, in no
    read-only role?"""
    return (
        user.is_authenticated
        and user.is_active
        and user.agency_id is not None
        and user.role not in READ_ONLY_ROLES
    )


def visible_to(user) -> QuerySet[Body]:
    """The bodies ``user`` may read: a member's own; every body of the authority for
    oversight staff; the bodies a named officer serves; none for anyone else."""
    if _member(user):
        return Body.objects.filter(members=user, authority_id=user.agency.authority_id)
    if _staff(user):
        return Body.objects.filter(authority_id=user.agency.authority_id)
    if _may_serve(user):
        return Body.objects.filter(officers=user, authority_id=user.agency.authority_id)
    return Body.objects.none()


def _body_of(obj):
    if isinstance(obj, Body):
        return obj
    if isinstance(obj, Pack | Challenge):
        return obj.body
    return None


def _officer(user, body) -> bool:
    """Is ``user`` one of ``body``'s named officers (of its authority, able to write)?"""
    return (
        body is not None
        and _may_serve(user)
        and body.authority_id == user.agency.authority_id
        and body.officers.filter(pk=user.pk).exists()
    )


def _sees(user, body) -> bool:
    if body is None:
        return False
    if _member(user):
        return (
            body.authority_id == user.agency.authority_id
            and body.members.filter(pk=user.pk).exists()
        )
    if _staff(user):
        return body.authority_id == user.agency.authority_id
    return _officer(user, body)


def can(user, action: Action, obj=None) -> bool:
    body = _body_of(obj)
    match action:
        case Action.VIEW:
            if isinstance(obj, Pack) and not obj.is_published:
                return can(user, Action.VIEW_DRAFT, obj)
            return _sees(user, body)
        case Action.VIEW_DRAFT:
            return (_staff(user) and _sees(user, body)) or _officer(user, body)
        case Action.SET_UP:
            return _staff(user, SERVICE_WIDE_ROLES)
        case Action.CHANGE:
            return (
                isinstance(obj, Body)
                and not obj.is_ended
                and _staff(user, SERVICE_WIDE_ROLES)
                and _sees(user, body)
            )
        case Action.DRAFT:
            return _staff(user, SERVICE_WIDE_ROLES) and _sees(user, body)
        case Action.COMMENT:
            return isinstance(obj, Pack) and not obj.is_published and _officer(user, body)
        case Action.PUBLISH:
            return (
                isinstance(obj, Pack)
                and not obj.is_published
                and user.role == Role.SERVICE_MANAGER
                and _sees(user, body)
            )
        case Action.CORRECT:
            return (
                isinstance(obj, Pack)
                and obj.is_published
                and user.role == Role.SERVICE_MANAGER
                and _sees(user, body)
                and not hasattr_superseded(obj)
            )
        case Action.RAISE:
            # A body stood down holds no more meetings: no new questions (its open ones are
            # still answered and closed).
            return (
                _staff(user, SERVICE_WIDE_ROLES) and _sees(user, body) and body.ended_on is None
            )
        case Action.ANSWER:
            return (
                isinstance(obj, Challenge)
                and obj.status == ChallengeStatus.OPEN
                and obj.officer_id == user.pk
                and user.is_active
                and body.authority_id == user.agency.authority_id
            )
        case Action.CLOSE:
            return (
                isinstance(obj, Challenge)
                and obj.status == ChallengeStatus.ANSWERED
                and obj.officer_id != user.pk
                and _staff(user, SERVICE_WIDE_ROLES)
                and _sees(user, body)
            )
    return False


def hasattr_superseded(pack: Pack) -> bool:
    """Has a later edition replaced this pack already (only the latest is corrected)?"""
    return Pack.objects.filter(supersedes=pack).exists()
