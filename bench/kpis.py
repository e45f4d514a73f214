"""Performance-dashboard benchmark: `python bench/kpis.py [--database FILE | --database-url URL |
--children N]`.

Times, on a generated demo borough, what a manager or analyst waits for: every indicator for
a census year (the `safeguard kpis` command's work), the whole dashboard page (every
indicator, this year and last year, for the authority and for one team), each indicator's
page (24-month trend, by team), a drill-down list, and the demand page for the census year
(for the authority and for one team). Exits non-zero when a target is
missed. Pass `--database` to reuse a borough already generated (a 50,000-child borough takes
many minutes to build); results are recorded in docs/performance.md.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

# Time this checkout's code, not whichever copy of safeguard the environment has installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGETS = {
    "dashboard_ms": 1000,  # issue 5: the whole dashboard in under one second
    "dashboard_team_ms": 1000,
    "kpis_command_ms": 1000,
    "indicator_page_p95_ms": 3000,
    "drill_down_ms": 2000,
    "demand_ms": 1000,  # the demand page (weeks, sources, funnel) for a census year
    "demand_team_ms": 1000,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", help="an existing SQLite demo database to time")
    parser.add_argument(
        "--database-url",
        help="an existing demo database given as a DATABASE_URL (PostgreSQL, say) to time",
    )
    parser.add_argument("--children", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--dashboard-only",
        action="store_true",
        help="time the dashboard pages (and the kpis command) only",
    )
    parser.add_argument(
        "--slowest",
        type=int,
        default=0,
        metavar="N",
        help="also time each of the dashboard's statements alone and list the N slowest",
    )
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="safeguard-bench-kpis-"))
    database = Path(args.database) if args.database else folder / "bench.sqlite3"
    url = args.database_url or f"sqlite:///{database}"
    os.environ.update(
        {
            "DATABASE_URL": url,
            "SAFEGUARD_VAR_DIR": str(folder),
            "SAFEGUARD_STATIC_ROOT": str(folder / "static"),
            "DJANGO_SETTINGS_MODULE": "safeguard.settings",
            "SAFEGUARD_ALLOWED_HOSTS": "testserver,127.0.0.1",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if not (args.database or args.database_url):
        call_command("demo", children=args.children, seed=2009, verbosity=0)

    from django.db import connection
    from django.utils import timezone

    from safeguard.accounts.models import Team, User
    from safeguard.casework.models import Case
    from safeguard.people.models import Person
    from safeguard.performance.calendar import ensure_calendar
    from safeguard.performance.indicators import INDICATORS, Scope
    from safeguard.performance.selectors import figures, last_census_year

    ensure_calendar()
    period = last_census_year(timezone.localdate())
    query = f"?from={period.start}&to={period.end}"
    analyst = User.objects.get(username="analyst1")
    client = Client()
    client.force_login(analyst)
    # Every page needs the second factor too (as the test client gives it).
    from safeguard.accounts.tests.clients import verify_second_factor

    verify_second_factor(client, analyst)

    def timed(url: str) -> float:
        t0 = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - t0) * 1000
        assert response.status_code == 200, (url, response.status_code)
        return elapsed

    def best(fn, n=args.repeat) -> float:
        return statistics.median(fn() for _ in range(n))

    def command() -> float:
        t0 = time.perf_counter()
        figures(period)
        return (time.perf_counter() - t0) * 1000

    team = Team.objects.filter(agency__kind="csc", members__allocations__isnull=False).first()
    timed("/performance/" + query)  # warm up
    results = {
        "kpis_command_ms": best(command),
        "dashboard_ms": best(lambda: timed("/performance/" + query)),
        "dashboard_team_ms": best(lambda: timed(f"/performance/{query}&team={team.pk}")),
    }
    slowest = None
    if not args.dashboard_only:
        pages = [timed(f"/performance/{i.id}/{query}") for i in INDICATORS]
        slowest = max(zip(pages, INDICATORS, strict=True), key=lambda p: p[0])
        results["indicator_page_p95_ms"] = statistics.quantiles(pages, n=20)[-1]
        results["drill_down_ms"] = best(
            lambda: timed(f"/performance/referrals/children/{query}&part=denominator"), 3
        )
        results["demand_ms"] = best(lambda: timed(f"/performance/demand/{query}"))
        results["demand_team_ms"] = best(
            lambda: timed(f"/performance/demand/{query}&team={team.pk}")
        )
    # For comparison only: the same dashboard with every statement on one connection.
    from django.conf import settings

    workers = settings.SAFEGUARD_READ_WORKERS
    settings.SAFEGUARD_READ_WORKERS = 1
    one_connection = best(lambda: timed("/performance/" + query))
    settings.SAFEGUARD_READ_WORKERS = workers
    failed = False
    children = Person.objects.exclude(la_child_id__isnull=True).count()
    print(
        f"Performance benchmarks: demo borough of {children:,} children, "
        f"{Case.objects.count():,} cases ({connection.vendor}), "
        f"period {period.start} to {period.end}, "
        f"{workers} read connection(s) per page (SAFEGUARD_READ_WORKERS)"
    )
    for key, value in results.items():
        target = TARGETS[key]
        ok = value <= target
        failed |= not ok
        print(f"  {key:26} {value:10.1f}   target <= {target:<6} {'ok' if ok else 'MISSED'}")
    if slowest:
        print(f"  slowest indicator page: {slowest[1].id} {slowest[0]:.0f} ms")
    print(f"  dashboard on one connection (for comparison): {one_connection:.0f} ms")
    if args.slowest:
        for label, scope in (("whole authority", Scope()), ("one team", Scope(team_id=team.pk))):
            print_slowest(period, scope, label, args.slowest)
    return 1 if failed else 0


def print_slowest(period, scope, label: str, count: int) -> None:
    """The dashboard's statements for ``scope``, each timed alone (best of 2), slowest first:
    where to look with EXPLAIN ANALYZE."""
    from django.db import connection

    from safeguard.core import parallel_reads
    from safeguard.performance import selectors

    statements = []
    run = parallel_reads.run

    def gather(batch):
        statements.extend(batch)
        return run(batch)

    parallel_reads.run = gather
    try:
        selectors.figures_compared(period, selectors.last_year(period), scope, errors=True)
    finally:
        parallel_reads.run = run
    names = {}
    for key, sql in selectors._SQL.items():
        names.setdefault(sql, key)  # the first part to ask for a statement shared by several
    timings = []
    for statement in statements:
        best_ms = None
        for _ in range(2):
            t0 = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(*statement)
                cursor.fetchall()
            ms = (time.perf_counter() - t0) * 1000
            best_ms = ms if best_ms is None else min(best_ms, ms)
        key = names.get(statement, ("?",))
        parts = [f"{p.start} to {p.end}" if hasattr(p, "start") else str(p) for p in key[:3]]
        timings.append((best_ms, " ".join(parts)))
    timings.sort(reverse=True)
    total = sum(ms for ms, _ in timings)
    print(f"  {label}: {len(statements)} statements, {total:.0f} ms one after another; slowest:")
    for ms, name in timings[:count]:
        print(f"    {ms:7.1f} ms  {name}")


if __name__ == "__main__":
    sys.exit(main())
