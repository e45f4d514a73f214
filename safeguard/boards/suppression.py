"""Small-number suppression in what boards read (decision 0084).

The rule follows the Department for Education's statistics (its "c" for a figure withheld to
protect confidentiality): a count from 1 to 5 is shown as "c"; a rate is withheld ("c")
when its numerator or denominator is from 1 to 5; nought is shown, as it identifies no one. A
rate whose numerator and denominator are both above 5 is shown even when it is near 100%: the
DfE's statistics show such rates, and a pack that withheld every well-performing figure would
tell its board nothing (decision 0084). Secondary suppression: where a table shows a total,
a single withheld cell could be worked out from it, so the next smallest cell is withheld too.
"""

from __future__ import annotations

LOW = 5
WITHHELD = "c"

RULE = (
    "Small numbers are withheld to protect the children behind them, as in the Department "
    "for Education's statistics: a count from 1 to 5 is shown as “c”; so is a percentage "
    "whose numerator or denominator is from 1 to 5; and where a total would reveal a withheld "
    "number, the next smallest number is withheld too. Nought is shown."
)


def is_small(n: int | None) -> bool:
    return n is not None and 1 <= n <= LOW


def count(n: int | None) -> str:
    if n is None:
        return "no data"
    return WITHHELD if is_small(n) else f"{n:,}"


def rate(numerator: int | None, denominator: int | None, *, places: int = 1) -> str:
    if denominator is None or numerator is None:
        return "no data"
    if denominator == 0:
        return "no data"
    if is_small(numerator) or is_small(denominator):
        return WITHHELD
    return f"{100 * numerator / denominator:.{places}f}%"


def group(counts: list[int], *, total_shown: bool = True) -> list[str]:
    """Counts of one table that add up to a total shown beside them: primary suppression,
    then secondary (the next smallest cell) where one withheld cell could be worked out."""
    withheld = {i for i, n in enumerate(counts) if is_small(n)}
    if total_shown and len(withheld) == 1:
        others = sorted((n, i) for i, n in enumerate(counts) if i not in withheld and n > 0)
        if others:
            withheld.add(others[0][1])
    return [WITHHELD if i in withheld else f"{n:,}" for i, n in enumerate(counts)]
