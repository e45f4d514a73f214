"""The files of documents, outside the database, in ``SAFEGUARD_DOCUMENTS_DIR``.

Each file is named by a random key (``secrets.token_hex``), kept under a folder of its first
two characters; the uploaded name is never used on disk. A file is written whole to a
temporary name in ``incoming/`` on the same disk, flushed, and only then renamed into place
(``os.replace``, atomic), so a file under its key is always complete. A file whose record
was never committed (the transaction failed after the file was placed, or the process died)
is an orphan: the service removes it when its own transaction fails, and ``orphans_remove``
(``safeguard clean-documents``) removes any left after an hour.
"""

import hashlib
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

INCOMING = "incoming"
KEY = re.compile(r"^[0-9a-f]{32}$")
CHUNK = 64 * 1024
HEAD = 8 * 1024


class TooLarge(Exception):
    pass


def root() -> Path:
    return Path(settings.SAFEGUARD_DOCUMENTS_DIR)


def path_of(key: str) -> Path:
    if not KEY.match(key):
        raise ValueError("not a document key")
    return root() / key[:2] / key


@dataclass
class Incoming:
    """A file written to a temporary name, not yet placed."""

    path: Path
    size: int
    sha256: str
    head: bytes

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def receive(chunks, *, limit: int) -> Incoming:
    """Write ``chunks`` (bytes) to a temporary file; raise ``TooLarge`` (leaving nothing)
    once more than ``limit`` bytes have come."""
    folder = root() / INCOMING
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{secrets.token_hex(16)}.part"
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with open(path, "xb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise TooLarge
                if len(head) < HEAD:
                    head += chunk[: HEAD - len(head)]
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Incoming(path=path, size=size, sha256=digest.hexdigest(), head=head)


def place(incoming: Incoming) -> str:
    """Move a received file into place under a new random key, atomically; its key."""
    key = secrets.token_hex(16)
    target = path_of(key)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(incoming.path, target)
    return key


def open_file(key: str):
    return open(path_of(key), "rb")  # noqa: SIM115 (the response closes it)


def remove(key: str) -> None:
    path_of(key).unlink(missing_ok=True)


def orphans_remove(known_keys, *, older_than_seconds: int = 3600) -> list[str]:
    """Remove the files no record names (and unfinished temporary files) older than
    ``older_than_seconds``; the names removed. ``known_keys``: every key the database holds."""
    known = set(known_keys)
    cutoff = time.time() - older_than_seconds
    removed = []
    if not root().exists():
        return removed
    for path in sorted(root().rglob("*")):
        if not path.is_file() or path.stat().st_mtime > cutoff:
            continue
        if path.parent.name == INCOMING or (KEY.match(path.name) and path.name not in known):
            path.unlink(missing_ok=True)
            removed.append(path.name)
    return removed
