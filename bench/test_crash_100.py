"""`make bench`: the writer of the reliability tests killed with SIGKILL 100 times, the target
of ../shared/security.md test 2 (CI kills it 25 times: safeguard/tests/test_reliability.py).

It fails, like every benchmark here, when the target is missed: any corruption, half-written
batch or broken audit chain after 100 kills.
"""

import pytest

from safeguard.tests.test_reliability import (  # noqa: F401 (fixtures)
    _kill_repeatedly,
    scratch,
    sqlite_template,
)


@pytest.mark.slow
def test_killing_a_writer_a_hundred_times(scratch):  # noqa: F811
    _kill_repeatedly(scratch, 100)
