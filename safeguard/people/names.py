"""Name matching that forgives misspellings and swapped first and last names."""

import re
import unicodedata
from functools import lru_cache

import jellyfish

_WORD = re.compile(r"[a-z]+")


# A search scores thousands of candidates whose names repeat (a family, a common surname):
# the words of a name and the likeness of two words are kept once worked out.
_CACHED = 1 << 16


@lru_cache(maxsize=_CACHED)
def name_tokens(text: str) -> tuple[str, ...]:
    """Lower-case words of a name, accents removed: "Zoë O'Neil-Smith" -> zoe, oneil, smith."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return tuple(_WORD.findall(folded.replace("'", "")))


def phonetic_key(text: str) -> str:
    """The Metaphone key of a name's first word: "Smyth" and "Smith" share one."""
    tokens = name_tokens(text)
    return jellyfish.metaphone(tokens[0])[:40] if tokens else ""


def token_keys(text: str) -> set[str]:
    return {jellyfish.metaphone(t) for t in name_tokens(text)}


# A name that sounds the same ranks just below one spelled the same.
SOUNDS_ALIKE = 0.92


@lru_cache(maxsize=_CACHED)
def similarity(a: str, b: str) -> float:
    """0..1 likeness of two single name words.

    The mean of Jaro-Winkler (forgiving of typing slips) and Damerau-Levenshtein similarity
    (which stops long shared beginnings, common in compound family names, from counting as a
    match on their own); at least ``SOUNDS_ALIKE`` when the Metaphone keys agree.
    """
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    edit = 1 - jellyfish.damerau_levenshtein_distance(a, b) / max(len(a), len(b))
    score = (jellyfish.jaro_winkler_similarity(a, b) + edit) / 2
    if jellyfish.metaphone(a) == jellyfish.metaphone(b):
        score = max(score, SOUNDS_ALIKE)
    return score


def name_score(query: str, given: str, family: str) -> float:
    """How well a typed name matches a person's names, in either order. 0..1."""
    q = name_tokens(query)
    g, f = name_tokens(given), name_tokens(family)
    if not q:
        return 0.0
    if len(q) == 1:
        return max([similarity(q[0], t) for t in g + f] or [0.0])
    first, last = q[0], q[-1]
    best_g = lambda t: max([similarity(t, x) for x in g] or [0.0])  # noqa: E731
    best_f = lambda t: max([similarity(t, x) for x in f] or [0.0])  # noqa: E731
    straight = (best_g(first) + best_f(last)) / 2
    swapped = (best_g(last) + best_f(first)) / 2
    return max(straight, swapped)
