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

import itertools
import json
import os
import random
import time

import journeys  # bench/load/ is on the path when locust runs this file
from client import form_fields, summarise, totp
from client import span as _span
from gevent.event import AsyncResult
from locust import HttpUser, between, events, task
from locust.exception import StopUser

TARGET = os.environ.get("LOAD_TARGET", "app")
WAIT_MIN = float(os.environ.get("LOAD_WAIT_MIN", "10"))
WAIT_MAX = float(os.environ.get("LOAD_WAIT_MAX", "30"))
# A request not answered in this many seconds is a failure (else a user left waiting for a
# connection the server never accepts would hang without ever counting).
TIMEOUT = float(os.environ.get("LOAD_TIMEOUT", "30"))

_fixture: dict | None = None


def fixture() -> dict:
    global _fixture
    if _fixture is None:
        with open(os.environ["LOAD_FIXTURE"], encoding="utf-8") as handle:
            _fixture = json.load(handle)
    return _fixture


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
            except BaseException:
                shared.set(None)  # those waiting for this account stop too, never hang
                raise
            shared.set(dict(self.client.cookies))
        else:
            cookies = shared.get()
            if cookies is None:
                raise StopUser
            self.client.cookies.update(cookies)

    def sign_in(self):
        f = fixture()
        self.client.get("/sign-in/", name="sign in: page", timeout=TIMEOUT)
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
            timeout=TIMEOUT,
        ) as response:
            if response.status_code != 302 or "two-factor" not in response.headers.get(
                "Location", ""
            ):
                response.failure(f"password refused for {self.username}: {response.status_code}")
                raise StopUser
        self.client.get("/two-factor/", name="sign in: code page", timeout=TIMEOUT)
        with self.client.post(
            "/two-factor/",
            data={
                "code": totp(f["totp_secret"]),
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            name=journeys.SIGN_IN[1],
            allow_redirects=False,
            catch_response=True,
            timeout=TIMEOUT,
        ) as response:
            if response.status_code != 302:
                response.failure(f"code refused for {self.username}: {response.status_code}")
                raise StopUser

    # --- the journeys ------------------------------------------------------------------------
    def page(self, url: str, name: str):
        with self.client.get(url, name=name, catch_response=True, timeout=TIMEOUT) as response:
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
        with self.client.get(
            url, name=f"{journey}: form", catch_response=True, timeout=TIMEOUT
        ) as response:
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
            timeout=TIMEOUT,
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

    def run(user):
        getattr(user, method)()

    run.__name__ = method
    return run


def _tasks(mix) -> dict:
    return {_task(j.name): j.weight for j in mix}


if TARGET == "floor":

    class Floor(HttpUser):
        """The floor: the same client and waits against a bare Django view."""

        wait_time = between(WAIT_MIN, WAIT_MAX)

        @task
        def floor(self):
            self.client.get("/", name="floor", timeout=TIMEOUT)

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


@events.test_stop.add_listener
def _write_summary(**kwargs):
    path = os.environ.get("LOAD_RESULT")
    if not path:
        return
    sign_in = [s for s in _samples if s[0].startswith("sign in")]
    work = [s for s in _samples if not s[0].startswith("sign in")]
    names = sorted({s[0] for s in _samples})
    span = max(_span(_samples), 1.0)
    errors: dict[str, int] = {}
    for s in _samples:
        if not s[2]:
            errors[s[4][:200]] = errors.get(s[4][:200], 0) + 1
    # Once every account has signed in (Argon2 hashing is slow on purpose, and starting users
    # sign in at once): the work alone, the steady state.
    signed_in = max((s[3] + s[1] / 1000 for s in sign_in), default=0.0)
    steady = [s for s in work if s[3] >= signed_in]
    result = {
        "target": TARGET,
        "seconds": round(span, 1),
        "work": summarise(work, max(_span(work), 1.0)),
        "work_after_sign_in": summarise(steady, max(_span(steady), 1.0)),
        "sign_in": summarise(sign_in, span),
        "by_name": {n: summarise([s for s in _samples if s[0] == n], span) for n in names},
        "errors": errors,
    }
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2)
