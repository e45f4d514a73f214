"""`make run` from this checkout: it serves the sign-in page and every printed account signs in,
with both factors, using only what `make run` printed.

The whole README command runs in a subprocess against a fresh SQLite database in a temporary
folder, exactly as a newcomer would run it (install steps are no-ops once done), except that
the borough is 200 children (``DEMO_CHILDREN``) rather than the default 2,000, whose building
is the same code on more children and would take minutes of the suite.
"""

import http.cookiejar
import os
import re
import shlex
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.parse
import urllib.request
from base64 import b32decode
from pathlib import Path

import pytest
from django_otp.oath import TOTP

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PASSWORD_LINE = "Password for every demo account: "
SECRET_LINE = "Two-factor secret for every demo account: "
CODE_COMMAND_LINE = "Code for an account now: "


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _read_until_running(proc, deadline) -> list[str]:
    lines = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            if proc.poll() is not None:
                break
            continue
        lines.append(line.rstrip("\n"))
        if "Safeguard is running at" in line:
            return lines
    raise AssertionError("make run did not start the server:\n" + "\n".join(lines[-40:]))


def _accounts(lines: list[str]) -> tuple[list[str], str]:
    password = next(line[len(PASSWORD_LINE):].strip() for line in lines if line.startswith(PASSWORD_LINE))
    start = next(i for i, line in enumerate(lines) if re.fullmatch(r"-+(\s+-+)+", line.strip()))
    usernames = []
    for line in lines[start + 1:]:
        if not line.strip():
            break
        usernames.append(line.split()[0])
    return usernames, password


def _printed(lines: list[str], label: str) -> str:
    return next(line[len(label):].strip() for line in lines if line.startswith(label))


def _code_from_secret(secret: str) -> str:
    """What an authenticator app given the printed secret shows now."""
    key = b32decode(secret + "=" * (-len(secret) % 8))
    return f"{TOTP(key).token():06d}"


def _post(opener, url: str, page: str, fields: dict):
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
    return opener.open(urllib.request.Request(url, data=data, headers={"Referer": url}), timeout=30)


def _sign_in(base: str, username: str, password: str, code) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/sign-in/", timeout=30).read().decode()
    response = _post(opener, f"{base}/sign-in/", page, {"username": username, "password": password})
    assert response.geturl() == f"{base}/two-factor/", f"{username}: the password was not accepted"
    # Without the second factor, no other page opens.
    assert opener.open(f"{base}/", timeout=30).geturl() == f"{base}/two-factor/"
    response = _post(opener, f"{base}/two-factor/", response.read().decode(), {"code": code()})
    assert response.geturl() == f"{base}/", f"{username} was not signed in"
    return response.read().decode(), opener


def _export_annex_a_in_the_background(base: str, opener) -> None:
    """The worker that `safeguard serve` starts runs a job started from the web."""
    url = f"{base}/returns/annex-a/export/"
    page = opener.open(url, timeout=30).read().decode()
    response = _post(opener, url, page, {"as_of_day": "30", "as_of_month": "4", "as_of_year": "2026"})
    job_url = response.geturl()
    assert "/returns/jobs/" in job_url, job_url
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        page = opener.open(job_url, timeout=30).read().decode()
        if 'id="download"' in page or "Failed" in page:
            break
        time.sleep(1)
    assert 'id="download"' in page, "the worker did not finish the export:\n" + page[-2000:]
    response = opener.open(job_url + "download/", timeout=60)
    assert response.headers["Content-Disposition"].startswith('attachment; filename="annex-a-2026-04-30-')
    assert response.read()[:2] == b"PK"  # an .xlsx is a zip


def test_make_run_serves_sign_in_and_every_printed_account_signs_in(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'safeguard.sqlite3'}",
        "SAFEGUARD_VAR_DIR": str(tmp_path),
        "SAFEGUARD_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_SETTINGS_MODULE": "safeguard.settings",
    }
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}", "DEMO_CHILDREN=200"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    try:
        lines = _read_until_running(proc, time.monotonic() + 540)
        base = f"http://127.0.0.1:{port}"
        for _ in range(50):
            try:
                sign_in_page = urllib.request.urlopen(f"{base}/sign-in/", timeout=5).read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert "Sign in to Safeguard" in sign_in_page
        usernames, password = _accounts(lines)
        assert {"sw1", "tm1", "sm1", "analyst1", "aande1", "admin1"} <= set(usernames)
        secret = _printed(lines, SECRET_LINE).split()[0]
        # The printed command gives the code for one account...
        command = shlex.split(_printed(lines, CODE_COMMAND_LINE))
        assert command[-2:] == ["demo_code", "sw1"]

        def code_from_command(username):
            argv = [*command[:-1], username]
            return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout.strip()

        home, _ = _sign_in(base, usernames[0], password, lambda: code_from_command(usernames[0]))
        assert "My work" in home
        # ...and an authenticator app given the printed secret gives it for every account.
        for username in usernames[1:]:
            home, opener = _sign_in(base, username, password, lambda: _code_from_secret(secret))
            assert "My work" in home
            if username == "analyst1":
                _export_annex_a_in_the_background(base, opener)
        # The stylesheet is served, hashed and compressed, by whitenoise.
        css = re.search(r'href="(/static/govuk/application\.[0-9a-f]+\.css)"', home).group(1)
        assert urllib.request.urlopen(f"{base}{css}", timeout=5).status == 200
        # The embedded database runs in WAL mode (the mode is kept in the file itself).
        with sqlite3.connect(tmp_path / "safeguard.sqlite3") as db:
            assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
            # The night's work is queued for the worker, each job once (decision 0071).
            queued = db.execute(
                "SELECT name FROM core_scheduledjob WHERE waiting_task_id != ''"
            ).fetchall()
            assert {"rebuild-due", "check-quality", "verify-audit"} <= {n for (n,) in queued}
            waiting = db.execute(
                "SELECT COUNT(*), COUNT(DISTINCT args_kwargs) FROM django_tasks_database_dbtaskresult"
                " WHERE status = 'READY' AND task_path LIKE '%run_scheduled_job'"
            ).fetchone()
            assert waiting[0] == waiting[1] == len(queued)
    finally:
        if proc.poll() is None:  # a failed start has already ended the process group
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
