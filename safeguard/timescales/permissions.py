"""Who may see the lists of what is due.

Any social care member of the authority may see their own list and any team's (colleagues
cover for each other: the 2009 inspection found records closed to colleagues when the case
holder was away). The whole service's list, unallocated cases included, is for those who
oversee work (``OVERSIGHT_ROLES``: team managers, service managers and analysts).

The list of children not seen within their standard (``SEE_UNSEEN``) is the same: those who
oversee work see it across the service and for any team; any other social care member sees
it for the teams they belong to (a social worker: their own team's children), never the
whole service's.

The early help queue (``SEE_EARLY_HELP_QUEUE``, issue 19 item 5) is for team and service
managers, who oversee early help across the authority (there is no early help coordinator
role: a coordinator is given a manager's role or works as a partner), and for partner
practitioners of the agencies that lead early help, who see their own agency's assessments
and teams around the family only (``partner_agency``).

``visible_to(user)`` is the teams whose lists the user may see: every team of their
authority for social care staff, none for anyone else. The rows of every list are then shown
through ``people.selectors.show_rows``, which leaves out the children the user may not see.
"""

from enum import StrEnum

from django.db.models import QuerySet

from safeguard.accounts.models import Team
from safeguard.accounts.roles import MANAGER_ROLES, OVERSIGHT_ROLES, is_social_care_staff
from safeguard.earlyhelp import permissions as early_help


class Action(StrEnum):
    SEE_OWN = "see_own"  # what is due on my cases
    SEE_TEAM = "see_team"  # what is due on a Team's cases
    SEE_SERVICE = "see_service"  # what is due across the service, and unallocated cases
    SEE_UNSEEN = "see_unseen"  # children not seen within their standard: obj a team, or None
    SEE_EARLY_HELP_QUEUE = "see_early_help_queue"  # the early help queue


def partner_agency(user):
    """The agency whose early help a partner practitioner sees on the queue; None for social
    care staff, who see the authority's."""
    if early_help.uses_early_help(user) and not is_social_care_staff(user):
        return user.agency
    return None


def can(user, action: Action, obj=None) -> bool:
    if action == Action.SEE_EARLY_HELP_QUEUE:
        return is_social_care_staff(user, roles=MANAGER_ROLES) or partner_agency(user) is not None
    if not is_social_care_staff(user):
        return False
    match action:
        case Action.SEE_OWN:
            return True
        case Action.SEE_TEAM:
            return obj is not None and obj.agency.authority_id == user.agency.authority_id
        case Action.SEE_SERVICE:
            return user.role in OVERSIGHT_ROLES
        case Action.SEE_UNSEEN:
            if obj is None:  # the page itself (filtered to the user's teams below oversight)
                return True
            if obj.agency.authority_id != user.agency.authority_id:
                return False
            return user.role in OVERSIGHT_ROLES or user.teams.filter(pk=obj.pk).exists()
    return False


def visible_to(user) -> QuerySet[Team]:
    """The teams whose due lists ``user`` may see (``can(user, Action.SEE_TEAM, team)``)."""
    if not is_social_care_staff(user):
        return Team.objects.none()
    return Team.objects.filter(agency__authority_id=user.agency.authority_id)
