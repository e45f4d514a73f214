"""`make bench`: 8 threads x 50 version-checked increments of one record, the measurement of
../shared/security.md test 1 (CI runs 8 x 10: safeguard/tests/test_reliability.py).

It fails when the target is missed: any lost update, or a save that neither succeeded nor was
refused as stale.
"""

import pytest

from safeguard.tests.test_reliability import (  # noqa: F401 (fixtures)
    concurrent_increments,
    scratch,
    sqlite_template,
)


@pytest.mark.slow
def test_four_hundred_contended_saves_lose_nothing(scratch):  # noqa: F811
    concurrent_increments(scratch, threads=8, attempts=50)
