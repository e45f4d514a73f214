"""The demo's administration history (decisions 0037, 0074, 0077): the system administrator
names each social care team's and service's manager on the Teams page, ends the sessions of
two members of staff, renames the health trust, tightens a local standard and rewords an
indicator of the threshold of need, all through the services the pages use, so each change
is a change event on ``/administration/history/`` as in a borough that went live through the
pages."""

from safeguard.accounts import services as accounts
from safeguard.accounts.models import Agency, LocalAuthority, Team, User
from safeguard.demo.generator.staff import HEALTH_AGENCY, HEALTH_AGENCY_FORMERLY, Organisation
from safeguard.referrals import services as referrals
from safeguard.referrals.models import ThresholdIndicator
from safeguard.timescales.services import standards_update

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
    # The health trust, renamed after a merger: the history shows the old name and the new.
    trust = Agency.objects.get(authority_id=admin.agency.authority_id, name=HEALTH_AGENCY_FORMERLY)
    accounts.agency_update(trust, by=admin, name=HEALTH_AGENCY, kind=trust.kind)
    return changes + 1


# Kingsmere started with a looser standard for seeing a child after a referral, and its
# administrator tightened it to the default before any case was opened: the history shows the
# change, and every due date of the borough is the default's, as before.
FIRST_REFERRAL_SEEN_WD = 10
TIGHTENED_REFERRAL_SEEN_WD = 5
# The indicator of early help reworded after the borough's contacts were decided: those keep
# the old words; the level's page shows the retired version (decision 0074).
REWORDED = (
    2,
    "School attendance is below 90%, or there are absences nobody has explained",
)


def tighten_standard(authority: LocalAuthority) -> None:
    """The administrator's change of ``referral_seen_wd`` (10 to 5 working days); cheap, as
    no case is open yet when the build calls it."""
    admin = User.objects.get(username=ADMINISTRATOR)
    standards_update(by=admin, authority=authority, referral_seen_wd=TIGHTENED_REFERRAL_SEEN_WD)


def reword_indicator(authority: LocalAuthority) -> int:
    """The administrator rewords the first indicator of level 2; returns 1 when done."""
    admin = User.objects.get(username=ADMINISTRATOR)
    number, words = REWORDED
    indicator = (
        ThresholdIndicator.objects.filter(
            level__authority=authority,
            level__number=number,
            level__disabled_on__isnull=True,
            disabled_on__isnull=True,
        )
        .select_related("level")
        .order_by("pk")
        .first()
    )
    if indicator is None or indicator.text == words:
        return 0
    referrals.threshold_indicator_reword(by=admin, indicator=indicator, text=words)
    return 1
