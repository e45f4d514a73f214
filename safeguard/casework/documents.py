"""Documents made from the case file: the chronology as a PDF for conferences and court."""

import io
from xml.sax.saxutils import escape as xml_escape

from django.conf import settings
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

PDF_FONT = "SafeguardSans"
PDF_FONT_BOLD = "SafeguardSans-Bold"
CONFIDENTIAL = "CONFIDENTIAL: contains personal information about a child"


def _register_pdf_fonts() -> None:
    """Embed reportlab's own Bitstream Vera: the PDF base fonts have no glyphs beyond Latin-1
    in their standard encoding, and a TrueType font renders names such as Zoë or Siân
    wherever the file is opened."""
    if PDF_FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(PDF_FONT, "Vera.ttf"))
    pdfmetrics.registerFont(TTFont(PDF_FONT_BOLD, "VeraBd.ttf"))
    registerFontFamily(PDF_FONT, normal=PDF_FONT, bold=PDF_FONT_BOLD)


def _short_date(day) -> str:
    """7 Jan 2025, as the pages show dates (strftime has no portable unpadded day)."""
    return f"{day.day} {day:%b %Y}"


def _pdf_text(value) -> str:
    """Plain text as reportlab paragraph markup: escaped, line breaks kept."""
    return xml_escape(str(value or "")).replace("\n", "<br/>")


class _NumberedCanvas(pdfcanvas.Canvas):
    """Marks every page "Confidential" and numbers it "Page n of N" (the total is known only
    once every page is laid out, so pages are kept and drawn at the end)."""

    footer = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        width, height = self._pagesize
        self.saveState()
        self.setFont(PDF_FONT_BOLD, 9)
        self.setFillColor(colors.HexColor("#d4351c"))
        self.drawCentredString(width / 2, height - 10 * mm, CONFIDENTIAL)
        self.setFillColor(colors.black)
        self.setFont(PDF_FONT, 8)
        self.drawString(12 * mm, 8 * mm, self.footer)
        self.drawRightString(width - 12 * mm, 8 * mm, f"Page {self._pageNumber} of {total}")
        self.restoreState()


def chronology_pdf(*, child, entries, by, at, compress: bool = True) -> bytes:
    """The child's chronology as an A4 landscape PDF: a title block naming the child, the
    confidential marking, who generated it and when, and the entries as a table whose cells
    wrap and whose rows split across pages. ``compress=False`` leaves the page streams
    readable (for tests)."""
    _register_pdf_fonts()
    base = ParagraphStyle("cell", fontName=PDF_FONT, fontSize=8, leading=10)
    head = ParagraphStyle("head", parent=base, fontName=PDF_FONT_BOLD)
    title = ParagraphStyle("title", parent=base, fontName=PDF_FONT_BOLD, fontSize=16, leading=20)
    body = ParagraphStyle("body", parent=base, fontSize=10, leading=13)
    marking = ParagraphStyle(
        "marking", parent=body, fontName=PDF_FONT_BOLD, textColor=colors.HexColor("#d4351c")
    )

    if child.date_of_birth:
        born = f"Date of birth: {child.date_of_birth.day} {child.date_of_birth:%B %Y}"
    elif child.expected_date_of_birth:
        due = child.expected_date_of_birth
        born = f"Expected date of birth: {due.day} {due:%B %Y}"
    else:
        born = "Date of birth: not known"
    story = [
        Paragraph("Confidential", marking),
        Paragraph(_pdf_text(f"Chronology: {child.full_name}"), title),
        Paragraph(
            _pdf_text(f"{born} · Local child id: {child.la_child_id or 'not recorded'}"), body
        ),
        Paragraph(_pdf_text(f"Generated {at.day} {at:%B %Y at %H:%M} by {by}"), body),
        Spacer(1, 4 * mm),
    ]
    columns = [
        ("Date", 22),
        ("What happened", 62),
        ("Source", 30),
        ("Impact on the child", 45),
        ("Action or outcome", 45),
        ("Recorded by", 28),
        ("Annotations", 41),
    ]
    rows = [[Paragraph(name, head) for name, _ in columns]]
    for entry in entries:
        notes = "<br/>".join(
            f"{_pdf_text(a.text)} ({_pdf_text(a.created_by or 'the system')}, "
            f"{_short_date(timezone.localtime(a.created_at))})"
            for a in entry.annotations.all()
        )
        cells = [
            _pdf_text(_short_date(entry.event_date)),
            _pdf_text(entry.shown_what),
            _pdf_text(entry.source_agency),
            _pdf_text(entry.impact),
            _pdf_text(entry.outcome),
            _pdf_text(entry.created_by or "the system"),
            notes,
        ]
        rows.append([Paragraph(cell, base) for cell in cells])
    if not entries:
        rows.append([Paragraph("No entries.", base)] + [""] * (len(columns) - 1))
    # splitInRow: an entry taller than what is left of a page carries on over the next pages
    # (the heading row repeated), however long it is; without it one long entry cannot be
    # laid out at all.
    table = Table(rows, colWidths=[w * mm for _, w in columns], repeatRows=1, splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f1f1")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)

    buffer = io.BytesIO()
    canvas_class = type(
        "ChronologyCanvas", (_NumberedCanvas,), {"footer": f"Chronology: {child.full_name}"}
    )
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=16 * mm,
        bottomMargin=14 * mm,
        title=f"Chronology: {child.full_name}",
        author=str(by),
        creator=settings.SAFEGUARD_SERVICE_NAME,
        pageCompression=1 if compress else 0,
    )
    doc.build(story, canvasmaker=canvas_class)
    return buffer.getvalue()
