"""A backlog review's summary as a PDF (reportlab, as the case-file audit results): counts by
outcome and risk, the time taken and the cases left; no child's name."""

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


def _table(header: list, rows: list) -> Table:
    table = Table([header, *rows], repeatRows=1, hAlign="LEFT", colWidths=[110 * mm, 30 * mm])
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


def summary_pdf(*, summary, authority: str, filters: list[str], at) -> bytes:
    styles = getSampleStyleSheet()
    exercise = summary.exercise
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title="Backlog review", leftMargin=18 * mm)
    took = f"{summary.working_days} working days"
    if summary.finished:
        timing = (
            f"Finished: {took} from opening to the last review ({summary.last_review:%d %B %Y})."
        )
    else:
        timing = f"Under way: {took} since opening; {summary.left} cases left to review."
    story = [
        Paragraph(f"Backlog review: {escape(authority)}", styles["Title"]),
        Paragraph(
            escape(
                f"Opened {exercise.opened_on:%d %B %Y} by {exercise.opened_by}: cases chosen "
                f"{', '.join(filters)}. Made {at:%d %B %Y %H:%M}."
            ),
            styles["Normal"],
        ),
        Spacer(1, 4 * mm),
        Paragraph(
            f"{summary.reviewed} of {summary.total} cases reviewed. {escape(timing)}",
            styles["Normal"],
        ),
        Spacer(1, 6 * mm),
        Paragraph("Outcomes", styles["Heading2"]),
        _table(["Outcome", "Cases"], [[label, n] for label, n in summary.by_outcome]),
        Paragraph(f"Home visits made since the review: {summary.visits_made}.", styles["Normal"]),
        Spacer(1, 6 * mm),
        Paragraph("Risk found", styles["Heading2"]),
        _table(["Risk", "Cases"], [[label, n] for label, n in summary.by_risk]),
    ]
    doc.build(story)
    return buffer.getvalue()
