"""``safeguard check-setup`` and the set-up page: what stands between this installation and
safe live use. It fails on a fresh install and passes on one configured for live use."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguard.accounts import services as accounts
from safeguard.accounts.models import Agency, LocalAuthority, Role, Team
from safeguard.audit import backup
from safeguard.operations.checks import setup_problems
from safeguard.operations.tests.installs import CONFIGURED, FRESH, STAFF

pytestmark = pytest.mark.django_db


def _whats() -> list[str]:
    return [problem.what for problem in setup_problems()]


def test_a_fresh_install_fails_and_says_why(settings, capsys):
    for name, value in FRESH.items():
        setattr(settings, name, value)
    with pytest.raises(CommandError) as failed:
        call_command("check_setup")
    assert failed.value.returncode == 1
    out = capsys.readouterr().out
    for expected in (
        "The secret key is the one generated into var/",
        "The audit key is the one generated into var/",
        "No host name of the service is set",
        "HTTPS is not required",
        "Cookies may be sent over plain HTTP",
        "Email is not sent: the email backend prints emails on the console",
        "Links in emails (invitations, notices) point at http://127.0.0.1:8000",
        "There is no authority",
        "No backup in the last day",
        "The audit trail has not been verified in the last day",
    ):
        assert expected in out


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"DEBUG": True}, "Debug pages are on"),
        (
            {"SECRET_KEY": "django-insecure-abc"},
            "The secret key is short or Django's insecure default",
        ),
        ({"SAFEGUARD_BEHIND_PROXY": False}, "HTTPS is required but no reverse proxy is declared"),
        ({"SAFEGUARD_TRUSTED_PROXIES": []}, "no trusted proxy is named"),
        (
            {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
            "keeps emails in memory",
        ),
        ({"ALLOWED_HOSTS": ["*"]}, "No host name of the service is set"),
    ],
)
def test_each_setting_is_checked(settings, changes, expected):
    for name, value in {**CONFIGURED, **changes}.items():
        setattr(settings, name, value)
    assert any(expected in what for what in _whats())


def set_up_for_live_use(tmp_path) -> None:
    """What the README asks of a new installation: the authority, its staff, the nightly jobs
    queued (as ``safeguard serve`` does) and run once (check-quality, verify-audit), and a
    backup."""
    call_command("create_authority", "--la-code", "998", "--name", "Northby", verbosity=0)
    staff = tmp_path / "staff.csv"
    staff.write_text(STAFF, encoding="utf-8")
    call_command("import_staff", str(staff))
    call_command(
        "set_lookup_numbers", "--la-code", "998", "--daytime", "01632 960000",
        "--out-of-hours", "01632 960999", stdout=io.StringIO(),
    )  # fmt: skip
    # Each social care team's manager, named on the administration page Teams.
    for team, manager in (
        ("Assessment", "tm1"),
        ("Child protection", "tm2"),
        ("Performance", "tm3"),
    ):
        accounts.team_update(
            Team.objects.get(name=team), by=None, manager=accounts.account_named(manager)
        )
    call_command("schedule_jobs", stdout=io.StringIO())
    call_command("check_quality", "--authority-code", "998")
    call_command("verify_audit")
    # ``safeguard backup`` notes each sound backup so (it cannot copy the database from
    # inside a test's transaction; backups themselves are tested in tests/test_reliability.py).
    backup.record_backup(tmp_path / "safeguard.backup")


def test_an_installation_configured_for_live_use_passes(settings, tmp_path, capsys):
    for name, value in CONFIGURED.items():
        setattr(settings, name, value)
    set_up_for_live_use(tmp_path)
    capsys.readouterr()
    call_command("check_setup")
    assert "Ready for live use: nothing missing." in capsys.readouterr().out


def test_an_authority_without_thresholds_managers_or_every_role_is_listed(settings, tmp_path):
    for name, value in CONFIGURED.items():
        setattr(settings, name, value)
    set_up_for_live_use(tmp_path)
    la = LocalAuthority.objects.get()
    la.threshold_levels.update(disabled_on="2026-01-01")
    accounts.disable_account(accounts.account_named("uc1"), by=None)
    accounts.disable_account(accounts.account_named("tm2"), by=None)
    assert sorted(_whats()) == sorted([
        "Northby: no threshold of need, so no contact can be decided",
        "Northby: nobody has the role unscheduled-care clinician",
        "Northby: the team Child protection has no team manager",
    ])  # fmt: skip


def test_an_authority_without_lookup_numbers_is_listed(settings, tmp_path):
    for name, value in CONFIGURED.items():
        setattr(settings, name, value)
    set_up_for_live_use(tmp_path)
    LocalAuthority.objects.update(out_of_hours_phone="")
    assert _whats() == [
        "Northby: no daytime or out-of-hours number for the child-protection lookup"
    ]


def test_the_setup_page_lists_the_same_for_a_system_administrator(world, client):
    client.force_login(world.admin_al)
    page = client.get("/setup/").content.decode()
    whats = _whats()
    assert whats and f"{len(whats)} things stand between" in page
    assert 'href="/setup/" aria-current="page"' in page  # in the administrator's navigation
    for what in whats:
        assert what.replace("'", "&#x27;") in page


def test_the_setup_page_makes_a_fixed_number_of_queries(world, client):
    client.force_login(world.admin_al)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/setup/").status_code == 200
        return len(queries)

    few = count()
    csc = Agency.objects.get(pk=world.csc.pk)
    for n in range(15):
        team = Team.objects.create(agency=csc, name=f"Locality team {n}")
        accounts.account_create(
            by=None, username=f"sw{n}", agency=csc, role=Role.SOCIAL_WORKER, teams=[team]
        )
    assert count() == few


def test_a_backup_older_than_a_day_is_listed(settings, tmp_path, monkeypatch):
    """Issue 18 item 6: "no backup in the last day", for a backup made, but two days ago."""
    from datetime import timedelta

    from django.utils import timezone

    from safeguard.operations import checks

    for name, value in CONFIGURED.items():
        setattr(settings, name, value)
    set_up_for_live_use(tmp_path)
    assert _whats() == []
    monkeypatch.setattr(checks, "last_backup", lambda: timezone.now() - timedelta(hours=25))
    assert _whats() == ["No backup in the last day"]


def test_a_nightly_job_that_never_ran_is_listed(settings, tmp_path):
    """Issue 18 item 6: "nightly jobs that never ran": queued two nights ago, never
    succeeded (the worker is not running), named by check-setup."""
    from datetime import timedelta

    from django.utils import timezone

    from safeguard.core.models import ScheduledJob

    for name, value in CONFIGURED.items():
        setattr(settings, name, value)
    set_up_for_live_use(tmp_path)
    ScheduledJob.objects.filter(name="check-quality").update(
        first_queued_at=timezone.now() - timedelta(days=2), last_succeeded_at=None
    )
    assert _whats() == ["The scheduled job check-quality has not succeeded on time"]
