"""The load test (``make load``, ``bench/load/``; issue 13 item 7) is in order, without running
it: the mix covers the journeys the issue names, the locustfile has a task for each, the
client's pieces (second-factor code, form read-back, summary) work, ``make load`` takes its
options, and the floor's bare view is never part of Safeguard. No network; the load run
itself is not part of the suite."""

import ast
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOAD = ROOT / "bench" / "load"


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"load_{name}", LOAD / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_mix_covers_the_named_journeys_mostly_reads():
    journeys = _module("journeys")
    assert journeys.all_journeys() >= journeys.REQUIRED
    for mix in (journeys.PRACTITIONER, journeys.MANAGER):
        assert all(j.weight > 0 for j in mix)
        reads = sum(j.weight for j in mix if not j.writes)
        writes = sum(j.weight for j in mix if j.writes)
        assert reads > 3 * writes > 0
    written = {j.name for j in journeys.PRACTITIONER + journeys.MANAGER if j.writes}
    assert written == {"visit", "case note"}


def test_the_locustfile_has_a_method_for_every_journey():
    journeys = _module("journeys")
    tree = ast.parse((LOAD / "locustfile.py").read_text())
    staff = next(n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name == "Staff")
    methods = {n.name for n in staff.body if isinstance(n, ast.FunctionDef)}
    for name in journeys.all_journeys():
        assert name.replace(" ", "_") in methods, name


def _locust_python() -> str | None:
    """A Python with locust installed: this one (after `make install`) or LOCUST's."""
    if importlib.util.find_spec("locust") is not None:
        return sys.executable
    locust = os.environ.get("LOCUST") or shutil.which("locust")
    if locust and (python := Path(locust).with_name("python")).exists():
        return str(python)
    return None


def test_the_locustfile_imports_with_its_tasks():
    python = _locust_python()
    # locust is a dev dependency in the lock: `make test` installs it, so its absence is a
    # broken install, not a reason to skip.
    assert python is not None, "locust is not installed: run make install"
    # A separate process: locust patches the standard library with gevent when imported.
    script = (
        "import json, locustfile as f; "
        "print(json.dumps({c.__name__: [t.__name__ for t in c.tasks] "
        "for c in (f.Practitioner, f.Manager)}))"
    )
    done = subprocess.run(
        [python, "-c", script],
        cwd=LOAD,
        env={**os.environ, "LOAD_TARGET": "app"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    tasks = json.loads(done.stdout.strip().splitlines()[-1])
    journeys = _module("journeys")
    for name, mix in (("Practitioner", journeys.PRACTITIONER), ("Manager", journeys.MANAGER)):
        # locust repeats each task by its weight
        assert sorted(tasks[name]) == sorted(
            j.name.replace(" ", "_") for j in mix for _ in range(j.weight)
        )


def test_the_second_factor_code_is_the_authenticators():
    from django_otp.oath import TOTP

    client = _module("client")
    key = bytes(range(20))
    secret = __import__("base64").b32encode(key).decode().rstrip("=")
    for at in (59, 1_111_111_109, 1_234_567_890, 2_000_000_000):
        totp = TOTP(key, step=30, t0=0, digits=6)
        totp.time = at
        assert client.totp(secret, at=at) == f"{totp.token():06d}"


def test_a_form_is_read_back_as_a_browser_would_send_it():
    client = _module("client")
    html = """<form method="post">
      <input type="hidden" name="csrfmiddlewaretoken" value="abc">
      <input name="visit_date_0" value="6"><input type="text" name="empty">
      <input type="radio" name="kind" value="S47"><input type="radio" name="kind" value="CIN" checked>
      <input type="checkbox" name="alone"><input type="checkbox" name="bedroom" checked>
      <select name="worker"><option value="1">A</option><option value="2" selected>B</option></select>
      <textarea name="notes">kept</textarea><button type="submit" name="go">Save</button>
      <input type="submit" name="other" value="x"></form>"""
    assert client.form_fields(html) == {
        "csrfmiddlewaretoken": "abc",
        "visit_date_0": "6",
        "empty": "",
        "kind": "CIN",
        "bedroom": "on",
        "worker": "2",
        "notes": "kept",
    }


def test_the_summary_counts_failures_and_percentiles():
    client = _module("client")
    samples = [("case", float(ms), ms != 100, 1000.0 + ms / 10, "") for ms in range(1, 101)]
    summary = client.summarise(samples, 10.0)
    assert summary["requests"] == 100
    assert summary["failures"] == 1
    assert (summary["median_ms"], summary["p95_ms"], summary["p99_ms"]) == (50, 95, 99)
    assert summary["rps"] == 10.0
    assert client.summarise([], 1.0)["requests"] == 0


def test_make_load_runs_the_driver_with_its_options():
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^load:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe, "no load target in the Makefile"
    assert "bench/load/run.py" in recipe.group(1)
    for option in ("--users $(LOAD_USERS)", "--run-time $(LOAD_TIME)", "--children"):
        assert option in recipe.group(1)
    assert re.search(r"^test:.*\bload\b", makefile, re.MULTILINE) is None
    run = _module("run")
    args = run.parse_args(["--users", "5", "--run-time", "10s", "--children", "300"])
    assert (args.users, args.run_time, args.children) == (5, "10s", 300)
    defaults = run.parse_args([])
    assert (defaults.users, defaults.floor) == (200, True)


def test_the_floor_is_never_part_of_safeguard():
    """The bare view lives only in bench/load/floor.py: nothing in the application imports
    or routes to it, so production cannot serve it."""
    for path in (ROOT / "safeguard").rglob("*.py"):
        if "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert "bench.load" not in text and "floor.py" not in text, path
    floor = (LOAD / "floor.py").read_text()
    assert "from safeguard" not in floor and "import safeguard" not in floor


def test_the_driver_drops_only_a_load_database():
    run = _module("run")
    with pytest.raises(SystemExit):
        run.reset_postgres("postgres://postgres@127.0.0.1:5432/safeguard")


def test_any_failed_request_fails_the_run():
    run = _module("run")

    def summary(failures=0, p95=100.0, rps=5.0):
        return {"failures": failures, "p95_ms": p95, "rps": rps}

    good = {"app": {"work": summary(), "sign_in": summary()}, "floor": {"work": summary(rps=8)}}
    assert run.verdict(good) == {
        "failures": 0,
        "zero_errors": True,
        "p95_under_300_ms": True,
        "throughput_at_least_half_floor": True,
    }
    for where in ("work", "sign_in"):
        bad = {**good, "app": {**good["app"], where: summary(failures=1)}}
        assert run.verdict(bad)["failures"] == 1
    slow = {"app": {"work": summary(p95=300, rps=3), "sign_in": summary()}, "floor": good["floor"]}
    assert run.verdict(slow)["p95_under_300_ms"] is False
    assert run.verdict(slow)["throughput_at_least_half_floor"] is False
    assert run.verdict({"app": good["app"]})["throughput_at_least_half_floor"] is None
