"""The notices policy: a notice is for the member of staff it was sent to, and no one else."""

from enum import StrEnum

from django.db.models import QuerySet

from safeguard.notices.models import Notice


class Action(StrEnum):
    LIST = "list"  # one's own notices
    READ = "read"  # a Notice: open it, mark it read


def visible_to(user) -> QuerySet[Notice]:
    if not (user.is_authenticated and user.is_active):
        return Notice.objects.none()
    return Notice.objects.filter(user=user)


def can(user, action: Action, obj: Notice | None = None) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    match action:
        case Action.LIST:
            return True
        case Action.READ:
            return obj is not None and obj.user_id == user.pk
    return False
