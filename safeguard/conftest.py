import pytest

from safeguard.accounts.tests.clients import VerifiedClient
from safeguard.testing.world import build_world


@pytest.fixture(autouse=True)
def _audit_checkpoints(settings, tmp_path_factory):
    """Each test keeps its own audit checkpoints: a checkpoint of one test's data must not
    judge the next test's database."""
    settings.SAFEGUARD_AUDIT_CHECKPOINT_DIR = tmp_path_factory.mktemp("audit-checkpoints")


@pytest.fixture
def world(db):
    """The shared test world (see safeguard/testing/world.py)."""
    return build_world()


@pytest.fixture
def client():
    """pytest-django's client, whose ``force_login`` also gives the second factor
    (see safeguard/accounts/tests/clients.py)."""
    return VerifiedClient()
