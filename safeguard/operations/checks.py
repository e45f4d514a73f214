"""What stands between this installation and safe live use (``safeguard check-setup`` and the
set-up page).

Each check reads the settings, the database or the files kept beside it and returns the
problems it finds, each with what to do about it. None means ready; the command exits
non-zero while there is any.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from safeguard.accounts.models import LocalAuthority, Role, User
from safeguard.accounts.selectors import social_care_teams
from safeguard.audit import checkpoints
from safeguard.audit.backup import last_backup
from safeguard.operations.jobs import job_states
from safeguard.quality.selectors import last_full_check
from safeguard.referrals.models import ThresholdLevel

# How old the last backup, data-quality check or audit checkpoint may be.
NIGHTLY = timedelta(days=1)
# Email backends that deliver nothing to anyone.
NOT_SENT = {
    "django.core.mail.backends.console.EmailBackend": "prints emails on the console",
    "django.core.mail.backends.locmem.EmailBackend": "keeps emails in memory",
    "django.core.mail.backends.dummy.EmailBackend": "throws emails away",
    "django.core.mail.backends.filebased.EmailBackend": "writes emails to files",
}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


@dataclass(frozen=True)
class Problem:
    """Something missing for live use, and how to put it right."""

    what: str
    fix: str


def _keys() -> list[Problem]:
    found = []
    key = settings.SECRET_KEY
    if not settings.SAFEGUARD_SECRET_KEY_FROM_ENVIRONMENT:
        found.append(Problem(
            "The secret key is the one generated into var/ on this machine",
            "Set SAFEGUARD_SECRET_KEY to a long random value, the same on every web server "
            "and kept apart from database backups",
        ))  # fmt: skip
    elif len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-"):
        found.append(Problem(
            "The secret key is short or Django's insecure default",
            "Set SAFEGUARD_SECRET_KEY to at least 50 random characters",
        ))  # fmt: skip
    if not settings.SAFEGUARD_AUDIT_KEY_FROM_ENVIRONMENT:
        found.append(Problem(
            "The audit key is the one generated into var/ on this machine",
            "Set SAFEGUARD_AUDIT_KEY to a long random value, kept as safely as the secret key "
            "and apart from database backups (decision 0006)",
        ))  # fmt: skip
    return found


def _web() -> list[Problem]:
    found = []
    if settings.DEBUG:
        found.append(Problem(
            "Debug pages are on: an error shows code and settings to whoever caused it",
            "Unset SAFEGUARD_DEBUG",
        ))  # fmt: skip
    hosts = set(settings.ALLOWED_HOSTS)
    if "*" in hosts or not hosts - LOCAL_HOSTS:
        found.append(Problem(
            "No host name of the service is set (only this machine, or any name at all)",
            "Set SAFEGUARD_ALLOWED_HOSTS to the service's host name",
        ))  # fmt: skip
    if not settings.SECURE_SSL_REDIRECT or not settings.SECURE_HSTS_SECONDS:
        found.append(Problem(
            "HTTPS is not required: pages can be read and changed on the way",
            "Serve the service over HTTPS through a TLS reverse proxy and set SAFEGUARD_HTTPS=1",
        ))  # fmt: skip
    if not (settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE):
        found.append(Problem(
            "Cookies may be sent over plain HTTP, where a session can be stolen",
            "Set SAFEGUARD_HTTPS=1 (or SAFEGUARD_SECURE_COOKIES=1)",
        ))  # fmt: skip
    if settings.SECURE_SSL_REDIRECT and not settings.SAFEGUARD_BEHIND_PROXY:
        found.append(Problem(
            "HTTPS is required but no reverse proxy is declared: safeguard serve speaks plain "
            "HTTP, so the proxy's HTTPS is not recognised and clients' addresses are lost",
            "Set SAFEGUARD_BEHIND_PROXY=1 and SAFEGUARD_TRUSTED_PROXIES to the proxy's address",
        ))  # fmt: skip
    if settings.SAFEGUARD_BEHIND_PROXY and not settings.SAFEGUARD_TRUSTED_PROXIES:
        found.append(Problem(
            "Behind a reverse proxy, but no trusted proxy is named: the sign-in lockout and "
            "the access log see the proxy's address, not the client's",
            "Set SAFEGUARD_TRUSTED_PROXIES to the proxy's address",
        ))  # fmt: skip
    if not settings.SAFEGUARD_BASE_URL.startswith("https://"):
        found.append(Problem(
            f"Links in emails (invitations, notices) point at {settings.SAFEGUARD_BASE_URL}",
            "Set SAFEGUARD_BASE_URL to the service's https:// address",
        ))  # fmt: skip
    if settings.EMAIL_BACKEND in NOT_SENT:
        found.append(Problem(
            f"Email is not sent: the email backend {NOT_SENT[settings.EMAIL_BACKEND]}, so "
            "invitations and notices reach nobody",
            "Set SAFEGUARD_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and "
            "SAFEGUARD_EMAIL_HOST",
        ))  # fmt: skip
    return found


def _authority(authority: LocalAuthority) -> list[Problem]:
    found = []
    at = f"{authority.name}: "
    if not ThresholdLevel.objects.filter(authority=authority, disabled_on__isnull=True).exists():
        found.append(Problem(
            at + "no threshold of need, so no contact can be decided",
            "safeguard load_thresholds --authority-code " + authority.dfe_la_code,
        ))  # fmt: skip
    staffed = set(
        User.objects.filter(agency__authority=authority, is_active=True)
        .values_list("role", flat=True)
        .distinct()
    )
    # Inspectors come from the inspectorate when an inspection is announced, and board members
    # when a board is set up (decision 0084): an authority goes live without either.
    for role in Role:
        if role not in staffed and role not in (Role.INSPECTOR, Role.BOARD_MEMBER):
            found.append(Problem(
                at + f"nobody has the role {role.label.lower()}",
                "Add them to the staff file and run safeguard import-staff",
            ))  # fmt: skip
    if not (authority.daytime_phone and authority.out_of_hours_phone):
        # Every child-protection lookup gives these numbers to the clinician (decision 0039).
        found.append(Problem(
            at + "no daytime or out-of-hours number for the child-protection lookup",
            f"safeguard set-lookup-numbers --la-code {authority.dfe_la_code} "
            "--daytime NUMBER --out-of-hours NUMBER",
        ))  # fmt: skip
    # The team's named manager (Team.manager), who must still be able to sign in.
    unmanaged = social_care_teams(authority.pk).exclude(manager__is_active=True)
    for team in unmanaged:
        found.append(Problem(
            at + f"the team {team.name} has no team manager",
            "Name its manager on the administration page Teams (/administration/teams/)",
        ))  # fmt: skip
    check = last_full_check(authority.pk)
    if check is None or check.finished_at < timezone.now() - NIGHTLY:
        found.append(Problem(
            at + "the data-quality check has not run in the last day"
            + ("" if check else " (never)"),
            "It runs each night as the scheduled job check-quality: is the worker running "
            "(safeguard serve starts it), and has safeguard schedule-jobs been run?",
        ))  # fmt: skip
    return found


def _is_recent(moment: datetime | None) -> bool:
    return moment is not None and moment >= timezone.now() - NIGHTLY


def _scheduled() -> list[Problem]:
    """The scheduled jobs (decision 0071): none queued, or one that failed or is late."""
    states = job_states()
    if not any(state.row for state in states):
        return [Problem(
            "The nightly jobs have never been scheduled",
            "Run safeguard schedule-jobs (safeguard serve does it when it starts the worker)",
        )]  # fmt: skip
    found = []
    for state in states:
        if state.status == "ok":
            continue
        what = {
            "failed": f"The scheduled job {state.job.name} failed on its last run",
            "late": f"The scheduled job {state.job.name} has not succeeded on time",
            "not scheduled": f"The scheduled job {state.job.name} has no run waiting",
        }[state.status]
        fix = (
            "See its last outcome on the administration page Scheduled jobs "
            "(/administration/jobs/); is the worker running (safeguard serve starts it)?"
            if state.status != "not scheduled"
            else "Run safeguard schedule-jobs"
        )
        found.append(Problem(what, fix))
    return found


def _nightly() -> list[Problem]:
    found = _scheduled()
    if not _is_recent(last_backup()):
        found.append(Problem(
            "No backup in the last day",
            "Run safeguard backup FILE nightly, to a disk away from the database",
        ))  # fmt: skip
    log = checkpoints.read()
    checked = [e.at for e in log.entries if e.kind == "checkpoint"]
    if not _is_recent(datetime.fromisoformat(checked[-1]) if checked else None):
        found.append(Problem(
            "The audit trail has not been verified in the last day",
            "It runs each night as the scheduled job verify-audit: is the worker running "
            "(safeguard serve starts it), and has safeguard schedule-jobs been run?",
        ))  # fmt: skip
    return found


def setup_problems() -> list[Problem]:
    """Everything that stands between this installation and safe live use; empty when
    ready."""
    found = _keys() + _web()
    authorities = list(LocalAuthority.objects.order_by("dfe_la_code"))
    if not authorities:
        found.append(Problem(
            "There is no authority",
            "safeguard create-authority --la-code NNN --name NAME",
        ))  # fmt: skip
    for authority in authorities:
        found += _authority(authority)
    return found + _nightly()
