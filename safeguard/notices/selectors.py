from django.db.models import Count, QuerySet, Window
from django.http import Http404

from safeguard.notices import permissions
from safeguard.notices.models import Notice

LIST_LIMIT = 100


def notices_for(*, user) -> QuerySet[Notice]:
    """The user's notices, unread first, newest first."""
    return permissions.visible_to(user).order_by("read_at", "-created_at")[:LIST_LIMIT]


def unread_count(*, user) -> int:
    return permissions.visible_to(user).filter(read_at__isnull=True).count()


def notice_for(*, user, notice_id: int) -> Notice:
    notice = permissions.visible_to(user).filter(pk=notice_id).first()
    if notice is None:
        raise Http404("No such notice")
    return notice


def unread_for(*, user, limit: int = 5) -> list[Notice]:
    """The user's newest unread notices, for the home page."""
    return list(permissions.visible_to(user).filter(read_at__isnull=True)[:limit])


def unread_summary(*, user, limit: int = 5) -> tuple[int, list[Notice]]:
    """How many notices ``user`` has not read, and the newest ``limit`` of them, in one query
    (the count is a window over the unread, read with the first rows): the home page's."""
    newest = list(
        permissions.visible_to(user)
        .filter(read_at__isnull=True)
        .annotate(_unread=Window(Count("pk")))[:limit]
    )
    return (newest[0]._unread if newest else 0), newest
