"""Changes to staff accounts, recorded as change events.

``accounts`` sits below ``audit`` and may not import it, so its services send
``accounts.signals.account_changed`` and this module, connected in ``AuditConfig.ready()``,
writes the event in the sender's transaction: if it cannot, the account change is rolled back
(decision 0024). The events are about the account (``accounts.user``), or about a team
whose manager or parent changed (``accounts.team``), never a person.
"""

from django.db.models import QuerySet

from safeguard.accounts.models import Team
from safeguard.audit.models import ChangeEvent

ACCOUNT = "accounts.user"
TEAM = "accounts.team"


def record_account_change(sender, *, by, user, verb, before, after, **kwargs) -> ChangeEvent:
    """Keep who changed which account (or team: ``sender`` is the model changed), how
    (``verb``), and what it was before and after."""
    return ChangeEvent.objects.create(
        user=by,
        role=getattr(by, "role", "") or "",
        verb=verb,
        target_type=TEAM if sender is Team else ACCOUNT,
        target_id=str(user.pk),
        person_id=None,
        before=before,
        after=after,
    )


def record_organisation_change(
    sender, *, by, obj, verb, before, after, **kwargs
) -> ChangeEvent:
    """Keep who made or changed an agency or a team, and what it was before and after."""
    return ChangeEvent.objects.create(
        user=by,
        role=getattr(by, "role", "") or "",
        verb=verb,
        target_type=obj._meta.label_lower,
        target_id=str(obj.pk),
        person_id=None,
        before=before,
        after=after,
    )


def account_history(user) -> QuerySet[ChangeEvent]:
    """Every recorded change to ``user``'s account, oldest first: who made it, when, and what
    it was before and after (role, agency, teams, active or disabled, password, second
    factor, sessions ended, lockouts). Read it to know who could sign in, and when."""
    return ChangeEvent.objects.filter(target_type=ACCOUNT, target_id=str(user.pk)).order_by(
        "sequence"
    )


def team_history(team) -> QuerySet[ChangeEvent]:
    """Every recorded change to ``team``'s manager or parent, oldest first."""
    return ChangeEvent.objects.filter(target_type=TEAM, target_id=str(team.pk)).order_by("sequence")
