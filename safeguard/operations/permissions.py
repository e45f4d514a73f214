"""Who may see how the installation is set up: the system administrators (of any authority,
since the settings are the installation's). Nobody else: the list names weaknesses.

Who may administer an authority's teams and read its administration history: its own system
administrators (decision 0037). Social care staff never may, and nobody authorises an
administrator's change: each is recorded, by name, in the history the others read."""

from enum import StrEnum

from django.db.models import QuerySet

from safeguard.accounts.models import LocalAuthority
from safeguard.accounts.roles import ADMINISTRATOR_ROLES, is_social_care_staff


class Action(StrEnum):
    VIEW_SETUP = "view_setup"  # the list of what stands between this and live use
    ADMINISTER = "administer"  # the authority's teams, and the history of its administration


def can(user, action: Action, obj=None) -> bool:
    if action == Action.VIEW_SETUP:
        return is_social_care_staff(user, roles=ADMINISTRATOR_ROLES)
    if action == Action.ADMINISTER:
        # ``obj``: the team or agency, which must be of the administrator's own authority.
        authority_id = None if obj is None else getattr(obj, "agency", obj).authority_id
        return is_social_care_staff(user, roles=ADMINISTRATOR_ROLES, authority_id=authority_id)
    return False


def visible_to(user) -> QuerySet[LocalAuthority]:
    """The authorities whose set-up the user may see: every one, for an administrator."""
    if not can(user, Action.VIEW_SETUP):
        return LocalAuthority.objects.none()
    return LocalAuthority.objects.all()
