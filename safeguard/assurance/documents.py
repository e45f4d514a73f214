"""The case-file audit results as a PDF (reportlab, as the chronology): counts only, no
child's name, for the quality assurance board."""

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


def _table(header: list, rows: list) -> Table:
    table = Table([header, *rows], repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, "black"),
                ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
            ]
        )
    )
    return table


def results_pdf(*, authority: str, by_team: list[dict], by_heading: list[dict], at) -> bytes:
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, title="Case-file audit results", leftMargin=18 * mm
    )
    story = [
        Paragraph(f"Case-file audit results: {authority}", styles["Title"]),
        Paragraph(f"Made {at:%d %B %Y %H:%M}", styles["Normal"]),
        Spacer(1, 6 * mm),
        Paragraph("By team, month completed and grade", styles["Heading2"]),
    ]
    if by_team:
        story.append(
            _table(
                ["Team", "Month", "Grade", "Audits"],
                [[r["team"], r["month"], r["grade_label"], r["audits"]] for r in by_team],
            )
        )
    else:
        story.append(Paragraph("No audit is completed yet.", styles["Normal"]))
    story += [Spacer(1, 6 * mm), Paragraph("Grades by theme", styles["Heading2"])]
    if by_heading:
        story.append(
            _table(
                ["Heading", "Grade", "Findings"],
                [[r["heading_label"], r["grade_label"], r["findings"]] for r in by_heading],
            )
        )
    doc.build(story)
    return buffer.getvalue()
