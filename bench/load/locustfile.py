"""Locust users for the load test (``make load``; ``bench/load/run.py`` starts them).

Practitioners and managers sign in as real demo staff, both factors through the real pages
(the password, then the code of the demo authenticator, computed from the shared demo secret
as an authenticator app would), then work through the mix of ``journeys.py``. Visits and
case notes are saved through the real forms: the page is fetched, every field it shows is
sent back as the browser would (the CSRF token with it), with the narrative filled in.

With ``LOAD_TARGET=floor`` the only user is the floor: the same client, the same number of
users and the same waits, asking the bare view (``bench/load/floor.py``) for one page.

The driver passes what to ask for in a JSON file named by ``LOAD_FIXTURE`` and reads the
summary this file writes to ``LOAD_RESULT`` when the run stops.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import os
import random
import struct
import time
from html.parser import HTMLParser

from gevent.event import AsyncResult
from locust import HttpUser, between, events, task
from locust.exception import StopUser

try:  # run by locust (-f bench/load/locustfile.py) or imported as bench.load.locustfile
    import journeys
except ImportError:  # pragma: no cover
    from bench.load import journeys

TARGET = os.environ.get("LOAD_TARGET", "app")
WAIT_MIN = float(os.environ.get("LOAD_WAIT_MIN", "5"))
WAIT_MAX = float(os.environ.get("LOAD_WAIT_MAX", "15"))

_fixture: dict | None = None


def fixture() -> dict:
    global _fixture
    if _fixture is None:
        with open(os.environ["LOAD_FIXTURE"], encoding="utf-8") as handle:
            _fixture = json.load(handle)
    return _fixture


def totp(secret_base32: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 code for a base32 secret (what an authenticator app shows)."""
    key = base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8), casefold=True)
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


