from datetime import date

import pytest

from safeguard.performance.indicators import BY_ID, Period, Scope
from safeguard.performance.selectors import figure

YEAR = Period(date(2025, 4, 1), date(2026, 3, 31))


@pytest.fixture
def measure():
    """``measure("id")`` -> (numerator, denominator) for the 2025-26 census year."""

    def run(kpi_id, period=YEAR, scope=None):
        fig = figure(BY_ID[kpi_id], period, scope or Scope())
        return (fig.numerator, fig.denominator) if fig.numerator is not None else fig.denominator

    return run
