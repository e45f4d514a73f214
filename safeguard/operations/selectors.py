"""What the administration pages read: an authority's teams with their management line, and
the history of its administration (decisions 0037, 0074). Neither is about a child, so no access is
logged; the pages are for the authority's own system administrators
(``permissions.Action.ADMINISTER``)."""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from safeguard.accounts.models import MANAGER_ROLES, Agency, LocalAuthority, Team, User
from safeguard.audit.accounts import ACCOUNT, TEAM
from safeguard.audit.models import ChangeEvent
from safeguard.privacy.models import RetentionRule
from safeguard.referrals.models import ThresholdIndicator, ThresholdLevel

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


# What else the administration pages change (decision 0074), as change events name them.
AUTHORITY = "accounts.localauthority"
LEVEL = "referrals.thresholdlevel"
INDICATOR = "referrals.thresholdindicator"
RETENTION = "privacy.retentionrule"
KINDS = {
    ACCOUNT: "Account",
    AGENCY: "Agency",
    TEAM: "Team",
    AUTHORITY: "Authority settings",
    LEVEL: "Threshold level",
    INDICATOR: "Threshold indicator",
    RETENTION: "Retention rule",
}
# Settings, not people: their events show each value before and after on the history page.
SETTINGS = {AUTHORITY, LEVEL, INDICATOR, RETENTION}


def administration_history(authority_id) -> list[ChangeEvent]:
    """The newest changes to the authority's accounts, agencies, teams, local standards and
    rule set, threshold of need and retention rules, newest first, with who made each and,
    as ``target_name``, what it was about; a setting's also with ``changes``, each changed
    field's value before and after."""
    targets = {
        ACCOUNT: User.objects.filter(agency__authority_id=authority_id),
        AGENCY: Agency.objects.filter(authority_id=authority_id),
        TEAM: Team.objects.filter(agency__authority_id=authority_id),
        AUTHORITY: LocalAuthority.objects.filter(pk=authority_id),
        LEVEL: ThresholdLevel.objects.filter(authority_id=authority_id),
        INDICATOR: ThresholdIndicator.objects.filter(level__authority_id=authority_id),
        RETENTION: RetentionRule.objects.filter(authority_id=authority_id),
    }
    wanted = Q()
    for kind, queryset in targets.items():
        wanted |= Q(target_type=kind, target_id__in=_keys(queryset))
    events = list(
        ChangeEvent.objects.filter(wanted)
        .select_related("user")
        .order_by("-sequence")[:HISTORY_LENGTH]
    )
    names = {}
    for kind, queryset in targets.items():
        # One query for each kind, whatever the events, so the page's count is fixed.
        ids = {event.target_id for event in events if event.target_type == kind}
        names[kind] = {str(obj.pk): _name(obj) for obj in queryset.filter(pk__in=ids)}
    for event in events:
        event.target_name = names.get(event.target_type, {}).get(event.target_id, event.target_id)
        event.target_kind = KINDS[event.target_type]
        model = targets[event.target_type].model
        # The fields as the forms call them, never their internal names; the key is no field.
        event.field_labels = [_label(model, f) for f in event.changed_fields if f != "id"]
        if event.before is None:
            continue
        if event.target_type in SETTINGS:
            event.changes = [
                (_label(model, field), event.before.get(field), (event.after or {}).get(field))
                for field in event.changed_fields
            ]
        elif event.target_type in (AGENCY, TEAM):
            # A rename or a new kind shows its words before and after (decision 0077); a
            # manager or parent changed is named by field only, as before.
            event.changes = [
                (_label(model, field), event.before.get(field), (event.after or {}).get(field))
                for field in event.changed_fields
                if field in ("name", "kind")
            ]
            event.other_fields = [
                _label(model, f) for f in event.changed_fields if f not in ("name", "kind")
            ]
    return events


def _label(model, name: str) -> str:
    """A field as its form calls it ("Disabled on", not ``disabled_on``); a name the model no
    longer has (or records only in its events, like ``sessions_ended_because``) in words."""
    try:
        label = str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        label = name.replace("_", " ")
    return label[:1].upper() + label[1:]


def _name(obj) -> str:
    if isinstance(obj, ThresholdIndicator):
        return obj.text if len(obj.text) <= 80 else f"{obj.text[:79]}…"
    return str(obj)


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


def authority_agency(authority_id, agency_id) -> Agency | None:
    return authority_agencies(authority_id).filter(pk=agency_id).first()
