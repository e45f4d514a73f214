"""Changes to staff accounts, each one audited like every other write.

Every function here takes ``by=`` (the member of staff making the change; None only for what
the system does by itself, such as a lockout after wrong passwords), runs in
``transaction.atomic`` and sends ``accounts.signals.account_changed`` with what the account
was before and is after. The audit app, which sits above accounts, records that as a
``ChangeEvent`` about the account (``audit.accounts``, connected in its ``AppConfig.ready()``)
in the same transaction: if the event cannot be written, the change is rolled back, and with
no receiver at all nothing is changed (decision 0024).

The before and after never hold a password or its hash, nor a second-factor secret: only
what an auditor needs to read back who could sign in, when, and who decided it.
"""

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts import sessions, twofactor
from safeguard.accounts.models import (
    ADMINISTRATOR_ROLES,
    MANAGER_ROLES,
    Agency,
    Role,
    Team,
    User,
)
from safeguard.accounts.signals import account_changed
from safeguard.core.errors import ApplicationError

UPDATED = "updated"  # audit.models.ChangeVerb.UPDATED (accounts may not import audit)

# What ``update_account`` may change: the account's own fields and its teams.
ACCOUNT_FIELDS = (
    "first_name", "last_name", "email", "job_title", "role", "agency", "is_active", "qualified_on",
)  # fmt: skip

# The account commands act as, when no member of staff is named with ``--by``: inactive,
# without an agency or a usable password, so that it can never sign in (the privacy
# commands use the same account).
COMMAND_LINE_USERNAME = "command-line"


class AuditUnavailable(RuntimeError):
    """No receiver records account changes: the change must not be made unaudited."""


def account_state(user: User) -> dict:
    """What an account allows: who it is, its role, agency and teams, and whether it is
    active. JSON-safe; never the password."""
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "job_title": user.job_title,
        "role": user.role,
        "agency": user.agency_id,
        "teams": sorted(user.teams.values_list("pk", flat=True)) if user.pk else [],
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "qualified_on": user.qualified_on.isoformat() if user.qualified_on else None,
    }


def _announce(
    *, by, user: User | Team, before: dict | None, after: dict, verb: str = UPDATED
) -> None:
    """Send ``account_changed`` about an account (or a team: ``user`` is then the team); the
    caller is inside the change's transaction."""
    if not account_changed.has_listeners():
        raise AuditUnavailable("No audit receiver for account changes: nothing was changed")
    sender = Team if isinstance(user, Team) else User
    account_changed.send(sender=sender, by=by, user=user, verb=verb, before=before, after=after)


def _check(*, role: str, agency: Agency | None, teams) -> None:
    if role and role not in Role.values:
        raise ApplicationError(f"{role!r} is not a role", field="role")
    for team in teams:
        if agency is None or team.agency_id != agency.pk:
            raise ApplicationError(
                f"The team {team} is not one of the account's agency's teams", field="teams"
            )


def update_account(user: User, *, by, teams=None, **changes) -> User:
    """Change an account's own fields (``ACCOUNT_FIELDS``) and, with ``teams``, its teams.

    Disabling an account (``is_active=False``) ends its sessions, and that is audited too.
    Writes one change event when anything changed, none otherwise."""
    unknown = set(changes) - set(ACCOUNT_FIELDS)
    if unknown:
        raise TypeError(f"update_account cannot change {', '.join(sorted(unknown))}")
    with transaction.atomic():
        before = account_state(User.objects.select_for_update().get(pk=user.pk))
        new_teams = list(teams) if teams is not None else list(user.teams.all())
        _check(
            role=changes.get("role", user.role),
            agency=changes.get("agency", user.agency),
            teams=new_teams,
        )
        for field, value in changes.items():
            setattr(user, field, value)
        if changes:
            user._changed_by = by  # for the sessions its saving ends (accounts.signals)
            try:
                user.save(update_fields=list(changes))
            finally:
                user._changed_by = None
        if teams is not None:
            user.teams.set(new_teams)
        after = account_state(User.objects.get(pk=user.pk))
        if after != before:
            _announce(by=by, user=user, before=before, after=after)
    return user


# --- Teams: their manager and the service they sit in -------------------------------------------

_UNCHANGED = object()


def team_state(team: Team) -> dict:
    """What a team's place in the management line is: its manager and its parent."""
    return {"name": team.name, "manager": team.manager_id, "parent": team.parent_id}


def _check_manager(team: Team, manager: User | None) -> None:
    if manager is None:
        return
    authority_id = team.agency.authority_id
    if manager.agency_id is None or manager.agency.authority_id != authority_id:
        raise ApplicationError(
            f"{manager} does not work for {team.agency.authority}: choose one of its managers",
            field="manager",
        )
    if not manager.is_active or manager.role not in MANAGER_ROLES:
        raise ApplicationError(
            f"{manager} is not an active team or service manager", field="manager"
        )


def _check_parent(team: Team, parent: Team | None) -> None:
    if parent is None:
        return
    if parent.agency.authority_id != team.agency.authority_id:
        raise ApplicationError(f"{parent} belongs to another authority", field="parent")
    seen = set()
    step = parent
    while step is not None:
        if step.pk == team.pk:
            raise ApplicationError(
                f"{team} cannot sit inside {parent}: {parent} already sits inside {team}"
                if parent.pk != team.pk
                else f"{team} cannot sit inside itself",
                field="parent",
            )
        if step.pk in seen:  # a loop above, made before these checks: refuse to add to it
            raise ApplicationError(f"The teams above {parent} form a loop", field="parent")
        seen.add(step.pk)
        step = Team.objects.select_related("parent").get(pk=step.pk).parent


