"""Kingsmere's threshold of need: Safeguard's default continuum, loaded through its service."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import safeguard.referrals
from safeguard.accounts.models import LocalAuthority
from safeguard.referrals.models import ThresholdIndicator, ThresholdLevel
from safeguard.referrals.services import thresholds_load

DEFAULT_THRESHOLDS = Path(safeguard.referrals.__file__).resolve().parent / "thresholds/default.toml"


@dataclass
class Threshold:
    """The loaded levels, by number, with their indicators."""

    levels: dict[int, ThresholdLevel]
    indicators: dict[int, list[ThresholdIndicator]]

    def numbers_implying(self, outcome: str) -> list[int]:
        return [n for n, level in self.levels.items() if level.implied_outcome == outcome]


def load_default_thresholds(authority: LocalAuthority) -> Threshold:
    """Load the packaged default continuum for ``authority``, as the ``load_thresholds``
    command does (run by the system's operator, so no user is named)."""
    with DEFAULT_THRESHOLDS.open("rb") as handle:
        data = tomllib.load(handle)
    levels = thresholds_load(by=None, authority=authority, data=data)
    indicators: dict[int, list[ThresholdIndicator]] = {level.number: [] for level in levels}
    by_id = {level.id: level.number for level in levels}
    for indicator in ThresholdIndicator.objects.filter(
        level__in=levels, disabled_on__isnull=True
    ).order_by("id"):
        indicators[by_id[indicator.level_id]].append(indicator)
    return Threshold(levels={level.number: level for level in levels}, indicators=indicators)
