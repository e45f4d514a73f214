"""What the load test's client does that needs no locust: the second factor's code, reading a
form back from a page, and the summary of a run. Tested without a network
(``safeguard/tests/test_load_test.py``)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import struct
import time
from html.parser import HTMLParser


def totp(secret_base32: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 code for a base32 secret (what an authenticator app shows)."""
    key = base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8), casefold=True)
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


class FormFields(HTMLParser):
    """What a browser would send back from the page's form: hidden and filled inputs, checked
    boxes and radios, selected options, textareas."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.fields[name] = a.get("value") or "on"
            elif kind not in {"submit", "button", "file"}:
                self.fields.setdefault(name, a.get("value") or "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(html: str) -> dict[str, str]:
    parser = FormFields()
    parser.feed(html)
    return parser.fields


def span(samples) -> float:
    starts = [s[3] for s in samples] or [0.0]
    return max(starts) - min(starts)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))  # nearest rank
    return round(ordered[index], 1)


def summarise(samples, span: float) -> dict:
    """Requests, failures, median/p95/p99 (ms) of ``samples``, and requests per second over
    ``span`` seconds (the whole run's, so that the figures of every name add up)."""
    if not samples:
        return {"requests": 0, "failures": 0, "median_ms": 0, "p95_ms": 0, "p99_ms": 0, "rps": 0}
    times = [s[1] for s in samples]
    return {
        "requests": len(samples),
        "failures": sum(1 for s in samples if not s[2]),
        "median_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "p99_ms": percentile(times, 99),
        "max_ms": round(max(times), 1),
        "rps": round(len(samples) / span, 2),
    }
