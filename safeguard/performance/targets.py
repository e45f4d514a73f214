"""Each figure against its target: on target, within tolerance or off target (decision 0084).

``status(target, shown_value, month_end)`` compares a figure in the units the pages show (a
rate in per cent) with the target for the period's last month. ``current(authority_id)`` is
the agreed target of each indicator (one query); ``against(figures, targets, end)`` pairs a
dashboard's figures with their standing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from safeguard.performance.models import Direction, Target

ON = "on target"
WITHIN = "within tolerance"
OFF = "off target"

# Which way is better for each indicator, read from its definition (kpis.md): the timeliness
# rates and supervision higher; re-referrals, repeat and long plans, unallocated cases and
# caseloads lower. Counts of activity (referrals, plans started) have no better way: the
# target's setter chooses, and the form starts from this.
DIRECTIONS = {
    "rereferrals_12m": Direction.LOWER,
    "referrals_nfa": Direction.LOWER,
    "cpp_repeat": Direction.LOWER,
    "cpp_ended_2y_plus": Direction.LOWER,
    "ni64_cpp_2y_plus": Direction.LOWER,
    "ni65_cpp_second_or_subsequent": Direction.LOWER,
    "unallocated_cases": Direction.LOWER,
    "average_caseload": Direction.LOWER,
}


def default_direction(indicator_id: str) -> str:
    return DIRECTIONS.get(indicator_id, Direction.HIGHER)


def shown_number(figure) -> float | None:
    """A figure's value in the units targets are set in: per cent for a rate."""
    value = figure.value
    if value is None:
        return None
    return value * 100 if figure.indicator.kind == "rate" else float(value)


def status(target: Target, value: float | None, month_end: date) -> str | None:
    """On, within tolerance or off target; None without a figure."""
    if value is None:
        return None
    aim = target.value_for(month_end)
    tolerance = float(target.tolerance)
    # Compared after rounding to the places the pages show, so that "85.0%" is never "off
    # a target of 85".
    value = round(value, 1)
    gap = value - aim if target.direction == Direction.HIGHER else aim - value
    if gap >= 0:
        return ON
    if gap >= -tolerance - 1e-9:
        return WITHIN
    return OFF


def current(authority_id: int | None) -> dict[str, Target]:
    """The agreed target in force for each indicator of the authority: its latest agreed
    version. One query."""
    if authority_id is None:
        return {}
    found: dict[str, Target] = {}
    for target in Target.objects.filter(
        authority_id=authority_id, agreed_at__isnull=False
    ).order_by("indicator_id", "-agreed_at"):
        found.setdefault(target.indicator_id, target)
    return found


@dataclass(frozen=True)
class Standing:
    target: Target
    aim: float
    status: str | None

    @property
    def aim_shown(self) -> str:
        return shown_in_units(self.target.indicator_id, self.aim)

    @property
    def tolerance_shown(self) -> str:
        return shown_in_units(self.target.indicator_id, float(self.target.tolerance))


def shown_in_units(indicator_id: str, number: float) -> str:
    """A target, a tolerance, written as the figures are: "85%" for a rate."""
    from safeguard.performance.indicators import BY_ID

    indicator = BY_ID.get(indicator_id)
    text = f"{number:,.2f}".rstrip("0").rstrip(".")
    return f"{text}%" if indicator is not None and indicator.kind == "rate" else text


def standing(target: Target | None, figure, month_end: date) -> Standing | None:
    if target is None or figure is None:
        return None
    return Standing(
        target, target.value_for(month_end), status(target, shown_number(figure), month_end)
    )