class FormFields(HTMLParser):
    """What a browser would send back from the page's form: hidden and filled inputs, checked
    boxes and radios, selected options, textareas."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.fields[name] = a.get("value") or "on"
            elif kind not in {"submit", "button", "file"}:
                self.fields.setdefault(name, a.get("value") or "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(html: str) -> dict[str, str]:
    parser = FormFields()
    parser.feed(html)
    return parser.fields


_accounts: dict[str, itertools.cycle] = {}
# The signed-in cookies of each account, shared by the simulated users that work as it.
_sessions: dict[str, AsyncResult] = {}


def next_account(pool: str):
    """The next demo account of a pool: each simulated user works as its own member of staff
    while there are enough; beyond that, users share an account's one signed-in session, like
    one person's several browser tabs (a TOTP code is accepted once per account and time
    step, so an account cannot sign in twice at once)."""
    if pool not in _accounts:
        _accounts[pool] = itertools.cycle(fixture()[pool])
    return next(_accounts[pool])


class Staff(HttpUser):
    abstract = True
    wait_time = between(WAIT_MIN, WAIT_MAX)
    pool = ""

    def on_start(self):
        account = next_account(self.pool)
        self.username = account["username"]
        self.team_id = account.get("team_id")
        shared = _sessions.get(self.username)
        if shared is None:
            shared = _sessions[self.username] = AsyncResult()
            try:
                self.sign_in()
            except StopUser:
                shared.set(None)
                raise
            shared.set(dict(self.client.cookies))
        else:
            cookies = shared.get()
            if cookies is None:
                raise StopUser
            self.client.cookies.update(cookies)

    def sign_in(self):
        f = fixture()
        self.client.get("/sign-in/", name="sign in: page")
        with self.client.post(
            "/sign-in/",
            data={
                "username": self.username,
                "password": f["password"],
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            name=journeys.SIGN_IN[0],
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "two-factor" not in response.headers.get(
                "Location", ""
            ):
                response.failure(f"password refused for {self.username}: {response.status_code}")
                raise StopUser
        self.client.get("/two-factor/", name="sign in: code page")
        with self.client.post(
            "/two-factor/",
            data={
                "code": totp(f["totp_secret"]),
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            name=journeys.SIGN_IN[1],
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"code refused for {self.username}: {response.status_code}")
                raise StopUser

    # --- the journeys ------------------------------------------------------------------------
    def page(self, url: str, name: str):
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{name}: HTTP {response.status_code}")
            elif "/sign-in/" in response.url:
                response.failure(f"{name}: sent to sign in")

    def a_case(self) -> dict:
        return random.choice(fixture()["cases"])

    def home(self):
        self.page("/", "home")

    def search(self):
        name = random.choice(fixture()["names"])
        self.page(f"/people/?name={name}", "search")

    def person(self):
        self.page(f"/people/{self.a_case()['child']}/", "person")

    def case(self):
        self.page(f"/cases/{self.a_case()['case']}/", "case")

    def my_queue(self):
        self.page("/due/", "my queue")

    def team_queue(self):
        self.page(f"/due/teams/{self.team_id}/", "team queue")

    def dashboard(self):
        self.page("/performance/", "dashboard")

    def record(self, journey: str, path: str, fill: dict[str, str]):
        url = f"/cases/{self.a_case()['case']}/{path}/new/"
        with self.client.get(url, name=f"{journey}: form", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{journey} form: HTTP {response.status_code}")
                return
            fields = form_fields(response.text)
        fields.update(fill)
        with self.client.post(
            url,
            data=fields,
            name=f"{journey}: save",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{journey} not saved: HTTP {response.status_code}")

    def visit(self):
        self.record(
            "visit",
            "visits",
            {
                "child_seen": "yes",
                "notes": "Load test visit: synthetic notes. The child was seen at home and "
                "spoke about school and friends.",
            },
        )

    def case_note(self):
        self.record(
            "case note",
            "notes",
            {
                "subject": "Load test note",
                "text": "Synthetic case note written by the load test. Telephone call with "
                "the school about attendance this week.",
            },
        )


def _task(name: str):
    method = name.replace(" ", "_")
    return lambda user: getattr(user, method)()


def _tasks(mix) -> dict:
    return {_task(j.name): j.weight for j in mix}


if TARGET == "floor":

    class Floor(HttpUser):
        """The floor: the same client and waits against a bare Django view."""

        wait_time = between(WAIT_MIN, WAIT_MAX)

        @task
        def floor(self):
            self.client.get("/", name="floor")

else:

    class Practitioner(Staff):
        pool = "practitioners"
        weight = journeys.PRACTITIONER_SHARE
        tasks = _tasks(journeys.PRACTITIONER)

    class Manager(Staff):
        pool = "managers"
        weight = journeys.MANAGER_SHARE
        tasks = _tasks(journeys.MANAGER)


# --- the summary -----------------------------------------------------------------------------
_samples: list[tuple[str, float, bool, float, str]] = []


@events.request.add_listener
def _record(name, response_time, exception, start_time=None, **kwargs):
    _samples.append(
        (name, response_time, exception is None, start_time or time.time(), str(exception or ""))
    )


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return round(ordered[index], 1)


def summarise(samples, span: float) -> dict:
    """Requests, failures, median/p95/p99 (ms) of ``samples``, and requests per second over
    ``span`` seconds (the whole run's, so that the figures of every name add up)."""
    if not samples:
        return {"requests": 0, "failures": 0, "median_ms": 0, "p95_ms": 0, "p99_ms": 0, "rps": 0}
    times = [s[1] for s in samples]
    return {
        "requests": len(samples),
        "failures": sum(1 for s in samples if not s[2]),
        "median_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "p99_ms": percentile(times, 99),
        "max_ms": round(max(times), 1),
        "rps": round(len(samples) / span, 2),
    }


@events.test_stop.add_listener
def _write_summary(**kwargs):
    path = os.environ.get("LOAD_RESULT")
    if not path:
        return
    sign_in = [s for s in _samples if s[0].startswith("sign in")]
    work = [s for s in _samples if not s[0].startswith("sign in")]
    names = sorted({s[0] for s in _samples})
    starts = [s[3] for s in _samples] or [0.0]
    span = max(max(starts) - min(starts), 1.0)
    errors: dict[str, int] = {}
    for s in _samples:
        if not s[2]:
            errors[s[4][:200]] = errors.get(s[4][:200], 0) + 1
    result = {
        "target": TARGET,
        "seconds": round(span, 1),
        "work": summarise(work, span),
        "sign_in": summarise(sign_in, span),
        "by_name": {n: summarise([s for s in _samples if s[0] == n], span) for n in names},
        "errors": errors,
    }
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2)
