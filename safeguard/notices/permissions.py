"""The notices policy: a notice is for the member of staff it was sent to, and no one else."""

from django.db.models import QuerySet

from safeguard.notices.models import Notice


def visible_to(user) -> QuerySet[Notice]:
    if not (user.is_authenticated and user.is_active):
        return Notice.objects.none()
    return Notice.objects.filter(user=user)


def can(user, action: str, notice: Notice | None = None) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if action == "list":
        return True
    if action == "read":
        return notice is not None and notice.user_id == user.pk
    return False
