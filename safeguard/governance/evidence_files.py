"""The files of evidence documents (decision 0086), outside the database.

The documents app's machinery does the work: ``documents.services.receive_checked`` writes
the upload whole to a temporary file (refused once over ``SAFEGUARD_DOCUMENT_MAX_BYTES``,
empty, or of a kind not accepted, read from its content). Only the place differs: an
evidence file is not a document on a child's record, so it is kept in a folder of its own,
``governance/`` in ``SAFEGUARD_DOCUMENTS_DIR`` (same disk, same backups), named
``<random key>.evidence``. The documents app's orphan sweep removes only files named by a bare
key, so it never takes an evidence file; ``orphans_remove`` here sweeps this folder.
"""

import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from safeguard.documents import services as document_services
from safeguard.documents import store
from safeguard.documents.filetypes import Kind

# The size limit in words, as the documents' upload says it (the evidence form's hint).
megabytes = document_services.megabytes

FOLDER = "governance"
SUFFIX = ".evidence"
KEY = re.compile(r"^[0-9a-f]{32}$")


def folder() -> Path:
    return store.root() / FOLDER


def path_of(key: str) -> Path:
    if not KEY.match(key):
        raise ValueError("not an evidence file key")
    return folder() / key[:2] / f"{key}{SUFFIX}"


@dataclass(frozen=True)
class Stored:
    key: str
    kind: Kind
    size: int
    sha256: str


def receive_and_place(content) -> Stored:
    """Check ``content`` (an upload, or bytes) and put it in place under a new key. A refusal
    (too large, empty, a kind not accepted) raises ``ApplicationError`` on the field ``file``
    and leaves no file behind."""
    incoming, kind = document_services.receive_checked(content)
    try:
        key = secrets.token_hex(16)
        target = path_of(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(incoming.path, target)
    except BaseException:
        incoming.discard()
        raise
    return Stored(key=key, kind=kind, size=incoming.size, sha256=incoming.sha256)


def open_file(key: str):
    return open(path_of(key), "rb")  # noqa: SIM115 (the response closes it)


def remove(key: str) -> None:
    path_of(key).unlink(missing_ok=True)


def orphans_remove(known_keys, *, older_than_seconds: int = 3600) -> list[str]:
    """Remove the evidence files no record names, older than ``older_than_seconds``."""
    known = set(known_keys)
    cutoff = time.time() - older_than_seconds
    removed: list[str] = []
    if not folder().exists():
        return removed
    for path in sorted(folder().rglob(f"*{SUFFIX}")):
        old = path.is_file() and path.stat().st_mtime <= cutoff
        if old and path.name.removesuffix(SUFFIX) not in known:
            path.unlink(missing_ok=True)
            removed.append(path.name)
    return removed
