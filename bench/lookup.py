"""Lookup throughput and latency under the production server, beside a bare Django view.

Not a test: a measurement for docs/performance.md (issue 17: at least 1,000 lookups a second,
99% under 20 ms, at least 0.7 times the bare view's throughput).

1. Builds or reuses a throw-away demo borough (``var/lookup-bench/``, or the PostgreSQL
   database of ``DATABASE_URL``), as ``make load`` does (``bench/load/run.py``).
2. Issues a key for the borough's hospital trust (``safeguard create-api-key``; the key lives
   only in this process's memory) with a rate limit above what is offered.
3. Starts Safeguard as production runs it (``safeguard serve``: waitress, DEBUG off, kept
   database connections), ``--processes`` of them sharing the port (``--reuse-port``, one a
   core by default; decision 0078), with email to the dummy backend (a real lookup also sends
   up to two emails in the request).
4. Runs ``--clients`` keep-alive HTTP clients for ``--seconds`` against
   ``GET /api/v1/child-protection-status?nhs_number=...``, cycling through children on plans
   (each call notifies their worker and manager) and children off them, then the same
   clients against the bare view (``bench/load/floor.py``, as many processes) on the same
   machine in the same run.

    .venv/bin/python bench/lookup.py [--children 2000] [--clients 16] [--seconds 20]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "load"))

from run import (  # noqa: E402 (bench/load/run.py, the load test's helpers)
    PYTHON,
    ROOT,
    database_name,
    database_url,
    ensure_postgres,
    environment,
    manage,
    port_free,
    stop,
    wait_for,
)

TARGET = {"rps": 1000, "p99_ms": 20, "floor_share": 0.7}
ORGANISATION = "Kingsmere Hospitals NHS Trust"
CHILDREN_SQL = """
import json
from safeguard.people.models import Person
from safeguard.protection.models import ChildProtectionPlan
plans = ChildProtectionPlan.objects.filter(
    end_date__isnull=True, case__child__nhs_number__isnull=False
)
on = list(plans.values_list("case__child__nhs_number", flat=True)[:50])
off = list(Person.objects.filter(nhs_number__isnull=False, cases__isnull=True)
           .values_list("nhs_number", flat=True)[:50])
