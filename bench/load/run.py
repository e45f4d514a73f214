"""``make load``: 200 members of staff at once against the production server configuration.

1. Builds (or reuses) a demo borough in a throw-away database: SQLite under
   ``var/load/sqlite/`` by default, or the PostgreSQL database of ``DATABASE_URL``
   (``--fresh`` drops and rebuilds it).
2. Starts Safeguard as production runs it (``safeguard serve``: waitress, the background
   worker beside it, DEBUG off, static files collected and served by whitenoise).
3. Runs locust headless for a bounded time with the mix of ``journeys.py``: demo staff sign
   in with both factors, then search, read person and case pages, their queues and the
   dashboard, and record visits and case notes through the real forms.
4. Runs the same locust client, users and waits against a bare Django view served the same
   way (``floor.py``): the floor.
5. Prints requests, failures, median/p95/p99 and requests per second of both, writes them to
   ``var/load/load-<database>.json``, and exits 1 if any request failed.

    python bench/load/run.py [--children 2000] [--users 200] [--run-time 60s] ...
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_load python bench/load/run.py

The locust executable is looked for beside this Python, or given with ``--locust``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
TARGET = {"median_ms": None, "p95_ms": 300, "floor_share": 0.5}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Load test Safeguard (see the module docstring).")
    p.add_argument("--children", type=int, default=2000, help="borough size (default 2000)")
    p.add_argument("--users", type=int, default=200, help="simulated staff (default 200)")
    p.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    p.add_argument("--run-time", default="60s", help="locust --run-time per target (60s)")
    p.add_argument("--wait-min", type=float, default=10, help="least think time, seconds")
    p.add_argument("--wait-max", type=float, default=30, help="most think time, seconds")
    p.add_argument("--threads", type=int, default=8, help="server threads (serve's default 8)")
    p.add_argument(
        "--gunicorn",
        type=int,
        default=0,
        metavar="WORKERS",
        help="serve with gunicorn (WORKERS processes of --threads threads) instead of "
        "safeguard serve, to compare (gunicorn must be importable; no background worker)",
    )
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--floor-port", type=int, default=8766)
    p.add_argument("--fresh", action="store_true", help="rebuild the borough from scratch")
    p.add_argument("--no-floor", action="store_false", dest="floor")
    p.add_argument("--locust", default=None, help="the locust executable")
    return p.parse_args(argv)


# --- the throw-away database -------------------------------------------------------------------
def database_url() -> str:
    return os.environ.get("DATABASE_URL", "")


def database_name(url: str) -> str:
    return "postgres" if url.startswith(("postgres://", "postgresql://")) else "sqlite"


def environment(var_dir: Path, url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="safeguard.settings",
        SAFEGUARD_VAR_DIR=str(var_dir),
        SAFEGUARD_STATIC_ROOT=str(ROOT / "var" / "load" / "static"),
        SAFEGUARD_DEBUG="0",
        SAFEGUARD_ALLOWED_HOSTS="127.0.0.1,localhost",
        SAFEGUARD_LOG_LEVEL="WARNING",
        SAFEGUARD_AUTH_LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    env["DATABASE_URL"] = url or f"sqlite:///{var_dir / 'safeguard.sqlite3'}"
    return env


def reset_postgres(url: str) -> None:
    """Drop and create the load test's PostgreSQL database (never anything else)."""
    import psycopg

    name = urlparse(url).path.lstrip("/")
    if not name.startswith("wt_load"):
        sys.exit(f"--fresh drops the database: only a wt_load database may be used, not {name!r}")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def ensure_postgres(url: str) -> None:
    import psycopg

    name = urlparse(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not found.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict[str, str], *args: str) -> None:
    command = [PYTHON, str(ROOT / "manage.py"), *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 (our own manage.py)


def build(args, var_dir: Path, url: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    if args.fresh:
        if url:
            reset_postgres(url)
        elif var_dir.exists():
            shutil.rmtree(var_dir)
    elif url:
        ensure_postgres(url)
    var_dir.mkdir(parents=True, exist_ok=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "demo", "--if-empty", "--children", str(args.children))
    manage(env, "collectstatic", "--noinput", "-v0")
    return time.perf_counter() - started


def write_fixture(out: Path) -> None:
    """(In a child process with the load environment.) What the simulated staff ask for:
    demo accounts by kind, open cases with their child, family names to search for."""
    import django
    from django.conf import settings

    django.setup()
    from safeguard.accounts.models import User
    from safeguard.accounts.roles import Role
    from safeguard.casework.models import Case
    from safeguard.demo import generator
    from safeguard.demo.generator.accounts import read_demo_password, read_demo_totp_secret
    from safeguard.people.models import Seal

    path = settings.SAFEGUARD_DEMO_ACCOUNTS_FILE
    staff = User.objects.filter(
        is_active=True,
        agency__authority__name=generator.AUTHORITY_NAME,
        agency__kind="csc",
        totpdevice__confirmed=True,
    ).order_by("username")
    practitioners = [
        {"username": u}
        for u in staff.filter(role=Role.SOCIAL_WORKER).values_list("username", flat=True)
    ]
    managers = [
        {"username": u.username, "team_id": u.teams.order_by("pk").values_list("pk", flat=True)[0]}
        for u in staff.filter(role=Role.TEAM_MANAGER).prefetch_related("teams")
        if u.teams.exists()
    ]
    sealed = Seal.objects.filter(unsealed_at__isnull=True).values("person_id")
    cases = list(
        Case.objects.filter(closure_date__isnull=True)
        .exclude(child_id__in=sealed)
        .order_by("pk")
        .values("pk", "child_id")[:1000]
    )
    names = sorted(
        {
            c.child.family_name
            for c in Case.objects.exclude(child_id__in=sealed)
            .select_related("child")
            .order_by("pk")[:400]
        }
    )
    data = {
        "password": read_demo_password(path),
        "totp_secret": read_demo_totp_secret(path),
        "practitioners": practitioners,
        "managers": managers,
        "cases": [{"case": str(c["pk"]), "child": str(c["child_id"])} for c in cases],
        "names": names,
    }
    if not (data["totp_secret"] and practitioners and managers and cases and names):
        sys.exit("The demo borough has no usable accounts, cases or names: run with --fresh.")
    out.write_text(json.dumps(data), encoding="utf-8")


# --- servers and locust ------------------------------------------------------------------------
def wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the server stopped before answering (exit {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (localhost)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"no answer from {url} in {seconds:.0f} s")


def port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def server_command(args, app: str, port: int) -> list[str] | None:
    """gunicorn's command line when comparing with it (``--gunicorn WORKERS``), else None."""
    if not args.gunicorn:
        return None
    return [
        PYTHON, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}",
        "--workers", str(args.gunicorn), "--threads", str(args.threads),
        "--worker-class", "gthread", "--worker-connections", "1000",
        "--log-level", "warning",
    ]  # fmt: skip


def locust_executable(args) -> str:
    found = args.locust or os.environ.get("LOCUST") or str(Path(PYTHON).parent / "locust")
    if not Path(found).exists() and not shutil.which(found):
        sys.exit(f"locust not found at {found}: `make install` (it is a dev dependency)")
    return found


def run_locust(args, target: str, port: int, fixture: Path, out: Path) -> dict:
    env = dict(os.environ)
    env.update(
        LOAD_TARGET=target,
        LOAD_FIXTURE=str(fixture),
        LOAD_RESULT=str(out),
        LOAD_WAIT_MIN=str(args.wait_min),
        LOAD_WAIT_MAX=str(args.wait_max),
    )
    out.unlink(missing_ok=True)
    command = [
        locust_executable(args), "-f", str(HERE / "locustfile.py"), "--headless",
        "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
        "--run-time", args.run_time, "--stop-timeout", "20",
        "--host", f"http://127.0.0.1:{port}", "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    subprocess.run(command, cwd=HERE, env=env, check=False)  # noqa: S603 (locust, our file)
    if not out.exists():
        sys.exit(f"locust wrote no summary for {target}")
    return json.loads(out.read_text(encoding="utf-8"))


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def row(label: str, s: dict) -> str:
    if not s:
        return f"{label:<22}{'none':>9}"
    return (
        f"{label:<22}{s['requests']:>9}{s['failures']:>9}{s['median_ms']:>10}"
        f"{s['p95_ms']:>9}{s['p99_ms']:>9}{s['rps']:>9}"
    )


def report(result: dict) -> str:
    lines = [
        f"{'':<22}{'requests':>9}{'failures':>9}{'median ms':>10}{'p95 ms':>9}"
        f"{'p99 ms':>9}{'req/s':>9}",
        row("Safeguard (work)", result["app"]["work"]),
        row("  after every sign-in", result["app"].get("work_after_sign_in") or {}),
        row("Safeguard (sign in)", result["app"]["sign_in"]),
    ]
    if result.get("floor"):
        lines.append(row("bare view (floor)", result["floor"]["work"]))
    lines.append("")
    for name, s in sorted(result["app"]["by_name"].items()):
        lines.append(row(f"  {name}", s))
    if result["app"]["errors"] or (result.get("floor") or {}).get("errors"):
        lines.append("")
        lines.append("Errors:")
        for where in ("app", "floor"):
            for message, count in ((result.get(where) or {}).get("errors") or {}).items():
                lines.append(f"  {where}: {count} x {message}")
    lines.append("")
    lines.append(f"Verdict: {json.dumps(result['verdict'])}")
    return "\n".join(lines)


def verdict(result: dict) -> dict:
    """The issue's targets against a run: zero errors (sign-in, work and floor), the work's
    95th percentile under 300 ms, its throughput at least half the floor's."""
    work, sign_in = result["app"]["work"], result["app"]["sign_in"]
    floor = (result.get("floor") or {}).get("work", {})
    failures = work["failures"] + sign_in["failures"] + floor.get("failures", 0)
    return {
        "failures": failures,
        "zero_errors": failures == 0,
        "p95_under_300_ms": work["p95_ms"] < TARGET["p95_ms"],
        "throughput_at_least_half_floor": work["rps"] >= TARGET["floor_share"] * floor["rps"]
        if floor.get("rps")
        else None,
    }


def main(argv: list[str] | None = None) -> int:
    if argv is None and sys.argv[1:2] == ["fixture"]:
        write_fixture(Path(sys.argv[2]))
        return 0
    args = parse_args(argv)
    url = database_url()
    kind = database_name(url)
    var_dir = ROOT / "var" / "load" / kind
    env = environment(var_dir, url)
    for port in (args.port, args.floor_port):
        if not port_free(port):
            sys.exit(f"port {port} is in use: choose another with --port / --floor-port")
    print(f"Building or reusing the {kind} demo borough ({args.children:,} children)...")
    build_seconds = build(args, var_dir, url, env)
    fixture = ROOT / "var" / "load" / f"fixture-{kind}.json"
    command = [PYTHON, __file__, "fixture", str(fixture)]
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 (this script)

    result: dict = {
        "database": kind,
        "children": args.children,
        "users": args.users,
        "spawn_rate": args.spawn_rate,
        "run_time": args.run_time,
        "wait_seconds": [args.wait_min, args.wait_max],
        "server": f"gunicorn, {args.gunicorn} workers x {args.threads} threads"
        if args.gunicorn
        else f"waitress, {args.threads} threads (safeguard serve)",
        "machine": {
            "cpus": os.cpu_count(),
            "cpu": cpu_model(),
            "python": platform.python_version(),
        },
        "build_seconds": round(build_seconds, 1),
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "load_average_before": load_average(),
    }
    log = (var_dir / "server.log").open("w")  # waitress's "Task queue depth" warnings, etc.
    print(f"Server messages: {log.name}")
    server = subprocess.Popen(  # noqa: S603 (our own manage.py, or gunicorn)
        server_command(args, "safeguard.wsgi:application", args.port)
        or [PYTHON, str(ROOT / "manage.py"), "serve", "--host", "127.0.0.1",
            "--port", str(args.port), "--threads", str(args.threads)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    try:
        wait_for(f"http://127.0.0.1:{args.port}/sign-in/", server)
        print(f"Safeguard: {args.users} users for {args.run_time}...")
        result["app"] = run_locust(args, "app", args.port, fixture, var_dir / "app.json")
    finally:
        stop(server)
        log.close()
    result["load_average_after_app"] = load_average()
    if args.floor:
        floor = subprocess.Popen(  # noqa: S603 (our own floor.py, or gunicorn)
            server_command(args, "floor:application()", args.floor_port)
            or [PYTHON, str(HERE / "floor.py"), "--port", str(args.floor_port),
                "--threads", str(args.threads)],
            cwd=HERE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            wait_for(f"http://127.0.0.1:{args.floor_port}/", floor)
            print(f"Floor: the same {args.users} users for {args.run_time}...")
            out = var_dir / "floor.json"
            result["floor"] = run_locust(args, "floor", args.floor_port, fixture, out)
        finally:
            stop(floor)
    result["load_average_after"] = load_average()

    result["verdict"] = verdict(result)
    out = ROOT / "var" / "load" / f"load-{kind}{'-gunicorn' if args.gunicorn else ''}.json"
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print()
    print(report(result))
    print(f"\nWritten to {out.relative_to(ROOT)}")
    return 1 if result["verdict"]["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
