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

import hashlib
import secrets
import smtplib
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts import sessions, twofactor
from safeguard.accounts.models import (
    ADMINISTRATOR_ROLES,
    MANAGER_ROLES,
    PARTNER_ROLES,
    Agency,
    AgencyKind,
    Invitation,
    LocalAuthority,
    Role,
    Team,
    User,
)
from safeguard.accounts.signals import account_changed, organisation_changed
from safeguard.core.csv import dict_reader
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


def _clean_organisation_name(name: str, *, what: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ApplicationError(f"Enter the name of the {what}", field="name")
    if len(name) > 200:
        raise ApplicationError("The name is 200 characters or fewer", field="name")
    return name


def team_update(team: Team, *, by, manager=_UNCHANGED, parent=_UNCHANGED, name=_UNCHANGED) -> Team:
    """Name a team's ``manager`` (an active team or service manager of the same authority, or
    None) and its ``parent`` (the service or team it sits in, of the same authority, or None;
    never itself or a team below it), or rename it (``name``: no other team of the
    authority may have it, in any case, decision 0077). Writes one change event when
    anything changed."""
    with transaction.atomic():
        locked = Team.objects.select_for_update().select_related("agency").get(pk=team.pk)
        before = team_state(locked)
        if name is not _UNCHANGED:
            name = _clean_organisation_name(name, what="team")
            taken = (
                Team.objects.filter(agency__authority_id=locked.agency.authority_id)
                .filter(name__iexact=name)
                .exclude(pk=locked.pk)
                .select_related("agency")
                .first()
            )
            if taken is not None:
                raise ApplicationError(
                    f"{taken.agency} already has a team called {taken.name}: choose another name",
                    field="name",
                )
            locked.name = name
        if manager is not _UNCHANGED:
            _check_manager(locked, manager)
            locked.manager = manager
        if parent is not _UNCHANGED:
            _check_parent(locked, parent)
            locked.parent = parent
        after = team_state(locked)
        if after != before:
            locked.save(update_fields=["name", "manager", "parent"])
            _announce(by=by, user=locked, before=before, after=after)
        team.manager_id, team.parent_id = locked.manager_id, locked.parent_id
        team.name = locked.name
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


# --- New accounts ------------------------------------------------------------------------------

CREATED = "created"  # audit.models.ChangeVerb.CREATED


def account_create(
    *,
    by,
    username: str,
    agency: Agency,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    job_title: str = "",
    teams=(),
) -> User:
    """A new account, with no usable password: its holder sets one through an invitation
    (``invitation_send``) or an administrator with ``safeguard set-password``."""
    teams = list(teams)
    with transaction.atomic():
        _check(role=role, agency=agency, teams=teams)
        if User.objects.filter(username=username).exists():
            raise ApplicationError(f"There is already an account called {username}")
        user = User(
            username=username, first_name=first_name, last_name=last_name, email=email,
            job_title=job_title, role=role, agency=agency,
        )  # fmt: skip
        user.set_unusable_password()
        user.save()
        user.teams.set(teams)
        _announce(by=by, user=user, before=None, after=account_state(user), verb=CREATED)
    return user


def _announce_organisation(*, by, obj, before: dict | None, after: dict, verb: str) -> None:
    if not organisation_changed.has_listeners():
        raise AuditUnavailable("No audit receiver for agencies and teams: nothing was changed")
    organisation_changed.send(
        sender=type(obj), by=by, obj=obj, verb=verb, before=before, after=after
    )


def agency_create(*, by, authority: LocalAuthority, name: str, kind: str) -> Agency:
    """A new agency of the authority (social care, or a partner), recorded."""
    if kind not in AgencyKind.values:
        raise ApplicationError(f"{kind!r} is not a kind of agency", field="kind")
    with transaction.atomic():
        agency = Agency(authority=authority, name=name, kind=kind)
        agency.save()
        after = {"authority": authority.pk, "name": name, "kind": kind}
        _announce_organisation(by=by, obj=agency, before=None, after=after, verb=CREATED)
    return agency


def agency_update(agency: Agency, *, by, name: str, kind: str) -> Agency:
    """Rename an agency or change its kind (decision 0077). The name is unique in the
    authority, in any case. The kind changes only while the agency has no accounts: what a
    member may see and do follows the agency's kind, so staff never change sides with it;
    and never to or from the inspectorate, which comes with an inspection. One change
    event with the name and kind before and after; nothing changed writes nothing."""
    name = _clean_organisation_name(name, what="agency")
    if kind not in AgencyKind.values:
        raise ApplicationError(f"{kind!r} is not a kind of agency", field="kind")
    with transaction.atomic():
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        before = {"name": locked.name, "kind": locked.kind}
        after = {"name": name, "kind": kind}
        if after == before:
            raise ApplicationError("Nothing was changed: change the name or the kind")
        taken = (
            Agency.objects.filter(authority_id=locked.authority_id, name__iexact=name)
            .exclude(pk=locked.pk)
            .exists()
        )
        if taken:
            raise ApplicationError(
                f"The authority already has an agency called {name}: choose another name",
                field="name",
            )
        if kind != locked.kind:
            if AgencyKind.INSPECTORATE in (kind, locked.kind):
                raise ApplicationError(
                    "An inspectorate comes with an inspection: its kind never changes, "
                    "nor does another agency become one",
                    field="kind",
                )
            staff = User.objects.filter(agency=locked).count()
            if staff:
                raise ApplicationError(
                    f"{locked.name} has {staff} account{'' if staff == 1 else 's'}: what "
                    "they may see follows the agency's kind, so it changes only while the "
                    "agency has none. Add a new agency instead",
                    field="kind",
                )
        locked.name, locked.kind = name, kind
        locked.save(update_fields=["name", "kind"])
        _announce_organisation(by=by, obj=locked, before=before, after=after, verb=UPDATED)
    agency.name, agency.kind = locked.name, locked.kind
    return agency


def team_create(*, by, agency: Agency, name: str) -> Team:
    """A new team of an agency, recorded."""
    with transaction.atomic():
        team = Team(agency=agency, name=name)
        team.save()
        after = {"agency": agency.pk, "name": name}
        _announce_organisation(by=by, obj=team, before=None, after=after, verb=CREATED)
    return team


# --- Importing staff from a CSV file -------------------------------------------------------------

STAFF_COLUMNS = (
    "username", "given_name", "family_name", "email", "role", "agency", "agency_kind", "team",
    "job_title",
)  # fmt: skip
# What must be the same on every row of one person (only the team may differ).
_PERSON_FIELDS = (
    "given_name", "family_name", "email", "role", "agency", "agency_kind", "job_title"
)  # fmt: skip
_LIMITS = {
    "username": 150, "given_name": 150, "family_name": 150, "email": 254, "agency": 200,
    "team": 200, "job_title": 200,
}  # fmt: skip


class StaffFileRefused(ApplicationError):
    """The file has bad rows: nothing was imported. ``problems`` names each, by line."""

    def __init__(self, problems: list[str]):
        super().__init__(
            f"The file was refused, nothing was changed: {len(problems)} "
            f"problem{'' if len(problems) == 1 else 's'}"
        )
        self.problems = problems


@dataclass
class StaffMember:
    """One person of the file: their first row's fields and the teams of all their rows."""

    line: int
    username: str
    fields: dict
    teams: list[str] = field(default_factory=list)


@dataclass
class StaffImport:
    """What an import did (or, with nothing in the lists, that it changed nothing)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.disabled or self.agencies or self.teams)

    def lines(self) -> list[str]:
        def names(items: list[str]) -> str:
            return f": {', '.join(items)}" if items else ""

        if not self.changed:
            return [f"Nothing changed: the {len(self.unchanged)} accounts already match the file."]
        return [
            f"Agencies created: {len(self.agencies)}{names(self.agencies)}",
            f"Teams created: {len(self.teams)}{names(self.teams)}",
            f"Accounts created: {len(self.created)}{names(self.created)}",
            f"Accounts updated: {len(self.updated)}{names(self.updated)}",
            f"Accounts unchanged: {len(self.unchanged)}",
            f"Accounts disabled: {len(self.disabled)}{names(self.disabled)}",
        ]


def _choice(value: str, choices) -> str | None:
    """The code of a choice given as its code or its label (any case), or None."""
    wanted = value.strip().casefold()
    for code, label in choices:
        if wanted in (str(code).casefold(), str(label).casefold()):
            return code
    return None


def _row_problems(row: dict) -> list[str]:
    problems = []
    for name in ("username", "given_name", "family_name", "email", "role", "agency",
                 "agency_kind"):  # fmt: skip
        if not row[name]:
            problems.append(f"no {name.replace('_', ' ')}")
    for name, limit in _LIMITS.items():
        if len(row[name]) > limit:
            problems.append(f"the {name.replace('_', ' ')} is longer than {limit} characters")
    if row["username"]:
        try:
            UnicodeUsernameValidator()(row["username"])
        except ValidationError:
            problems.append(
                f"the username {row['username']!r} may hold only letters, digits and @.+-_"
            )
        if row["username"] == COMMAND_LINE_USERNAME:
            problems.append(f"the username {COMMAND_LINE_USERNAME} is Safeguard's own")
    if row["email"]:
        try:
            validate_email(row["email"])
        except ValidationError:
            problems.append(f"{row['email']!r} is not an email address")
    role = _choice(row["role"], Role.choices) if row["role"] else None
    if row["role"] and role is None:
        problems.append(
            f"{row['role']!r} is not a role (one of: {', '.join(Role.values)}, or its label)"
        )
    kind = _choice(row["agency_kind"], AgencyKind.choices) if row["agency_kind"] else None
    if row["agency_kind"] and kind is None:
        problems.append(
            f"{row['agency_kind']!r} is not an agency kind (one of: "
            f"{', '.join(AgencyKind.values)}, or its label)"
        )
    if role and kind:
        in_social_care = kind == AgencyKind.CHILDRENS_SOCIAL_CARE
        if role in PARTNER_ROLES and in_social_care:
            problems.append(f"a {Role(role).label.lower()} works for a partner agency, "
                            "not children's social care")  # fmt: skip
        elif role not in PARTNER_ROLES and not in_social_care:
            problems.append(f"a {Role(role).label.lower()} works in children's social care "
                            f"(agency kind {AgencyKind.CHILDRENS_SOCIAL_CARE.value})")  # fmt: skip
    row["role"], row["agency_kind"] = role or row["role"], kind or row["agency_kind"]
    return problems


def staff_file_read(text: str, *, authority: LocalAuthority) -> list[StaffMember]:
    """The people of a staff CSV file (``STAFF_COLUMNS``), checked against each other and the
    database. Raises ``StaffFileRefused`` listing every bad row by line number."""
    reader = dict_reader(text)
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in STAFF_COLUMNS if name not in header]
    if missing:
        raise StaffFileRefused([f"line 1: the header has no column {', '.join(missing)} "
                                f"(the columns are {', '.join(STAFF_COLUMNS)})"])  # fmt: skip
    reader.fieldnames = header
    problems: list[str] = []
    people: dict[str, StaffMember] = {}
    agency_kinds: dict[str, tuple[int, str]] = {}
    for raw in reader:
        line = reader.line_num
        if None in raw:
            problems.append(f"line {line}: more values than columns")
            continue
        row = {name: (raw.get(name) or "").strip() for name in STAFF_COLUMNS}
        if not any(row.values()):
            continue
        found = _row_problems(row)
        member = people.get(row["username"])
        if not found and member is not None:
            differ = [n for n in _PERSON_FIELDS if member.fields[n] != row[n]]
            if differ:
                found.append(
                    f"{row['username']} is on line {member.line} with another "
                    f"{', '.join(n.replace('_', ' ') for n in differ)}: only the team may "
                    "differ between a person's rows"
                )
        seen_kind = agency_kinds.get(row["agency"])
        if not found and seen_kind and seen_kind[1] != row["agency_kind"]:
            found.append(f"the agency {row['agency']} is of kind {seen_kind[1]} on line "
                         f"{seen_kind[0]}")  # fmt: skip
        if found:
            problems += [f"line {line}: {problem}" for problem in found]
            continue
        agency_kinds.setdefault(row["agency"], (line, row["agency_kind"]))
        if member is None:
            member = people[row["username"]] = StaffMember(line, row["username"], row)
        if row["team"] and row["team"] not in member.teams:
            member.teams.append(row["team"])
    existing_agencies = {
        a.name: a for a in Agency.objects.filter(authority=authority, name__in=agency_kinds)
    }
    for name, (line, kind) in agency_kinds.items():
        agency = existing_agencies.get(name)
        if agency is not None and agency.kind != kind:
            problems.append(f"line {line}: the agency {name} is already of kind {agency.kind}")
    elsewhere = (
        User.objects.filter(username__in=people)
        .exclude(agency__authority=authority)
        .exclude(agency__isnull=True)
    )
    for user in elsewhere:
        problems.append(f"line {people[user.username].line}: {user.username} is an account "
                        "of another authority")  # fmt: skip
    if not people and not problems:
        problems.append("line 1: the file has no staff rows")
    if problems:
        raise StaffFileRefused(sorted(problems, key=_line_number))
    return list(people.values())


def _line_number(problem: str) -> int:
    return int(problem.split(":", 1)[0].removeprefix("line "))


def staff_import(
    *, by, authority: LocalAuthority, text: str, disable_missing: bool = False
) -> StaffImport:
    """Make the authority's staff those of a CSV file (``staff_file_read``): agencies and
    teams made as needed, accounts matched by username, made or updated (each change a
    change event). Nobody is disabled unless ``disable_missing``: then every active account
    of the authority's agencies missing from the file is, except ``by``'s own. A bad row
    refuses the whole file (``StaffFileRefused``); importing the same file again changes
    nothing. An account disabled before stays disabled."""
    people = staff_file_read(text, authority=authority)
    outcome = StaffImport()
    with transaction.atomic():
        agencies = {a.name: a for a in Agency.objects.filter(authority=authority)}
        teams = {
            (t.agency_id, t.name): t for t in Team.objects.filter(agency__in=agencies.values())
        }
        usernames = [p.username for p in people]
        users = {u.username: u for u in User.objects.filter(username__in=usernames)}
        for member in people:
            name, kind = member.fields["agency"], member.fields["agency_kind"]
            if name not in agencies:
                agencies[name] = agency_create(by=by, authority=authority, name=name, kind=kind)
                outcome.agencies.append(name)
            agency = agencies[name]
            member_teams = []
            for team_name in member.teams:
                if (agency.pk, team_name) not in teams:
                    teams[(agency.pk, team_name)] = team_create(
                        by=by, agency=agency, name=team_name
                    )
                    outcome.teams.append(f"{team_name} ({name})")
                member_teams.append(teams[(agency.pk, team_name)])
            fields = {
                "first_name": member.fields["given_name"],
                "last_name": member.fields["family_name"],
                "email": member.fields["email"],
                "job_title": member.fields["job_title"],
                "role": member.fields["role"],
            }
            user = users.get(member.username)
            if user is None:
                account_create(by=by, username=member.username, agency=agency,
                               teams=member_teams, **fields)  # fmt: skip
                outcome.created.append(member.username)
                continue
            before = account_state(user)
            update_account(user, by=by, teams=member_teams, agency=agency, **fields)
            if account_state(user) != before:
                outcome.updated.append(member.username)
            else:
                outcome.unchanged.append(member.username)
        if disable_missing:
            missing = (
                User.objects.filter(agency__authority=authority, is_active=True)
                .exclude(username__in=usernames)
                .exclude(pk=getattr(by, "pk", None))
                .order_by("username")
            )
            for user in missing:
                disable_account(user, by=by)
                outcome.disabled.append(user.username)
    return outcome


# --- Invitations ---------------------------------------------------------------------------------


class InvitationRefused(ApplicationError):
    """The invitation link cannot be used: ``reason`` is unknown, used, expired or disabled."""

    MESSAGES = {
        "unknown": "This invitation link is not valid. Check it is the whole link from the "
        "email, or ask your system administrator for a new invitation.",
        "used": "This invitation link has already been used. Sign in with the password you "
        "set, or ask your system administrator for a new invitation.",
        "expired": "This invitation link has expired. Ask your system administrator for a new "
        "invitation.",
        "disabled": "This account has been disabled. Ask your system administrator.",
    }

    def __init__(self, reason: str):
        super().__init__(self.MESSAGES[reason])
        self.reason = reason


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_issue(user: User, *, by, hours: int | None = None) -> str:
    """A new one-time invitation for ``user``; returns its token (only its digest is kept).
    Earlier invitations of the account still open end now."""
    hours = hours if hours is not None else settings.SAFEGUARD_INVITATION_HOURS
    if not user.is_active or user.username == COMMAND_LINE_USERNAME:
        raise ApplicationError(f"{user.username} is disabled: enable the account first")
    if not 1 <= hours <= 24 * 30:
        raise ApplicationError("An invitation lasts from 1 hour to 30 days")
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        ended = Invitation.objects.filter(
            user=user, used_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
        invitation = Invitation.objects.create(
            user=user, token_digest=_digest(token), created_at=now,
            expires_at=now + timedelta(hours=hours), created_by=by,
        )  # fmt: skip
        _announce(
            by=by, user=user, before={"open_invitations": ended},
            after={"invitation": "issued", "expires_at": invitation.expires_at.isoformat()},
        )  # fmt: skip
    return token


def invitation_link(token: str) -> str:
    return settings.SAFEGUARD_BASE_URL.rstrip("/") + reverse("accounts:invitation", args=[token])


def invitation_send(user: User, *, by, hours: int | None = None) -> tuple[str, bool]:
    """Issue an invitation and email its link to the account's address through the configured
    email backend; returns the link and whether it was emailed (not without an address). If
    the email cannot be sent, no invitation is made."""
    with transaction.atomic():
        token = invitation_issue(user, by=by, hours=hours)
        link = invitation_link(token)
        if not user.email:
            return link, False
        expires = timezone.localtime(Invitation.objects.get(token_digest=_digest(token)).expires_at)
        body = render_to_string(
            "accounts/invitation_email.txt",
            {"user": user, "link": link, "expires": expires,
             "service": settings.SAFEGUARD_SERVICE_NAME},
        )  # fmt: skip
        try:
            send_mail(f"Your {settings.SAFEGUARD_SERVICE_NAME} account", body, None, [user.email])
        except (OSError, smtplib.SMTPException) as error:
            raise ApplicationError(
                f"The invitation email to {user.email} could not be sent ({error}); "
                "no invitation was made"
            ) from error
    return link, True


def invitation_open(token: str) -> Invitation:
    """The invitation a link's token names, if it can still be used; else
    ``InvitationRefused`` saying why."""
    invitation = (
        Invitation.objects.select_related("user").filter(token_digest=_digest(token)).first()
    )
    if invitation is None:
        raise InvitationRefused("unknown")
    if invitation.used_at is not None:
        raise InvitationRefused("used")
    if invitation.expires_at <= timezone.now():
        raise InvitationRefused("expired")
    if not invitation.user.is_active:
        raise InvitationRefused("disabled")
    return invitation


def invitation_accept(token: str, *, password: str) -> User:
    """The invited person sets their password (the password rules apply); the link is used
    up. The change is recorded as made by the account's holder."""
    with transaction.atomic():
        found = Invitation.objects.select_for_update().filter(token_digest=_digest(token))
        list(found)  # lock the row: a second use at the same moment waits, then is refused
        invitation = invitation_open(token)
        user = invitation.user
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ApplicationError(" ".join(error.messages), field="password") from error
        set_password(user, by=user, password=password)
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
    return user


def password_set_checked(user: User, *, by, password: str) -> None:
    """Set a password given on the command line (``safeguard set-password``): the password
    rules apply, as they do everywhere."""
    if not password:
        raise ApplicationError("No password was given")
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages), field="password") from error
    set_password(user, by=by, password=password)


def authority_named(code: str | None) -> LocalAuthority:
    """The authority with DfE LA code ``code``, or, without one, the only authority."""
    if code:
        authority = LocalAuthority.objects.filter(dfe_la_code=code).first()
        if authority is None:
            raise ApplicationError(f"No authority has the DfE LA code {code}")
        return authority
    authorities = list(LocalAuthority.objects.order_by("dfe_la_code")[:2])
    if not authorities:
        raise ApplicationError(
            "There is no authority yet: create it with safeguard create-authority first"
        )
    if len(authorities) > 1:
        raise ApplicationError("There are several authorities: give --authority-code")
    return authorities[0]
