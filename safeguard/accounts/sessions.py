"""Signed-in sessions: when they started, and ending all of a user's sessions at once."""

import logging
from datetime import datetime

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from safeguard.accounts.models import SignedInSession, User

logger = logging.getLogger("safeguard.auth")

# The session keeps the time of signing in (ISO 8601, UTC) for the absolute limit.
SIGNED_IN_AT = "safeguard_signed_in_at"


def record_sign_in(request, user) -> None:
    """Note the time of signing in in the session, and the session against the user."""
    now = timezone.now()
    request.session[SIGNED_IN_AT] = now.isoformat()
    request.session[RENEWED_AT] = int(now.timestamp())
    if request.session.session_key is None:
        request.session.save()
    SignedInSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={"user": user, "signed_in_at": now},
    )


def renew_session_key(request) -> None:
    """Give the session a new id (after the second factor), keeping the record of it."""
    old = request.session.session_key
    request.session.cycle_key()
    new = request.session.session_key
    SignedInSession.objects.filter(session_key=old).update(session_key=new)


def forget_session(session_key: str | None) -> None:
    if session_key:
        SignedInSession.objects.filter(session_key=session_key).delete()


# When the session was last renewed (seconds since the epoch): see ``renew_if_due``.
RENEWED_AT = "safeguard_renewed_at"


def renew_if_due(request) -> None:
    """Push the session's idle expiry on, at most once every SAFEGUARD_SESSION_RENEW_SECONDS.

    Writing the key marks the session modified, so the session middleware saves it with a
    new expiry and sends a new cookie; in between, a request changes nothing. The session
    lives SESSION_COOKIE_AGE (the idle limit plus that interval) from its last renewal, so it
    never ends sooner than the idle limit after the last request.
    """
    now = int(timezone.now().timestamp())
    last = request.session.get(RENEWED_AT)
    if not isinstance(last, int) or now - last >= settings.SAFEGUARD_SESSION_RENEW_SECONDS:
        request.session[RENEWED_AT] = now


def signed_in_at(request) -> datetime | None:
    value = request.session.get(SIGNED_IN_AT)
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def absolute_limit_passed(request) -> bool:
    """Whether the session began too long ago (or its start is unknown)."""
    started = signed_in_at(request)
    if started is None:
        return True
    age = (timezone.now() - started).total_seconds()
    return age >= settings.SAFEGUARD_SESSION_ABSOLUTE_SECONDS


def end_sessions(user: User, *, reason: str) -> int:
    """End every session the user is signed in with; returns how many were ended."""
    with transaction.atomic():
        keys = list(
            SignedInSession.objects.filter(user=user).values_list("session_key", flat=True)
        )
        Session.objects.filter(session_key__in=keys).delete()
        SignedInSession.objects.filter(user=user).delete()
    logger.warning("Ended %d session(s) of %s: %s", len(keys), user.get_username(), reason)
    return len(keys)
