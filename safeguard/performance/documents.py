"""The partner figures as a printed report for the safeguarding partnership's board (decision
0073): reportlab, as the case-file audit results (``assurance.documents``) and the chronology.
Counts by agency only, no child's name: the period, what each figure counts, and its rows."""

from __future__ import annotations

import io
from datetime import date, datetime
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from safeguard.performance.partners import AgencyRow, PartnerFigure


def _percent(rate) -> str:
    return "–" if rate is None else f"{rate * 100:.1f}%"


def _table(header: list, rows: list) -> Table:
    table = Table([header, *rows], repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, "black"),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
            ]
        )
    )
    return table


def partners_pdf(
    *,
    authority: str,
    start: date,
    end: date,
    figures: list[tuple[PartnerFigure, list[AgencyRow]]],
    at: datetime,
) -> bytes:
    """The partnership report: for ``authority`` and the period, each figure's definition and
    its numerator, denominator and rate by agency."""
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, title="Partner figures by agency", leftMargin=18 * mm
    )
    story = [
        Paragraph(f"Partner figures by agency: {escape(authority)}", styles["Title"]),
        Paragraph(
            f"Period: {start:%-d %B %Y} to {end:%-d %B %Y}. Made {at:%-d %B %Y %H:%M}.",
            styles["Normal"],
        ),
        Paragraph(
            "How each agency of the partnership took part in child protection. Each figure is "
            "the numerator out of the denominator; an agency with nothing to count in the "
            "period is not listed. Counts only: no child is named.",
            styles["Normal"],
        ),
    ]
    for figure, rows in figures:
        story += [
            Spacer(1, 6 * mm),
            Paragraph(escape(figure.title), styles["Heading2"]),
            Paragraph(escape(figure.definition), styles["Normal"]),
            Spacer(1, 2 * mm),
        ]
        if rows:
            story.append(
                _table(
                    ["Agency", figure.numerator, figure.denominator, "Rate"],
                    [[r.agency, r.numerator, r.denominator, _percent(r.rate)] for r in rows],
                )
            )
        else:
            story.append(Paragraph("Nothing to count in the period.", styles["Normal"]))
    doc.build(story)
    return buffer.getvalue()
