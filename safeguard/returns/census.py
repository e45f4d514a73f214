"""The census year: 1 April to 31 March, named like "2025-26" (standards.md §1)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from safeguard.core.errors import ApplicationError

_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class CensusYear:
    """A census year, by the calendar year it starts in (2025 for "2025-26")."""

    first_year: int

    @classmethod
    def parse(cls, text: str) -> CensusYear:
        """``"2025-26"`` -> ``CensusYear(2025)``; anything else raises ``ApplicationError``."""
        match = _YEAR.match((text or "").strip())
        if not match:
            raise ApplicationError(
                f"Give the census year like 2025-26 (the year from 1 April 2025 to 31 March "
                f"2026), not {text!r}."
            )
        first, second = int(match.group(1)), int(match.group(2))
        if (first + 1) % 100 != second:
            raise ApplicationError(
                f"A census year runs over two consecutive years, like {first}-"
                f"{(first + 1) % 100:02d}, not {text!r}."
            )
        if not 2000 <= first <= 2099:
            raise ApplicationError(f"The census year {text!r} is out of range.")
        return cls(first)

    @property
    def label(self) -> str:
        return f"{self.first_year}-{(self.first_year + 1) % 100:02d}"

    @property
    def start(self) -> date:
        return date(self.first_year, 4, 1)

    @property
    def reference_date(self) -> date:
        """The census's 31 March (``<ReferenceDate>``), the last day of the year."""
        return date(self.first_year + 1, 3, 31)

    @property
    def end_year(self) -> int:
        """``<Year>`` in the header: the year of the reference date."""
        return self.first_year + 1

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.reference_date

    def __str__(self) -> str:
        return self.label
