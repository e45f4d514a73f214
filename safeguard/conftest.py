import pytest

from safeguard.testing.world import build_world


@pytest.fixture
def world(db):
    """The shared test world (see safeguard/testing/world.py)."""
    return build_world()
