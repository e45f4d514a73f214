"""`docs/deploy.md` and the example files in `deploy/` are true of the code.

- Every `safeguard COMMAND` that deploy.md and the systemd units name is a command of this
  project.
- Every `SAFEGUARD_*` variable of the settings file template (set or commented) and of
  deploy.md is read by `safeguard/settings.py`; the administrators' wrapper (`deploy/safeguard`)
  reads the template as the units do and runs a command with it; the restore drill's `sed`
  gives settings for the scratch database; a web process's `/health/` answers the guide's check.
- The systemd units pass `systemd-analyze verify` (with the project's own `safeguard` program
  in place of `/srv/safeguard/.venv/bin/safeguard`; `make` installs systemd-analyze with apt
  where it is missing, and the test fails without it), and the units are parsed: their
  `ExecStart` lines run project commands as the `safeguard` user with the settings file.
- The nginx site sends the headers the trusted-proxy setting reads, to the ports the guide's
  web units listen on, with the request limit of the settings (nginx itself is not installed
  by the project, so the site is checked by reading it, not by `nginx -t`).
- The go-live commands of deploy.md, run as processes on a new database (PostgreSQL when the
  tests run on it, else SQLite): `check-setup` fails on a fresh install and passes once the
  installation is configured as the settings template and deploy.md say. Faked, because a
  test machine has no system administrator at a browser: naming the team managers, done here
  through the service the page `/administration/teams/` calls. The backup is a real
  `safeguard backup`; the restore drill then restores it into a scratch database with a copy
  of the checkpoints, verifies it and reads the same figures, leaving the live checkpoints be.
"""

import configparser
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands
from django.test import RequestFactory

from safeguard.cli import command_argv
from safeguard.core.client_ip import client_ip
from safeguard.operations.tests.installs import STAFF

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
GUIDE = ROOT / "docs" / "deploy.md"
ENV_TEMPLATE = DEPLOY / "safeguard.env.example"
UNITS = sorted((DEPLOY / "systemd").glob("*.service")) + sorted(
    (DEPLOY / "systemd").glob("*.timer")
)
NGINX_SITE = DEPLOY / "nginx" / "safeguard.conf"
SETTINGS = ROOT / "safeguard" / "settings.py"
PROGRAM = "/srv/safeguard/.venv/bin/safeguard"
ENV_FILE = "/etc/safeguard/safeguard.env"

# A command at the start of a line of a code block (after `sudo` and VAR=value), or run by its
# full path; and a backquoted `safeguard command` in the text.
CODE_BLOCK = re.compile(r"^[ \t]*```[a-z]*\n(.*?)^[ \t]*```", re.S | re.M)
LINE_COMMAND = re.compile(
    r"(?:^\s*(?:sudo\s+)?(?:[A-Z_]+=\S+\s+)*|/\.venv/bin/)safeguard\s+([a-z][a-z0-9_-]*)", re.M
)
INLINE_COMMAND = re.compile(r"`safeguard ([a-z][a-z0-9_-]*)")
VARIABLE = re.compile(r"\b(SAFEGUARD_[A-Z0-9_]+)\b")


def _commands_in(text: str) -> set[str]:
    found = set(INLINE_COMMAND.findall(text))
    for block in CODE_BLOCK.findall(text):
        found |= set(LINE_COMMAND.findall(block))
    return found


def _unit_commands(text: str) -> set[str]:
    return set(re.findall(r"/\.venv/bin/safeguard\s+([a-z][a-z0-9_-]*)", text))


def _exists(command: str) -> bool:
    return command_argv([command])[0] in get_commands()


def read_env_template() -> tuple[dict[str, str], set[str]]:
    """The template's settings (``NAME=value``, quotes taken off), and the names it leaves
    commented out (``#NAME=value``: optional)."""
    values, optional = {}, set()
    for line in ENV_TEMPLATE.read_text().splitlines():
        if match := re.fullmatch(r"#?([A-Z][A-Z0-9_]*)=(.*)", line.strip()):
            name, value = match.groups()
            if line.startswith("#"):
                optional.add(name)
            else:
                values[name] = value.strip('"')
    return values, optional


