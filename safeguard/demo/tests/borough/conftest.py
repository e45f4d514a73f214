"""One demo borough for every test of this package: built once per test process, inside a
transaction rolled back when the package's tests are done, so that each test reads the same
300 children without paying for its own build (each test's own changes are rolled back as
usual, inside it).

The tests here only read what the demo made; a test that needs a borough of another size,
seed or date builds its own (``safeguard/demo/tests/test_demo.py``). Every module here is in
the xdist group "borough" (``--dist loadgroup``), so the package runs in one process and the
borough is built once per run.
"""

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

AS_AT = date(2026, 6, 30)
CHILDREN = 300
SEED = 7


@dataclass(frozen=True)
class Borough:
    as_at: date
    accounts_file: Path


@pytest.fixture(scope="package")
def borough(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("borough")
    settings = override_settings(
        SAFEGUARD_DEMO_ACCOUNTS_FILE=folder / "demo-accounts.txt",
        SAFEGUARD_DOCUMENTS_DIR=folder / "documents",
        SAFEGUARD_AUDIT_CHECKPOINT_DIR=folder / "audit-checkpoints",
    )
    settings.enable()
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            call_command(
                "demo", children=CHILDREN, seed=SEED, as_at=AS_AT.isoformat(), stdout=io.StringIO()
            )
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            settings.disable()
            raise
    try:
        yield Borough(as_at=AS_AT, accounts_file=folder / "demo-accounts.txt")
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
        settings.disable()
