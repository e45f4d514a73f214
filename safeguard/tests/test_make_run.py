"""`make run` from this checkout: it serves the sign-in page and every printed account signs in.

The whole README command runs in a subprocess against a fresh SQLite database in a temporary
folder, exactly as a newcomer would run it (install steps are no-ops once done).
"""

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PASSWORD_LINE = "Password for every demo account: "


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


def _sign_in(base: str, username: str, password: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/sign-in/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": password}
    ).encode()
    request = urllib.request.Request(f"{base}/sign-in/", data=data, headers={"Referer": f"{base}/sign-in/"})
    response = opener.open(request, timeout=30)
    assert response.geturl() == f"{base}/", f"{username} was not signed in"
    return response.read().decode()


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
        ["make", "--no-print-directory", "run", f"PORT={port}"],
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
        for username in usernames:
            home = _sign_in(base, username, password)
            assert "My work" in home
        # The stylesheet is served, hashed and compressed, by whitenoise.
        css = re.search(r'href="(/static/govuk/application\.[0-9a-f]+\.css)"', home).group(1)
        assert urllib.request.urlopen(f"{base}{css}", timeout=5).status == 200
        # The embedded database runs in WAL mode (the mode is kept in the file itself).
        with sqlite3.connect(tmp_path / "safeguard.sqlite3") as db:
            assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
