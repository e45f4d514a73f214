"""The reporting replica (decision 0072), configured as an installation configures it: with
``SAFEGUARD_REPORTING_DATABASE_URL`` set, ``safeguard kpis`` and the performance pages read
from that database and give the same figures, while the access events they write go to the
primary.

Run as processes of their own against database files (Django's test isolation allows no
database alias added during a test): a demo borough is the primary; a copy of it is a replica
in step; an empty database is a replica that has copied nothing, which proves the figures come
from the replica and not the primary."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]
KPIS = ["kpis", "--from", "2025-04-01", "--to", "2026-03-31", "--json"]

# Run in the primary's process: each performance page as an analyst, counting the statements
# on each connection; printed as JSON.
PAGES = """
import json
from django.db import connections
from safeguard.accounts.tests.clients import VerifiedClient
from django.test.utils import CaptureQueriesContext
from safeguard.accounts.models import Role, User
from safeguard.audit.models import AccessEvent

client = VerifiedClient()
client.force_login(User.objects.filter(role=Role.PERFORMANCE_ANALYST, is_active=True).first())
before = AccessEvent.objects.count()
pages = {}
for url in ["/performance/", "/performance/referrals/", "/performance/referrals/children/?part=denominator", "/performance/demand/"]:
    with CaptureQueriesContext(connections["reporting"]) as replica:
        status = client.get(url, secure=True).status_code
    pages[url] = {
        "status": status,
        "replica_reads": sum(1 for q in replica if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))),
        "replica_writes": sum(1 for q in replica if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))),
    }
print(json.dumps({"pages": pages, "access_events_written": AccessEvent.objects.count() - before}))
"""


def _run(args, *, database: Path, reporting: Path | None = None, var: Path) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SAFEGUARD_VAR_DIR": str(var),
        "SAFEGUARD_READ_WORKERS": "1",  # every statement on the counted connection
        "SAFEGUARD_ALLOWED_HOSTS": "testserver",  # the test client's host
    }
    env.pop("SAFEGUARD_REPORTING_DATABASE_URL", None)
    if reporting is not None:
        env["SAFEGUARD_REPORTING_DATABASE_URL"] = f"sqlite:///{reporting}"
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _databases(tmp_path_factory):
    """The primary (a demo borough), a replica in step (its copy) and an empty replica."""
    folder = tmp_path_factory.mktemp("replica")
    primary, copy, empty = (
        folder / "primary.sqlite3",
        folder / "copy.sqlite3",
        folder / "empty.sqlite3",
    )
    # Migrated once: the empty replica is the migrated file, the primary its copy with a demo.
    _run(["migrate", "-v0"], database=empty, var=folder)
    with sqlite3.connect(empty) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(empty, primary)
    _run(
        ["demo", "--children", "30", "--seed", "7", "--as-at", "2026-05-01", "--no-quality-check"],
        database=primary, var=folder,
    )  # fmt: skip
    with sqlite3.connect(primary) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(primary, copy)
    return folder, primary, copy, empty


def test_kpis_and_pages_read_the_replica(tmp_path_factory):
    """One test, so that the borough is built once whichever worker runs it."""
    databases = _databases(tmp_path_factory)
    kpis_read_the_replica_and_give_the_same_figures(databases)
    the_performance_pages_read_the_replica_and_log_access_on_the_primary(databases)


def kpis_read_the_replica_and_give_the_same_figures(databases):
    folder, primary, copy, empty = databases
    alone = _run(KPIS, database=primary, var=folder)
    figures = json.loads(alone)["kpis"]
    assert any(fig.get("denominator") for fig in figures.values())
    assert _run(KPIS, database=primary, reporting=copy, var=folder) == alone
    # A replica that has copied nothing gives its own figures, not the primary's.
    from_empty = _run(KPIS, database=primary, reporting=empty, var=folder)
    assert from_empty != alone
    assert from_empty == _run(KPIS, database=empty, var=folder)


def the_performance_pages_read_the_replica_and_log_access_on_the_primary(databases):
    folder, primary, copy, _ = databases
    found = json.loads(
        _run(["shell", "-c", PAGES], database=primary, reporting=copy, var=folder)
        .strip()
        .splitlines()[-1]
    )
    for url, page in found["pages"].items():
        assert page["status"] == 200, url
        assert page["replica_reads"] > 0, url
        assert page["replica_writes"] == 0, url
    # The drill-down listed children: its access events were written, on the primary.
    assert found["access_events_written"] > 0
    with sqlite3.connect(copy) as db:
        assert db.execute("SELECT COUNT(*) FROM audit_accessevent").fetchone()[0] < sum(
            1 for _ in sqlite3.connect(primary).execute("SELECT id FROM audit_accessevent")
        )
