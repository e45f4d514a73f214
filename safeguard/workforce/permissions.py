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
"""

from enum import StrEnum

from django.db.models import Q, QuerySet

from safeguard.accounts.models import Team
from safeguard.accounts.roles import RECORDING_ROLES, SERVICE_WIDE_ROLES, is_social_care_staff
from safeguard.accounts.selectors import (  # noqa: F401  (managed_by: re-exported)
    MANAGEMENT_LEVELS,
    managed_by,
    social_care_teams,
)


class Action(StrEnum):
    SEE_BOARDS = "see_boards"  # the list of the boards the user may see (perhaps none)
    SEE_BOARD = "see_board"  # a team's caseload board: obj the team



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
    if action == Action.SEE_BOARD and obj is not None:
        return visible_to(user).filter(pk=obj.pk).exists()
    return False