def team_update(team: Team, *, by, manager=_UNCHANGED, parent=_UNCHANGED) -> Team:
    """Name a team's ``manager`` (an active team or service manager of the same authority, or
    None) and its ``parent`` (the service or team it sits in, of the same authority, or None;
    never itself or a team below it). Writes one change event when anything changed."""
    with transaction.atomic():
        locked = Team.objects.select_for_update().select_related("agency").get(pk=team.pk)
        before = team_state(locked)
        if manager is not _UNCHANGED:
            _check_manager(locked, manager)
            locked.manager = manager
        if parent is not _UNCHANGED:
            _check_parent(locked, parent)
            locked.parent = parent
        after = team_state(locked)
        if after != before:
            locked.save(update_fields=["manager", "parent"])
            _announce(by=by, user=locked, before=before, after=after)
        team.manager_id, team.parent_id = locked.manager_id, locked.parent_id
    return team


def disable_account(user: User, *, by) -> User:
    """The account can no longer sign in; its sessions end now."""
    return update_account(user, by=by, is_active=False)


def enable_account(user: User, *, by) -> User:
    return update_account(user, by=by, is_active=True)


def set_password(user: User, *, by, password: str) -> None:
    """Give the account a new password (already checked against the password rules by the
    caller); its sessions end. The event says the password changed, never what to."""
    with transaction.atomic():
        user.set_password(password)
        user._changed_by = by  # for the sessions its saving ends (accounts.signals)
        try:
            user.save(update_fields=["password"])
        finally:
            user._changed_by = None
        _announce(by=by, user=user, before={"password": "previous"}, after={"password": "changed"})


def end_sessions(user: User, *, by, reason: str, only_if_any: bool = False) -> int:
    """End every session the account is signed in with; returns how many.

    Asked for by someone (``safeguard end_sessions``), the event is written even when there
    was none; ended because of another change (disabled, new password), only when some were
    ended (``only_if_any``)."""
    with transaction.atomic():
        count = sessions.end_sessions(user, reason=reason)
        if count or not only_if_any:
            _announce(
                by=by,
                user=user,
                before={"signed_in_sessions": count},
                after={"signed_in_sessions": 0, "sessions_ended_because": reason},
            )
    return count


def _second_factor(user: User) -> list[str]:
    totp = TOTPDevice.objects.filter(user=user, confirmed=True).values_list("name", flat=True)
    backup = StaticDevice.objects.filter(user=user).values_list("name", flat=True)
    return sorted([*totp, *backup])


def reset_second_factor(user: User, *, by) -> None:
    """Remove the account's authenticator and backup codes, and end its sessions: the next
    sign-in (with the password) sets up a new authenticator."""
    with transaction.atomic():
        before = _second_factor(user)
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        _announce(by=by, user=user, before={"second_factor": before}, after={"second_factor": []})
        end_sessions(user, by=by, reason="second factor reset by an administrator")


def set_up_second_factor(user: User, *, device: TOTPDevice, code: str) -> list[str] | None:
    """The user confirms their new authenticator with a code from it (by themselves, at
    sign-in): their older authenticators are removed and they get fresh backup codes, which
    are returned (shown once). None, and nothing changed or recorded, if the code is wrong."""
    with transaction.atomic():
        before = _second_factor(user)
        if not twofactor.confirm_totp_device(device, code):
            return None
        codes = twofactor.new_backup_codes(user)
        _announce(
            by=user, user=user, before={"second_factor": before},
            after={"second_factor": _second_factor(user)},
        )  # fmt: skip
    return codes


def record_lockout(username: str, *, ip_address: str | None) -> None:
    """A user name was locked out at an address after too many wrong tries (django-axes).
    Recorded, by no one, for an account that exists; a user name that does not exist leaves
    no trace here (the page reads the same either way)."""
    user = User.objects.filter(username=username).first() if username else None
    if user is None:
        return
    with transaction.atomic():
        _announce(
            by=None,
            user=user,
            before={"locked_out": False},
            after={"locked_out": True, "address": ip_address or ""},
        )


def unlock(user: User, *, by) -> int:
    """Lift the account's lockout at every address before the cool-off ends; returns how
    many records of wrong tries were removed (none: nothing changed, nothing recorded)."""
    from axes.models import AccessAttempt  # axes reads its settings: not at import time
    from axes.utils import reset

    with transaction.atomic():
        locked = AccessAttempt.objects.filter(
            username=user.get_username(), failures_since_start__gte=settings.AXES_FAILURE_LIMIT
        ).exists()
        count = reset(username=user.get_username())
        if count:
            _announce(
                by=by,
                user=user,
                before={"locked_out": locked, "failed_attempt_records": count},
                after={"locked_out": False, "failed_attempt_records": 0},
            )
    return count


def command_line_user() -> User:
    """The account a command acts as when no one is named with ``--by``."""
    user, created = User.objects.get_or_create(
        username=COMMAND_LINE_USERNAME,
        defaults={"is_active": False, "first_name": "Command", "last_name": "line"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def acting_administrator(username: str | None) -> User:
    """Who a command acts as: the active system administrator named with ``--by``, or,
    without it, the command-line account. Raises ``ApplicationError`` for anyone else."""
    if not username:
        return command_line_user()
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or user.role not in ADMINISTRATOR_ROLES:
        raise ApplicationError(f"{username} is not an active system administrator")
    return user


def account_named(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise ApplicationError(f"No user called {username!r}.")
    return user
