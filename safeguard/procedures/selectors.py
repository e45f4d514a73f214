"""Reading procedures: the list, what awaits a member of staff, the step's procedure, and who
in the audience has not acknowledged. Each makes a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from safeguard.accounts.models import Team, User
from safeguard.accounts.roles import Role
from safeguard.accounts.selectors import managed_by
from safeguard.procedures import permissions
from safeguard.procedures.models import AUDIENCE_ROLES, Acknowledgement, Procedure
from safeguard.procedures.permissions import Action


def in_audience(procedure: Procedure, user, team_ids: set | None = None) -> bool:
    """Whether ``user`` is in ``procedure``'s audience (its ``teams`` prefetched)."""
    if not user.is_active or user.authority_id != procedure.authority_id:
        return False
    if user.role not in (procedure.roles or AUDIENCE_ROLES):
        return False
    wanted = {t.pk for t in procedure.teams.all()}
    if not wanted:
        return True
    if team_ids is None:
        team_ids = set(user.teams.values_list("pk", flat=True))
    return bool(wanted & team_ids)


def _current(user) -> QuerySet[Procedure]:
    """The user's authority's procedures in force, each annotated: ``acknowledged`` (the user
    has acknowledged its current version), ``has_teams`` and ``team_match`` (whether it names
    teams, and one of the user's)."""
    mine = Acknowledgement.objects.filter(
        procedure=OuterRef("pk"), user=user, edition=OuterRef("edition")
    )
    named = Procedure.teams.through.objects.filter(procedure_id=OuterRef("pk"))
    return (
        permissions.visible_to(user)
        .filter(withdrawn_at__isnull=True)
        .annotate(
            acknowledged=Exists(mine),
            has_teams=Exists(named),
            team_match=Exists(named.filter(team__members=user)),
        )
    )


def _mark(procedure: Procedure, user) -> Procedure:
    procedure.in_audience = user.role in (procedure.roles or AUDIENCE_ROLES) and (
        not procedure.has_teams or procedure.team_match
    )
    return procedure


def procedures_for(*, user) -> list[Procedure]:
    """Every procedure in force, with ``in_audience`` and ``acknowledged`` set (1 query)."""
    return [_mark(p, user) for p in _current(user).order_by("kind", "title")]


def awaiting_for(*, user) -> list[Procedure]:
    """What awaits the user's acknowledgement: procedures in force, for their role and team,
    whose current version they have not acknowledged."""
    if not permissions.can(user, Action.LIST):
        return []
    return [p for p in procedures_for(user=user) if p.in_audience and not p.acknowledged]


def procedure_for(*, user, procedure_id) -> Procedure:
    """One procedure the user may read, or 404."""
    try:
        procedure = _current(user).get(pk=procedure_id)
    except (Procedure.DoesNotExist, ValueError):
        raise Http404 from None
    if not permissions.can(user, Action.READ, procedure):
        raise Http404
    return _mark(procedure, user)


def for_step(*, user, step: str) -> list[Procedure]:
    """The procedures in force for one step of the work, for the link on its form (1 query)."""
    if not permissions.can(user, Action.LIST):
        return []
    return list(_current(user).filter(step=step).order_by("title"))


@dataclass
class ReportRow:
    user: User
    teams: list
    acknowledged_at: object  # of the current version, or None
    last_edition: int | None  # the latest version they acknowledged


@dataclass
class Report:
    rows: list[ReportRow]
    audience: int
    acknowledged: int

    @property
    def outstanding(self) -> int:
        return self.audience - self.acknowledged


def audience(procedure: Procedure) -> QuerySet[User]:
    """Every member of staff in the procedure's audience (one query)."""
    staff = User.objects.filter(
        is_active=True,
        agency__authority_id=procedure.authority_id,
        role__in=procedure.roles or AUDIENCE_ROLES,
    )
    named = Procedure.teams.through.objects.filter(procedure_id=procedure.pk)
    return staff.filter(Q(~Exists(named)) | Q(teams__in=named.values("team_id"))).distinct()



def report(*, user, procedure: Procedure) -> Report:
    """Who in the audience has acknowledged the current version and who has not: a team
    manager sees the teams they manage, a service manager everyone (3 queries)."""
    staff = audience(procedure)
    if user.role != Role.SERVICE_MANAGER:
        staff = staff.filter(teams__in=Team.objects.filter(managed_by(user))).distinct()
    staff = staff.prefetch_related(
        Prefetch("teams", queryset=Team.objects.only("pk", "name"))
    ).order_by("last_name", "first_name", "pk")
    people = list(staff)
    latest: dict = {}
    for ack in Acknowledgement.objects.filter(procedure=procedure).order_by("edition"):
        latest[ack.user_id] = ack
    rows = []
    for u in people:
        ack = latest.get(u.pk)
        current = ack if ack is not None and ack.edition == procedure.edition else None
        rows.append(
            ReportRow(
                user=u,
                teams=[t.name for t in u.teams.all()],
                acknowledged_at=current.acknowledged_at if current else None,
                last_edition=ack.edition if ack else None,
            )
        )
    # Not yet acknowledged first: that is what the manager acts on.
    rows.sort(key=lambda r: r.acknowledged_at is not None)
    done = sum(1 for r in rows if r.acknowledged_at is not None)
    return Report(rows=rows, audience=len(rows), acknowledged=done)
