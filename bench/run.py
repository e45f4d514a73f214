"""Benchmarks with targets: `make bench` (not part of the test suite: timings belong here).

Builds a demo borough in a throw-away SQLite database, then times what users wait for:
finding a person, opening a person's page and a case page, and the "what is due" lists.
Exits non-zero when a target is missed. Run on an otherwise idle machine.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

# Targets, in milliseconds at the 95th percentile unless stated.
TARGETS = {
    "search_p95_ms": 300,
    "person_page_p95_ms": 300,
    "case_page_p95_ms": 500,
    "due_mine_p95_ms": 500,
    "due_service_ms": 5000,
    "demo_seconds_per_1000_children": 15,
}


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=5000)
    parser.add_argument("--samples", type=int, default=60)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="safeguard-bench-"))
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "SAFEGUARD_VAR_DIR": str(folder),
            "SAFEGUARD_STATIC_ROOT": str(folder / "static"),
            "DJANGO_SETTINGS_MODULE": "safeguard.settings",
            "SAFEGUARD_ALLOWED_HOSTS": "testserver,127.0.0.1",
            "SAFEGUARD_AUTH_LOG_LEVEL": "WARNING",  # not a line per sign-in
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.perf_counter()
    call_command("demo", children=args.children, seed=2009, quality_check=False, verbosity=0)
    demo_seconds = time.perf_counter() - started

    from safeguard.accounts.models import User
    from safeguard.accounts.tests.clients import VerifiedClient as Client  # both factors
    from safeguard.casework.models import Case
    from safeguard.people.models import Person

    rng = random.Random(1)
    sw = User.objects.get(username="sw1")
    tm = User.objects.get(username="tm1")
    client = Client()
    client.force_login(sw)

    def timed(url: str, user=None) -> float:
        if user is not None:
            client.force_login(user)
        t0 = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - t0) * 1000
        assert response.status_code == 200, (url, response.status_code)
        return elapsed

    children = list(
        Person.objects.filter(la_child_id__isnull=False)
        .exclude(given_names="")
        .values_list("pk", "given_names", "family_name")
    )
    sample = rng.sample(children, min(args.samples, len(children)))

    def misspell(name: str) -> str:
        if len(name) < 5:
            return name
        i = rng.randrange(1, len(name) - 2)
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]

    search = [timed(f"/people/?name={g.split()[0]}+{misspell(f)}") for _, g, f in sample]
    person = [timed(f"/people/{pk}/") for pk, _, _ in sample]
    cases = list(Case.objects.values_list("pk", flat=True)[: args.samples])
    case = [timed(f"/cases/{pk}/", tm) for pk in cases]
    due_mine = [timed("/due/", sw) for _ in range(20)]
    due_service = timed("/due/service/", tm)

    results = {
        "search_p95_ms": _p95(search),
        "person_page_p95_ms": _p95(person),
        "case_page_p95_ms": _p95(case),
        "due_mine_p95_ms": _p95(due_mine),
        "due_service_ms": due_service,
        "demo_seconds_per_1000_children": demo_seconds / (args.children / 1000),
    }
    failed = False
    print(f"Safeguard benchmarks: demo borough of {args.children:,} children (SQLite)")
    for key, value in results.items():
        target = TARGETS[key]
        ok = value <= target
        failed |= not ok
        print(f"  {key:34} {value:10.1f}   target <= {target:<6} {'ok' if ok else 'MISSED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