def _unit(path: Path) -> configparser.ConfigParser:
    """A unit file as sections of settings; a key given twice (ExecStart) keeps every value,
    one a line."""
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str
    lines: dict[tuple[str, str], list[str]] = {}
    section = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            parser.add_section(section)
            continue
        key, value = line.split("=", 1)
        lines.setdefault((section, key), []).append(value)
    for (section, key), values in lines.items():
        parser.set(section, key, "\n".join(values))
    return parser


# --- Commands and settings -----------------------------------------------------------------


def test_every_command_the_guide_and_the_files_name_exists():
    named = {
        GUIDE.name: _commands_in(GUIDE.read_text()),
        **{unit.name: _unit_commands(unit.read_text()) for unit in UNITS},
    }
    missing = {where: sorted(c for c in found if not _exists(c)) for where, found in named.items()}
    assert not any(missing.values()), missing
    # The parse finds what the guide is about (a parse that found nothing would pass).
    assert {
        "migrate", "collectstatic", "serve", "db_worker", "schedule-jobs", "backup", "restore",
        "verify-audit", "create-authority", "import-staff", "import-cin", "invite",
        "set-lookup-numbers", "check-setup", "check-quality", "kpis",
    } <= named[GUIDE.name]  # fmt: skip
    assert named["safeguard-worker.service"] == {"schedule-jobs", "db_worker"}
    assert named["safeguard-web@.service"] == {"serve"}
    assert named["safeguard-backup.service"] == {"backup"}


def test_a_misnamed_command_would_be_caught():
    assert _commands_in("```sh\nsudo safeguard import-staf x.csv\n```") == {"import-staf"}
    assert not _exists("import-staf") and _exists("import-staff") and _exists("db_worker")
    # The service user's name in a command line is not a command.
    assert (
        _commands_in("```sh\nsudo -u postgres createdb --owner safeguard safeguard\n```") == set()
    )


def test_every_setting_of_the_template_and_the_guide_is_read_by_the_settings():
    values, optional = read_env_template()
    settings_text = SETTINGS.read_text()
    named = set(values) | optional | set(VARIABLE.findall(GUIDE.read_text()))
    # The administrators' wrapper's own variable: which settings file it reads.
    assert "SAFEGUARD_ENV_FILE" in (DEPLOY / "safeguard").read_text()
    unread = sorted(n for n in named - {"SAFEGUARD_ENV_FILE"} if f'"{n}"' not in settings_text)
    assert not unread, unread
    assert "DATABASE_URL" in values and "SAFEGUARD_REPORTING_DATABASE_URL" in optional
    for needed in (
        "SAFEGUARD_SECRET_KEY", "SAFEGUARD_AUDIT_KEY", "SAFEGUARD_HTTPS", "SAFEGUARD_BEHIND_PROXY",
        "SAFEGUARD_TRUSTED_PROXIES", "SAFEGUARD_ALLOWED_HOSTS", "SAFEGUARD_BASE_URL",
        "SAFEGUARD_EMAIL_BACKEND", "SAFEGUARD_EMAIL_HOST", "SAFEGUARD_LOG_FORMAT",
    ):  # fmt: skip
        assert needed in values, needed


