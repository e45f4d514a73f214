"""Sending notices: one in-app notice per member of staff, and the same by email.

Notices are messages, not records: no ``ChangeEvent`` is written for them (the action that
sends one writes its own). The email goes through Django's mail (``EMAIL_BACKEND``) once the
transaction that made the notice commits: an action refused or undone after its notice was
made (an access log that could not be written, a later step refused) sends no email, as it
keeps no notice. A failure to send is logged and does not undo the notice or the action.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from safeguard.notices.models import Notice

log = logging.getLogger(__name__)


@transaction.atomic
def notify(*, users, subject: str, body: str, url: str = "") -> list[Notice]:
    """Send ``subject`` and ``body`` to each of ``users`` (once each, active users only)."""
    unique = {u.pk: u for u in users if u is not None and u.is_active}
    notices = Notice.objects.bulk_create(
        [Notice(user=u, subject=subject[:200], body=body, url=url[:300]) for u in unique.values()]
    )
    link = f"\n\n{settings.SAFEGUARD_BASE_URL}{url}" if url else ""
    emails = [(user.pk, user.email) for user in unique.values() if user.email]
    if emails:
        transaction.on_commit(lambda: _send(subject, body + link, emails))
    return notices


def _send(subject: str, text: str, emails: list[tuple]) -> None:
    for user_id, address in emails:
        try:
            send_mail(subject, text, None, [address], fail_silently=False)
        except Exception:  # a mail server down must not undo the notice
            log.exception("Could not email notice to user %s", user_id)


@transaction.atomic
def notice_mark_read(*, by, notice: Notice) -> Notice:
    if notice.user_id != by.pk:
        raise PermissionError("Not your notice")
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


@transaction.atomic
def notices_mark_all_read(*, by) -> int:
    return Notice.objects.filter(user=by, read_at__isnull=True).update(read_at=timezone.now())
