"""The sections a board pack can hold, registered by the apps that know them (decision 0084).

``register_section(key, title, build, template=...)``: ``build(body, period_start,
period_end)`` returns the section's context, a dict. Whatever else it holds for its own
template, a section may give ``notes`` (a list of sentences) and ``tables`` (a list of
``{"caption": str, "header": [str], "rows": [[str]]}``, with optionally ``"text"``, the
indexes of its columns of words (the others after the first are numbers, aligned right), and
``"empty"``, what an empty table means): the default template shows them and
the PDF prints them, so a section without its own PDF layout still prints. Every number a
section gives must already be suppressed (``boards.suppression``): the pack is read by
board members. A body's pack holds the sections named in ``Body.sections`` (all registered
ones when it names none), in registration order.

The boards app registers its own sections (``boards.sections``); a higher app (``governance``:
the plans' RAG summary, the highlight reports) registers from its ``AppConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

DEFAULT_TEMPLATE = "boards/_section.html"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    build: Callable
    template: str = DEFAULT_TEMPLATE


_SECTIONS: dict[str, Section] = {}


def register_section(key: str, title: str, build: Callable, template: str = DEFAULT_TEMPLATE):
    """Called from an app's ``ready()``. A key is registered once."""
    section = Section(key, title, build, template)
    if key in _SECTIONS and _SECTIONS[key] != section:
        raise ValueError(f"A pack section is already called {key!r}")
    _SECTIONS[key] = section


def sections() -> list[Section]:
    return list(_SECTIONS.values())


def section(key: str) -> Section | None:
    return _SECTIONS.get(key)


def sections_of(body) -> list[Section]:
    """The sections a body's pack holds: those it names that are registered, else all."""
    if not body.sections:
        return sections()
    return [_SECTIONS[key] for key in body.sections if key in _SECTIONS]
