"""Who may see a team's caseload board.

- Those who answer for the whole service (``SERVICE_WIDE_ROLES``: service managers and
  performance analysts) see every team's board of their authority: caseloads are a figure
  the service publishes and acts on (domain.md §6, the employer standards).
- A team's manager sees its board, and so does the manager of any service or team above it
  (``Team.manager``, ``Team.parent``).
- Any member of a team who can hold cases (a social worker, a team manager) sees their own
  team's board: allocation is meant to be transparent, and colleagues cover for each other
  (decision 0031). Not another team's.
- Partners, administrators and everyone of another authority: never.

``visible_to(user)`` is the teams whose board the user may see; ``can`` asks it.

Posts (issue 14 item 7, decision 0044): a team's posts are seen by whoever sees its board
(``SEE_POSTS``); they are added, filled and vacated (``MANAGE_POSTS``) by the service
managers of the authority and the managers of the team or of a team or service above it;
never by the worker in the post, analysts, partners or administrators. The service's
vacancy, agency and turnover rates (``SEE_RATES``) are for those who answer for the whole
service (``SERVICE_WIDE_ROLES``).
"""

from enum import StrEnum

from django.db.models import Q, QuerySet

from safeguard.accounts.models import Team
from safeguard.accounts.roles import (
    MANAGER_ROLES,
    RECORDING_ROLES,
    SERVICE_WIDE_ROLES,
    Role,
    is_social_care_staff,
)
from safeguard.accounts.selectors import (  # noqa: F401  (managed_by: re-exported)
    MANAGEMENT_LEVELS,
    managed_by,
    social_care_teams,
)


class Action(StrEnum):
    SEE_BOARDS = "see_boards"  # the list of the boards the user may see (perhaps none)
    SEE_BOARD = "see_board"  # a team's caseload board: obj the team
    SEE_POSTS = "see_posts"  # a team's posts: obj the team
    MANAGE_POSTS = "manage_posts"  # add, fill and vacate a team's posts: obj the team
    SEE_RATES = "see_rates"  # the service's vacancy, agency and turnover rates



def visible_to(user) -> QuerySet[Team]:
    """The social care teams of the user's authority whose board the user may see."""
    if not is_social_care_staff(user):
        return Team.objects.none()
    teams = social_care_teams(user.agency.authority_id)
    if user.role in SERVICE_WIDE_ROLES:
        return teams
    own = Q(members=user) if user.role in RECORDING_ROLES else Q(pk__in=[])
    return teams.filter(own | managed_by(user)).distinct()


def can(user, action: Action, obj=None) -> bool:
    if action == Action.SEE_BOARDS:
        return is_social_care_staff(user)
    if action in (Action.SEE_BOARD, Action.SEE_POSTS) and obj is not None:
        return visible_to(user).filter(pk=obj.pk).exists()
    if action == Action.MANAGE_POSTS and obj is not None:
        if not is_social_care_staff(
            user, roles=MANAGER_ROLES, authority_id=obj.agency.authority_id
        ):
            return False
        if user.role == Role.SERVICE_MANAGER:
            return True
        return Team.objects.filter(managed_by(user), pk=obj.pk).exists()
    if action == Action.SEE_RATES:
        return is_social_care_staff(user, roles=SERVICE_WIDE_ROLES)
    return False
