"""Every CSV the project writes goes through here, so that no cell can run as a formula.

Spreadsheet programs treat a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some
versions, a tab or carriage return) as a formula: a name like ``=HYPERLINK(...)`` typed into a
record would run when an export is opened (OWASP "CSV injection"). Such a cell is written with a
single quote in front, which spreadsheets show as text. Invisible, control and bidirectional
characters in front of one of those are looked through, since a spreadsheet may drop them.
NUL bytes are removed: they end a string in many readers.
"""

import csv
import io
import unicodedata
from collections.abc import Iterable

from django.http import HttpResponse

from safeguard.core.downloads import attachment

FORMULA_STARTS = frozenset("=+-@\t\r")


def _invisible(ch: str) -> bool:
    # Cc control, Cf format (includes the bidi overrides U+202A-U+202E, U+2066-U+2069, zero
    # width characters and the byte order mark), Zs other than an ordinary space.
    category = unicodedata.category(ch)
    return category in ("Cc", "Cf") or (category == "Zs" and ch != " ")


def safe_cell(value) -> str:
    """One value as safe CSV text."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # a number is data, never a formula, even when negative
    text = str(value).replace("\x00", "")
    for ch in text:
        if ch in FORMULA_STARTS:
            return "'" + text
        if ch == " " or _invisible(ch):
            continue
        break
    return text


def safe_row(row: Iterable) -> list[str]:
    return [safe_cell(v) for v in row]


def write_rows(stream, rows: Iterable[Iterable], header: Iterable[str] | None = None) -> None:
    """Write ``header`` and ``rows`` to a text stream, every cell made safe."""
    writer = csv.writer(stream)
    if header is not None:
        writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row(row))


def to_text(rows: Iterable[Iterable], header: Iterable[str] | None = None) -> str:
    stream = io.StringIO()
    write_rows(stream, rows, header)
    return stream.getvalue()


def csv_response(filename: str, rows: Iterable[Iterable], header: Iterable[str]) -> HttpResponse:
    """A CSV download. The byte order mark lets spreadsheet programs read the UTF-8 right.
    ``filename`` is made safe (``core.downloads``), whatever it was built from."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response.write("\ufeff")
    write_rows(response, rows, header)
    return response


def dict_reader(text: str) -> csv.DictReader:
    """The rows of a CSV file's ``text`` as dictionaries, a leading byte order mark dropped
    (spreadsheets save one). Reading runs nothing, but the csv module is used only here."""
    return csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