def test_the_wrapper_runs_a_command_with_the_settings_file_as_the_units_read_it(tmp_path):
    """`deploy/safeguard` (here without `runuser`, which needs root and the service user)
    sources the settings file with sh, quotes and spaces included, and runs the command."""
    values, _ = read_env_template()
    env_file = tmp_path / "safeguard.env"
    env_file.write_text(
        ENV_TEMPLATE.read_text()
        .replace("/var/lib/safeguard", str(tmp_path))
        .replace("/srv/safeguard/staticfiles", str(tmp_path / "static"))
    )
    script = (
        (DEPLOY / "safeguard")
        .read_text()
        .replace("runuser -u safeguard -- ", "")
        .replace("cd /srv/safeguard", f"cd {ROOT}")
        .replace(PROGRAM, f"{sys.executable} -m safeguard.cli")
    )
    assert "runuser" not in script and PROGRAM not in script
    wrapper = tmp_path / "safeguard"
    wrapper.write_text(script)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFEGUARD_")}
    env.pop("DATABASE_URL", None)
    env.update(SAFEGUARD_ENV_FILE=str(env_file), PYTHONPATH=str(ROOT))
    done = subprocess.run(
        ["sh", str(wrapper), "diffsettings"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"ALLOWED_HOSTS = ['{values['SAFEGUARD_ALLOWED_HOSTS']}']" in done.stdout
    assert f"SAFEGUARD_SERVICE_NAME = '{values['SAFEGUARD_SERVICE_NAME']}'" in done.stdout
    assert " " in values["SAFEGUARD_SERVICE_NAME"]  # a quoted value with a space came through
    assert f"EMAIL_HOST = '{values['SAFEGUARD_EMAIL_HOST']}'" in done.stdout
    assert "EMAIL_USE_TLS = True" in done.stdout
    assert "SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')" in done.stdout


def test_the_restore_drills_settings_name_the_scratch_database(tmp_path):
    """The drill's `sed` of deploy.md, run on the template: the scratch database and its own
    checkpoints, and no replica."""
    guide = GUIDE.read_text()
    command = re.search(r"^sed -e .*?drill\.env$", guide, re.S | re.M).group(0)
    template = tmp_path / "safeguard.env"
    template.write_text(
        ENV_TEMPLATE.read_text().replace(
            "#SAFEGUARD_REPORTING_DATABASE_URL=", "SAFEGUARD_REPORTING_DATABASE_URL="
        )
    )
    command = command.replace("/etc/safeguard/safeguard.env", str(template)).replace(
        "/etc/safeguard/drill.env", str(tmp_path / "drill.env")
    )
    subprocess.run(["bash", "-c", command], check=True)
    drill = (tmp_path / "drill.env").read_text()
    values, _ = read_env_template()
    assert f"DATABASE_URL={values['DATABASE_URL']}_drill\n" in drill
    assert "SAFEGUARD_AUDIT_CHECKPOINT_DIR=/var/lib/safeguard/drill-checkpoints\n" in drill
    assert "\n#SAFEGUARD_REPORTING_DATABASE_URL=" in drill
    assert "\nSAFEGUARD_REPORTING_DATABASE_URL=" not in drill
    assert f"SAFEGUARD_SECRET_KEY={values['SAFEGUARD_SECRET_KEY']}\n" in drill


@pytest.mark.django_db
def test_health_answers_a_check_on_a_web_process_with_the_services_host_name(client, settings):
    """deploy.md's check of one web process: plain HTTP to its port, the service's name as
    the host; any other host name is refused."""
    values, _ = read_env_template()
    settings.ALLOWED_HOSTS = values["SAFEGUARD_ALLOWED_HOSTS"].split(",")
    settings.SECURE_SSL_REDIRECT = True
    settings.SAFEGUARD_BEHIND_PROXY = True
    assert "-H 'Host: safeguard.northby.example' http://127.0.0.1:8001/health/" in (
        GUIDE.read_text()
    )
    named = client.get("/health/", HTTP_HOST="safeguard.northby.example")
    assert named.status_code in (200, 503) and "status" in named.json()
    assert client.get("/health/", HTTP_HOST="127.0.0.1:8001").status_code == 400


# --- systemd -------------------------------------------------------------------------------


def test_the_units_run_project_commands_as_the_service_user_with_its_settings():
    for path in UNITS:
        unit = _unit(path)
        if path.suffix == ".timer":
            target = unit.get("Timer", "Unit")
            assert (path.parent / target).is_file(), target
            assert unit.get("Timer", "OnCalendar") and unit.get("Timer", "Persistent") in (
                "yes",
                "true",
            )
            continue
        service = unit["Service"]
        assert service["User"] == "safeguard" and service["Group"] == "safeguard", path.name
        assert service["EnvironmentFile"] == ENV_FILE, path.name
        starts = service["ExecStart"].splitlines()
        assert any(PROGRAM in line for line in starts), path.name
        for line in starts + service.get("ExecStartPre", "").splitlines():
            if "/.venv/bin/" in line:
                assert PROGRAM in line, line
        # The service may write its own folder only.
        assert service["ProtectSystem"] == "strict"
        assert "/var/lib/safeguard" in service["ReadWritePaths"].split()
    web = _unit(DEPLOY / "systemd" / "safeguard-web@.service")["Service"]["ExecStart"]
    # One worker per server, in its own unit: the web processes start none.
    assert "serve --no-worker" in web and "--port %i" in web


def test_the_units_pass_systemd_analyze_verify(tmp_path):
    # `make test` installs systemd-analyze (the Makefile's browser step): never skipped.
    assert shutil.which("systemd-analyze"), "systemd-analyze is missing: run `make browser`"
    program = Path(sys.executable).with_name("safeguard")
    assert program.is_file(), program
    names = []
    for path in UNITS:
        text = path.read_text().replace(PROGRAM, str(program))
        (tmp_path / path.name).write_text(text)
        # A template unit is verified as one of its instances, as systemctl starts it.
        names.append(path.name.replace("@.", "@8001."))
    done = subprocess.run(
        ["systemd-analyze", "verify", *names],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "SYSTEMD_UNIT_PATH": f"{tmp_path}:"},
    )
    assert done.returncode == 0, done.stderr
    assert "Unknown key" not in done.stderr and "Invalid" not in done.stderr, done.stderr


def test_systemd_analyze_would_catch_a_broken_unit(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    (tmp_path / "broken.service").write_text(
        "[Service]\nExecStart=/nowhere/safeguard serve\nUser=safeguard\n"
    )
    done = subprocess.run(
        ["systemd-analyze", "verify", "broken.service"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "SYSTEMD_UNIT_PATH": f"{tmp_path}:"},
    )
    assert done.returncode != 0


# --- nginx ---------------------------------------------------------------------------------


def _headers(site: str) -> dict[str, str]:
    return dict(re.findall(r"^\s*proxy_set_header\s+(\S+)\s+(.+?);", site, re.M))


def test_the_nginx_site_sends_what_the_trusted_proxy_setting_reads(settings):
    site = NGINX_SITE.read_text()
    headers = _headers(site)
    # SAFEGUARD_BEHIND_PROXY=1 makes Django read X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER).
    assert headers["X-Forwarded-Proto"] == "$scheme"
    assert headers["Host"] == "$host"
    # The client's address, replacing anything the client sent.
    assert headers["X-Forwarded-For"] == "$remote_addr"
    # The upstream is the web units' ports on 127.0.0.1, which the template trusts.
    upstream = re.search(r"upstream safeguard \{(.*?)\}", site, re.S).group(1)
    servers = re.findall(r"^\s*server\s+([\d.]+):(\d+)", upstream, re.M)
    assert servers and {host for host, _ in servers} == {"127.0.0.1"}
    guide = GUIDE.read_text()
    for _, port in servers:
        assert f"safeguard-web@{port}" in guide  # the guide starts a process on each port
    values, _ = read_env_template()
    assert values["SAFEGUARD_BEHIND_PROXY"] == "1"
    trusted = values["SAFEGUARD_TRUSTED_PROXIES"].split(",")
    assert "127.0.0.1" in trusted
    # The request limit is Safeguard's own.
    limit = re.search(r"client_max_body_size\s+(\d+)m;", site).group(1)
    assert int(limit) * 1024 * 1024 == settings.SAFEGUARD_MAX_UPLOAD_BYTES
    # What nginx sends, read as Safeguard reads it: the client's address, not nginx's.
    settings.SAFEGUARD_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(request) == "203.0.113.9"


def census(lea: str) -> str:
    """A small CIN census file for 2025-26: two children referred in the year, one open."""
    children = "".join(
        f"""
    <Child>
      <ChildIdentifiers><LAchildID>GL{n}</LAchildID><UPNunknown>UN2</UPNunknown>
        <PersonBirthDate>2016-01-0{n}</PersonBirthDate><Sex>{sex}</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
      <CINdetails><CINreferralDate>2025-06-0{n}</CINreferralDate><ReferralSource>2A</ReferralSource>
        <PrimaryNeedCode>N5</PrimaryNeedCode><ReferralNFA>0</ReferralNFA></CINdetails>
    </Child>"""
        for n, sex in ((1, "F"), (2, "M"))
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails><Collection>CIN</Collection><Year>2026</Year>
      <ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>{lea}</LEA><SoftwareCode>Previous system</SoftwareCode>
      <Release>1</Release><SerialNo>001</SerialNo><DateTime>2026-04-02T09:00:00</DateTime></Source>
  </Header>
  <Children>{children}
  </Children>
</Message>
"""


# What the administrator does on /administration/teams/, through the service the page calls.
NAME_MANAGERS = """
from safeguard.accounts import services
from safeguard.accounts.models import Team
for team, manager in (("Assessment", "tm1"), ("Child protection", "tm2"), ("Performance", "tm3")):
    services.team_update(
        Team.objects.get(name=team), by=services.account_named("ad1"),
        manager=services.account_named(manager),
    )
"""


@pytest.fixture
def databases(tmp_path):
    """Two new, empty databases, the service's and the restore drill's scratch one: on the
    PostgreSQL server of the test run when it runs on PostgreSQL (DATABASE_URL), as
    deploy.md's servers do; else SQLite files."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield tuple(f"sqlite:///{tmp_path / name}.sqlite3" for name in ("safeguard", "drill"))
        return
    import dj_database_url
    import psycopg

    server = dj_database_url.parse(url)
    names = (f"golive_{os.getpid()}", f"golive_{os.getpid()}_drill")
    connect = {
        "host": server["HOST"] or None, "port": server["PORT"] or None,
        "user": server["USER"] or None, "password": server["PASSWORD"] or None,
        "dbname": "postgres", "autocommit": True,
    }  # fmt: skip
    with psycopg.connect(**connect) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield tuple(url.rsplit("/", 1)[0] + "/" + name for name in names)
    finally:
        with psycopg.connect(**connect) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _configured_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    """The settings file as deploy.md has it filled in, on this machine: its own keys and
    passwords, and a database and folders of this test in place of the server's
    PostgreSQL and /var/lib/safeguard. Everything else as the template says."""
    values, _ = read_env_template()
    env = {}
    for name, value in values.items():
        value = value.replace("/var/lib/safeguard", str(tmp_path / "var"))
        if "CHANGE-ME" in value:
            value = re.sub(r"CHANGE-ME[A-Z-]*", secrets.token_urlsafe(64), value)
        env[name] = value
    env["DATABASE_URL"] = database_url
    env["SAFEGUARD_STATIC_ROOT"] = str(tmp_path / "static")
    return env


def _bare_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    """The environment of a fresh install: nothing set but where its database is."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SAFEGUARD_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["PYTHONPATH"] = str(ROOT)
    env["DATABASE_URL"] = database_url
    env["SAFEGUARD_VAR_DIR"] = str(tmp_path / "fresh-var")
    return env


def _safeguard(env: dict[str, str], *args: str, stdin: str | None = None):
    return subprocess.run(
        [sys.executable, "-m", "safeguard.cli", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_the_go_live_commands_take_check_setup_from_failing_to_passing(tmp_path, databases):
    database_url, drill_url = databases
    bare = _bare_env(tmp_path, database_url)
    configured = {**bare, **_configured_env(tmp_path, database_url)}

    def run(*args: str, env=configured, ok=True) -> str:
        done = _safeguard(env, *args)
        if ok:
            assert done.returncode == 0, f"{args}: {done.stdout[-2000:]} {done.stderr[-2000:]}"
        return done.stdout + done.stderr

    run("migrate", "--noinput", "-v0")
    # A fresh install: nothing set, nothing made.
    fresh = _safeguard(bare, "check-setup")
    assert fresh.returncode == 1
    for missing in (
        "The secret key is the one generated into var/",
        "HTTPS is not required",
        "Email is not sent",
        "There is no authority",
        "No backup in the last day",
    ):
        assert missing in fresh.stdout, fresh.stdout

    # Configured as the settings template says, before the go-live commands: only what they
    # and the first night put right is listed.
    before = _safeguard(configured, "check-setup")
    assert before.returncode == 1
    assert "There is no authority" in before.stdout
    for put_right_by_the_settings in ("secret key", "audit key", "HTTPS", "Email is not sent"):
        assert put_right_by_the_settings not in before.stdout, before.stdout

    staff = tmp_path / "var" / "import" / "staff.csv"
    staff.parent.mkdir(parents=True)
    staff.write_text(STAFF, encoding="utf-8")
    cin = staff.with_name("cin-2025-26.xml")
    cin.write_text(census("999"), encoding="utf-8")

    assert "Northby Council (999):" in run(
        "create-authority", "--la-code", "999", "--name", "Northby Council"
    )
    assert "Accounts created: 10" in run("import-staff", str(staff))
    assert "Nothing changed" in run("import-staff", str(staff))
    assert "2 children" in run("import-cin", str(cin), "--by", "ad1")
    run(
        "set-lookup-numbers", "--la-code", "999", "--daytime", "01632 960000",
        "--out-of-hours", "01632 960999",
    )  # fmt: skip
    run("shell", "-c", NAME_MANAGERS)
    # The first night, by hand (deploy.md, "Going live"), and the backup the timer makes.
    run("schedule-jobs")
    run("check-quality", "--authority-code", "999")
    run("verify-audit")
    (tmp_path / "backups").mkdir()
    backup = tmp_path / "backups" / "safeguard-Mon.dump"
    assert "Backed up to" in run("backup", str(backup))

    after = _safeguard(configured, "check-setup")
    assert after.returncode == 0, after.stdout + after.stderr
    assert "Ready for live use: nothing missing." in after.stdout

    # The restore drill: the backup into a scratch database with its own copy of the audit
    # checkpoints; the service's checkpoints are left as they were.
    checkpoints = Path(configured["SAFEGUARD_AUDIT_CHECKPOINT_DIR"])
    live_checkpoints = {f.name: f.read_bytes() for f in checkpoints.iterdir()}
    shutil.copytree(checkpoints, tmp_path / "drill-checkpoints")
    drill = {
        **configured,
        "DATABASE_URL": drill_url,
        "SAFEGUARD_AUDIT_CHECKPOINT_DIR": str(tmp_path / "drill-checkpoints"),
    }
    assert "checks passed" in run("restore", str(backup), env=drill)
    run("verify-audit", "--no-checkpoint", env=drill)
    figures = run("kpis", "--from", "2025-04-01", "--to", "2026-03-31", env=drill)
    assert figures == run("kpis", "--from", "2025-04-01", "--to", "2026-03-31")
    assert {f.name: f.read_bytes() for f in checkpoints.iterdir()} == live_checkpoints
