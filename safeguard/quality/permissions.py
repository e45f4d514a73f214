"""Who may see data-quality errors.

Social care staff of the authority see the errors on a record they may open (the panel), and
their own list. A team's list and the summary are for those who oversee work
(``OVERSIGHT_ROLES``: team managers, service managers and analysts).

``visible_to(user)`` is the ``QualityIssue``s the user may see: every issue of their
authority for social care staff (each list narrows it to a worker or a team; the rows are
then shown through ``people.selectors.show_rows``, which leaves out sealed children), none
for anyone else.
"""

from enum import StrEnum

from django.db.models import QuerySet

from safeguard.accounts.roles import OVERSIGHT_ROLES, is_social_care_staff
from safeguard.quality.models import QualityIssue


class Action(StrEnum):
    SEE_OWN = "see_own"  # my list of data errors
    SEE_PANEL = "see_panel"  # the panel on a Person's (or their case's) page
    SEE_TEAM = "see_team"  # a Team's list
    SEE_SUMMARY = "see_summary"  # the summary by rule and team, and the choice of teams


def can(user, action: Action, obj=None) -> bool:
    if not is_social_care_staff(user):
        return False
    authority_id = user.agency.authority_id
    match action:
        case Action.SEE_OWN:
            return True
        case Action.SEE_PANEL:
            return obj is not None and obj.authority_id == authority_id
        case Action.SEE_TEAM:
            return (
                obj is not None
                and user.role in OVERSIGHT_ROLES
                and obj.agency.authority_id == authority_id
            )
        case Action.SEE_SUMMARY:
            return user.role in OVERSIGHT_ROLES
    return False


def visible_to(user) -> QuerySet[QualityIssue]:
    """The data-quality issues ``user`` may see: their authority's, for social care staff."""
    if not is_social_care_staff(user):
        return QualityIssue.objects.none()
    return QualityIssue.objects.filter(authority_id=user.agency.authority_id)
