"""Every download's file name goes through here (CSV, PDF, XLSX, XML, ZIP).

A name is often built from request parameters or record fields (a demand figure's key, a
child's local id). Put into a ``Content-Disposition`` header as it is, a quote or semicolon
adds header parameters of its own (a second ``filename``), a CR or LF breaks the header (an
error), a path separator names another folder. So a name is reduced to a safe slug: ASCII
letters, digits, hyphens and underscores, with one short extension, and the header is built by
Django's ``content_disposition_header``.
"""

import re
import unicodedata

from django.utils.http import content_disposition_header

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
MAX_STEM = 120


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _UNSAFE.sub("-", ascii_text).strip("-_")


def safe_filename(name: str, default: str = "download") -> str:
    """``name`` as a safe file name: ``stem.ext`` of letters, digits, ``-`` and ``_`` only."""
    stem, dot, extension = str(name).rpartition(".")
    if not dot:
        stem, extension = extension, ""
    stem = _slug(stem)[:MAX_STEM].strip("-_") or default
    extension = _slug(extension)[:10]
    return f"{stem}.{extension}" if extension else stem


def attachment(name: str) -> str:
    """The ``Content-Disposition`` value that downloads the response as ``name`` (made safe)."""
    return content_disposition_header(True, safe_filename(name))
