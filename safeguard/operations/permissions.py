"""Who may see how the installation is set up: the system administrators (of any authority,
since the settings are the installation's). Nobody else: the list names weaknesses."""

from enum import StrEnum

from django.db.models import QuerySet

from safeguard.accounts.models import LocalAuthority
from safeguard.accounts.roles import ADMINISTRATOR_ROLES, is_social_care_staff


class Action(StrEnum):
    VIEW_SETUP = "view_setup"  # the list of what stands between this and live use


def can(user, action: Action, obj=None) -> bool:
    if action == Action.VIEW_SETUP:
        return is_social_care_staff(user, roles=ADMINISTRATOR_ROLES)
    return False


def visible_to(user) -> QuerySet[LocalAuthority]:
    """The authorities whose set-up the user may see: every one, for an administrator."""
    if not can(user, Action.VIEW_SETUP):
        return LocalAuthority.objects.none()
    return LocalAuthority.objects.all()
