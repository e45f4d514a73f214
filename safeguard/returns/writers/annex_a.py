"""Annex A as an Excel workbook laid out as Ofsted's template lays it out: one sheet per list,
named "List_1" to "List_7", the list's title ("List 1: Contacts") in row 1 and its headings in
row 2, the records from row 3. Headings are bold and frozen, dates are real Excel dates shown
dd/mm/yyyy, and columns are wide enough to read.

Every text cell is made formula-safe by the project's one rule (``core.csv.safe_cell``): a value
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, even behind invisible
characters, gets a leading apostrophe, so a name or an organisation typed into Safeguard can
never run as a formula when an inspector opens the file.
"""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from safeguard.core.csv import safe_cell
from safeguard.returns.builders.annex_a import DATE, AnnexA, AnnexAList

DATE_FORMAT = "dd/mm/yyyy"
# Column widths in characters: at least the date's, at most this (headers then wrap).
MIN_WIDTH, MAX_WIDTH = 10, 40
_DATE_WIDTH = 12


def formula_safe(value: str) -> str:
    """``value`` as text a spreadsheet shows and never evaluates."""
    return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value))


def _cell_value(value):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "a) Yes" if value else "b) No"
    if isinstance(value, (int, float, date, datetime)):
        return value
    return formula_safe(str(value))


TITLE_ROW, HEADING_ROW = 1, 2


def _sheet(workbook: Workbook, annex_list: AnnexAList) -> None:
    sheet = workbook.create_sheet(title=annex_list.sheet_name)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    sheet.append([annex_list.heading])
    sheet.cell(TITLE_ROW, 1).font = Font(bold=True, size=14)
    sheet.append(annex_list.headers)
    for cell in sheet[HEADING_ROW]:
        cell.font, cell.alignment = bold, wrap
    for row in annex_list.rows:
        sheet.append([_cell_value(v) for v in row])
    for index, column in enumerate(annex_list.columns, start=1):
        letter = get_column_letter(index)
        if column.kind == DATE:
            for (cell,) in sheet.iter_rows(min_row=HEADING_ROW + 1, min_col=index, max_col=index):
                cell.number_format = DATE_FORMAT
            longest = _DATE_WIDTH
        else:
            longest = max(
                (len(str(v)) for v in (row[index - 1] for row in annex_list.rows) if v),
                default=0,
            )
        # A long header wraps rather than widening its column past MAX_WIDTH.
        width = max(MIN_WIDTH, min(MAX_WIDTH, max(longest, len(column.header)) + 2))
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = f"A{HEADING_ROW + 1}"
    if annex_list.rows:
        last = get_column_letter(len(annex_list.columns))
        sheet.auto_filter.ref = f"A{HEADING_ROW}:{last}{sheet.max_row}"


def render_annex_a_xlsx(annex: AnnexA) -> bytes:
    """The workbook as bytes, ready to write in one go."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for annex_list in annex.lists:
        _sheet(workbook, annex_list)
    workbook.properties.title = (
        f"Annex A lists 1 to 7, {annex.authority_name}, {annex.period.start:%d/%m/%Y} to "
        f"{annex.period.as_of:%d/%m/%Y}"
    )
    workbook.properties.creator = "Safeguard"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
