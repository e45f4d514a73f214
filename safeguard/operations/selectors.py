"""What the administration pages read: an authority's teams with their management line, and
the history of its administration (decision 0037). Neither is about a child, so no access is
logged; the pages are for the authority's own system administrators
(``permissions.Action.ADMINISTER``)."""

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from safeguard.accounts.models import MANAGER_ROLES, Agency, Team, User
from safeguard.audit.accounts import ACCOUNT, TEAM
from safeguard.audit.models import ChangeEvent

AGENCY = "accounts.agency"
# The newest changes the history page shows.
HISTORY_LENGTH = 200


def authority_teams(authority_id) -> QuerySet[Team]:
    """Every team of the authority's agencies, by agency then name, with its manager and
    the team or service it sits in."""
    return (
        Team.objects.filter(agency__authority_id=authority_id)
        .select_related("agency", "manager", "parent")
        .order_by("agency__name", "name")
    )


def authority_team(authority_id, team_id) -> Team | None:
    return authority_teams(authority_id).filter(pk=team_id).first()


def possible_managers(authority_id) -> QuerySet[User]:
    """Who may manage a team of the authority: its active team and service managers."""
    return User.objects.filter(
        agency__authority_id=authority_id, is_active=True, role__in=MANAGER_ROLES
    ).order_by("last_name", "first_name", "username")


def _keys(queryset) -> QuerySet:
    """The primary keys of ``queryset`` as text, as change events name their target."""
    return queryset.annotate(key=Cast("pk", CharField())).values("key")


def administration_history(authority_id) -> list[ChangeEvent]:
    """The newest changes to the authority's accounts, agencies and teams, newest first,
    with who made each and, as ``target_name``, what it was about."""
    users = User.objects.filter(agency__authority_id=authority_id)
    agencies = Agency.objects.filter(authority_id=authority_id)
    teams = Team.objects.filter(agency__authority_id=authority_id)
    events = list(
        ChangeEvent.objects.filter(
            Q(target_type=ACCOUNT, target_id__in=_keys(users))
            | Q(target_type=AGENCY, target_id__in=_keys(agencies))
            | Q(target_type=TEAM, target_id__in=_keys(teams))
        )
        .select_related("user")
        .order_by("-sequence")[:HISTORY_LENGTH]
    )
    names = {}
    for kind, queryset in ((ACCOUNT, users), (AGENCY, agencies), (TEAM, teams)):
        # One query for each kind, whatever the events, so the page's count is fixed.
        wanted = {event.target_id for event in events if event.target_type == kind}
        names[kind] = {str(obj.pk): str(obj) for obj in queryset.filter(pk__in=wanted)}
    for event in events:
        event.target_name = names.get(event.target_type, {}).get(event.target_id, event.target_id)
        event.target_kind = {ACCOUNT: "Account", AGENCY: "Agency", TEAM: "Team"}[event.target_type]
    return events


def authority_staff(authority_id) -> QuerySet[User]:
    """Every account of the authority's agencies, by agency then name, with its teams."""
    return (
        User.objects.filter(agency__authority_id=authority_id)
        .select_related("agency")
        .prefetch_related("teams")
        .order_by("agency__name", "last_name", "first_name", "username")
    )


def authority_account(authority_id, user_id) -> User | None:
    return authority_staff(authority_id).filter(pk=user_id).first()


def agency_teams(agency_id) -> QuerySet[Team]:
    """The teams of one agency, by name: those its staff may work in."""
    return Team.objects.filter(agency_id=agency_id).order_by("name")


def authority_agencies(authority_id) -> QuerySet[Agency]:
    """The authority's agencies, by name."""
    return Agency.objects.filter(authority_id=authority_id).order_by("name")
