import pytest

from safeguard.accounts.tests.clients import VerifiedClient
from safeguard.testing.world import build_world


@pytest.fixture
def world(db):
    """The shared test world (see safeguard/testing/world.py)."""
    return build_world()


@pytest.fixture
def client():
    """pytest-django's client, whose ``force_login`` also gives the second factor
    (see safeguard/accounts/tests/clients.py)."""
    return VerifiedClient()
