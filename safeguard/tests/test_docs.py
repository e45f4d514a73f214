"""The documents name files that exist.

Checked: `docs/architecture.md`, `docs/deploy.md` and every `docs/howto/*.md`.

What counts as a path: a span in backquotes with no space in it that contains a `/` or ends
in `.py`, `.md` or `.toml`; and the target of every Markdown link that is not a web address.
Left out: site addresses (starting with `/`, or holding `://`), and patterns (holding `<`,
`*`, `{`, `NNNN` or `…`), such as `templates/<app>/` or `docs/decisions/NNNN-title.md`.

Where a path is looked for, in this order (it exists if any one holds it):

1. the repository root (`safeguard/core/models.py`, `docs/`, `.ci/`);
2. the document's own folder (`decisions/`, and every Markdown link, as Markdown reads it);
3. `safeguard/` (`casework/views.py`, `core/submission.py`);
4. any one app's folder, for names the text gives as "the app's" (`tests/matrix.py`,
   `schemas/`);
5. a templates folder (`safeguard/templates/` or an app's `templates/`), for template names
   (`casework/_more_actions.html`).

A name with no `/` (`chain.py`, `limits.py`) must be the name of a file somewhere under
`safeguard/`, `docs/`, `bench/` or `frontend/`, or at the root. A path that climbs out of the
repository (`../`) never counts: a document must not send its reader outside it.

`NOT_COMMITTED` lists what the documents rightly name but running the project makes (the
local database, the built GOV.UK assets).
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAFEGUARD = ROOT / "safeguard"
HOWTOS = sorted((ROOT / "docs" / "howto").glob("*.md"))
DOCUMENTS = [ROOT / "docs" / "architecture.md", ROOT / "docs" / "deploy.md", *HOWTOS]
NOT_COMMITTED = {"var/", "static/govuk/"}
PATTERN_MARKS = ("<", "*", "{", "NNNN", "…")
SUFFIXES = (".py", ".md", ".toml")
SEARCHED = ("safeguard", "docs", "bench", "frontend")

CODE = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _apps() -> list[Path]:
    return sorted(p for p in SAFEGUARD.iterdir() if p.is_dir() and (p / "__init__.py").exists())


def _template_dirs() -> list[Path]:
    return [SAFEGUARD / "templates", *(app / "templates" for app in _apps())]


def _looks_like_a_path(span: str) -> bool:
    if " " in span or span.startswith("/") or "://" in span:
        return False
    if any(mark in span for mark in PATTERN_MARKS):
        return False
    return "/" in span or span.endswith(SUFFIXES)


def _exists(path: str, document: Path) -> bool:
    if path in NOT_COMMITTED:
        return True
    if ".." in Path(path).parts:
        return False
    if "/" not in path.rstrip("/"):
        name = path.rstrip("/")
        if (ROOT / name).exists():
            return True
        return any(next((ROOT / folder).rglob(name), None) is not None for folder in SEARCHED)
    bases = [ROOT, document.parent, SAFEGUARD, *_apps()]
    if path.endswith(".html"):
        bases += _template_dirs()
    return any((base / path).exists() for base in bases)


def _named_paths(document: Path):
    for number, line in enumerate(document.read_text(encoding="utf-8").splitlines(), 1):
        for span in CODE.findall(line):
            span = span.strip()
            if _looks_like_a_path(span):
                yield number, span
        for target in LINK.findall(line):
            target = target.split("#", 1)[0]
            if target and "://" not in target and not target.startswith("mailto:"):
                yield number, target


def test_the_documents_are_there():
    assert (ROOT / "docs" / "architecture.md").exists() and (ROOT / "docs" / "deploy.md").exists()
    assert HOWTOS, "docs/howto/ holds at least one how-to"


def test_every_path_the_documents_name_exists():
    missing = [
        f"{document.relative_to(ROOT)}:{number}: {path}"
        for document in DOCUMENTS
        for number, path in _named_paths(document)
        if not _exists(path, document)
    ]
    assert not missing, "Paths named in the documents that do not exist:\n  " + "\n  ".join(missing)
