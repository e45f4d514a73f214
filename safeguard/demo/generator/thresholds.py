"""Kingsmere's threshold of need: Safeguard's default continuum (``referrals.services.
thresholds_load_default``, which ``safeguard create-authority`` uses too), with its levels and
indicators to hand for the contacts."""

from __future__ import annotations

from dataclasses import dataclass

from safeguard.accounts.models import LocalAuthority
from safeguard.referrals.models import ThresholdIndicator, ThresholdLevel
from safeguard.referrals.services import thresholds_load_default


@dataclass
class Threshold:
    """The loaded levels, by number, with their indicators."""

    levels: dict[int, ThresholdLevel]
    indicators: dict[int, list[ThresholdIndicator]]

    def numbers_implying(self, outcome: str) -> list[int]:
        return [n for n, level in self.levels.items() if level.implied_outcome == outcome]


def load_default_thresholds(authority: LocalAuthority) -> Threshold:
    """Load the default continuum for ``authority`` (``referrals.services``), as
    ``safeguard create-authority`` does (run by the system's operator, so no user is named)."""
    levels = thresholds_load_default(by=None, authority=authority)
    indicators: dict[int, list[ThresholdIndicator]] = {level.number: [] for level in levels}
    by_id = {level.id: level.number for level in levels}
    for indicator in ThresholdIndicator.objects.filter(
        level__in=levels, disabled_on__isnull=True
    ).order_by("id"):
        indicators[by_id[indicator.level_id]].append(indicator)
    return Threshold(levels={level.number: level for level in levels}, indicators=indicators)
