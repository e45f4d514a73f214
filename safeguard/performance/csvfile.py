"""CSV downloads that a spreadsheet cannot mistake for formulas.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed
with an apostrophe (OWASP's advice on CSV injection); numbers are written as numbers. A
shared writer (``core/csv.py``) is being written on another branch; this private helper can
give way to it when both are merged.
"""

import csv

from django.http import HttpResponse

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS) else text


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response