print(json.dumps({"on": on, "off": off}))
"""


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Lookup throughput and latency (module docstring).")
    p.add_argument("--children", type=int, default=2000)
    p.add_argument("--clients", type=int, default=16, help="concurrent keep-alive clients")
    p.add_argument("--seconds", type=float, default=20, help="measured seconds per target")
    p.add_argument("--warm", type=float, default=3, help="unmeasured seconds first")
    p.add_argument("--threads", type=int, default=8, help="server threads")
    p.add_argument(
        "--processes",
        type=int,
        default=os.cpu_count() or 1,
        help="server processes sharing the port (SO_REUSEPORT), for the lookup and the bare "
        "view alike (default: one a core)",
    )
    p.add_argument(
        "--conn-max-age",
        type=int,
        default=60,
        help="SAFEGUARD_DB_CONN_MAX_AGE for the server (0: a connection a request)",
    )
    p.add_argument("--port", type=int, default=8775)
    p.add_argument("--floor-port", type=int, default=8776)
    p.add_argument(
        "--mix", type=float, default=0.5, help="share of lookups of children on plans (0.5)"
    )
    return p.parse_args(argv)


def load(port: int, paths: list[str], headers: dict, *, clients: int, seconds: float, warm: float):
    """``clients`` threads, each on one keep-alive connection, asking for ``paths`` in turn
    until the time is up; latencies of the measured window only."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    start = time.perf_counter()
    measure_from, stop_at = start + warm, start + warm + seconds

    def client(n: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad, i = [], 0, n
        while True:
            before = time.perf_counter()
            if before >= stop_at:
                break
            try:
                connection.request("GET", paths[i % len(paths)], headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            after = time.perf_counter()
            if before >= measure_from:
                mine.append(after - before)
                bad += not ok
            i += clients
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()

    def pct(p: float) -> float:
        return round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1)

    return {
        "requests": len(latencies),
        "errors": errors[0],
        "rps": round(len(latencies) / seconds, 1),
        "median_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "p95_ms": pct(0.95) if latencies else None,
        "p99_ms": pct(0.99) if latencies else None,
        "max_ms": round(1000 * latencies[-1], 1) if latencies else None,
    }


def start(commands: list[list[str]], url: str, *, env) -> list[subprocess.Popen]:
    """Start the server processes that share one port, one after the other, each answering
    before the next starts (SO_REUSEPORT: the kernel spreads new connections between them)."""
    started = []
    for command in commands:
        process = subprocess.Popen(  # noqa: S603 (our own scripts)
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        started.append(process)
        wait_for(url, process, seconds=90)
        # The port answers from the processes already up: give this one time to listen too.
        time.sleep(4 if started[1:] else 0)
        if process.poll() is not None:
            sys.exit(f"a server stopped at start (exit {process.returncode})")
    return started


def main(argv=None) -> int:
    args = parse_args(argv)
    url = database_url()
    var_dir = ROOT / "var" / "lookup-bench"
    env = environment(var_dir, url)
    env["SAFEGUARD_EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    env["SAFEGUARD_DB_CONN_MAX_AGE"] = str(args.conn_max_age)
    for port in (args.port, args.floor_port):
        if not port_free(port):
            sys.exit(f"port {port} is in use: choose another with --port / --floor-port")
    if url:
        ensure_postgres(url)
    var_dir.mkdir(parents=True, exist_ok=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "demo", "--if-empty", "--children", str(args.children))
    key = subprocess.run(  # noqa: S603 (our own manage.py)
        [PYTHON, str(ROOT / "manage.py"), "create_api_key", "--organisation", ORGANISATION,
         "--scope", "cp-lookup", "--rate-limit", "120000"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    shell = subprocess.run(  # noqa: S603 (our own manage.py)
        [PYTHON, str(ROOT / "manage.py"), "shell", "-c", CHILDREN_SQL],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    children = json.loads(shell.stdout.strip().splitlines()[-1])
    on, off = children["on"], children["off"]
    n_on = round(args.mix * 20)
    cycle = [on[i % len(on)] for i in range(n_on)] + [off[i % len(off)] for i in range(20 - n_on)]
    paths = [f"/api/v1/child-protection-status?nhs_number={n}" for n in cycle]
    headers = {"Authorization": f"Bearer {key}", "Host": "127.0.0.1"}
    result = {
        "database": database_name(url),
        "children": args.children,
        "clients": args.clients,
        "seconds": args.seconds,
        "server": f"waitress, {args.processes} process(es) of {args.threads} threads "
        "(safeguard serve --reuse-port)",
        "db_conn_max_age": args.conn_max_age,
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "mix_on_plans": args.mix,
    }
    serve = [PYTHON, str(ROOT / "manage.py"), "serve", "--host", "127.0.0.1",
             "--port", str(args.port), "--threads", str(args.threads), "--reuse-port"]  # fmt: skip
    servers = start(
        [serve] + [[*serve, "--no-worker"]] * (args.processes - 1),
        f"http://127.0.0.1:{args.port}/health/",
        env=env,
    )
    try:
        result["lookup"] = load(
            args.port, paths, headers, clients=args.clients, seconds=args.seconds, warm=args.warm
        )
    finally:
        for server in servers:
            stop(server)
    floor = [PYTHON, str(HERE / "load" / "floor.py"), "--port", str(args.floor_port),
             "--threads", str(args.threads), "--reuse-port"]  # fmt: skip
    floors = start([floor] * args.processes, f"http://127.0.0.1:{args.floor_port}/", env=None)
    try:
        result["floor"] = load(
            args.floor_port, ["/"], {"Host": "127.0.0.1"},
            clients=args.clients, seconds=args.seconds, warm=args.warm,
        )  # fmt: skip
    finally:
        for server in floors:
            stop(server)
    lookup, bare = result["lookup"], result["floor"]
    result["verdict"] = {
        "rps_at_least_1000": lookup["rps"] >= TARGET["rps"],
        "p99_under_20_ms": (lookup["p99_ms"] or 1e9) < TARGET["p99_ms"],
        "at_least_0_7_of_floor": lookup["rps"] >= TARGET["floor_share"] * bare["rps"],
        "no_errors": lookup["errors"] == 0 and bare["errors"] == 0,
    }
    print(json.dumps(result, indent=2))
    (var_dir / "result.json").write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
