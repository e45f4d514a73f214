"""The demo's administration history (decision 0037): the system administrator names each
social care team's and service's manager on the Teams page, and ends the sessions of two
members of staff, all through the account services, so each change is a change event on
``/administration/history/`` as in a borough that went live through the pages."""

from safeguard.accounts import services as accounts
from safeguard.accounts.models import Team, User
from safeguard.demo.generator.staff import Organisation

ADMINISTRATOR = "admin1"
SESSION_REASONS = (
    "Reported a laptop left signed in at a family centre",
    "Moved to another team: signed out everywhere before the change",
)


def administer(org: Organisation) -> int:
    """Name the management lines (``org.managers``) through ``team_update`` and end two
    workers' sessions; returns how many changes were recorded."""
    admin = User.objects.get(username=ADMINISTRATOR)
    leaving = org.cp_workers[1:3]
    users = User.objects.in_bulk([w.user_id for w in [*org.managers.values(), *leaving]])
    changes = 0
    for team in Team.objects.filter(pk__in=org.managers).select_related("agency").order_by("pk"):
        accounts.team_update(team, by=admin, manager=users[org.managers[team.pk].user_id])
        changes += 1
    for worker, reason in zip(leaving, SESSION_REASONS, strict=False):
        accounts.end_sessions(users[worker.user_id], by=admin, reason=reason)
        changes += 1
    return changes
