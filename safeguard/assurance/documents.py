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


GRADE_HEADS = ["Outstanding", "Good", "Requires improvement", "Inadequate"]


def _percent(value) -> str:
    return "–" if value is None else f"{value}%"


def results_pdf(*, authority: str, by_team: list, themes, actions: list, at) -> bytes:
    """The results for members and the safeguarding partnership: audits by team and month
    with their grades, the grades under each heading by quarter, and the actions set on
    children's files with how many are done and overdue."""
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, title="Case-file audit results", leftMargin=18 * mm
    )
    story = [
        Paragraph(f"Case-file audit results: {authority}", styles["Title"]),
        Paragraph(f"Made {at:%d %B %Y %H:%M}", styles["Normal"]),
        Spacer(1, 6 * mm),
        Paragraph("Audits by team and month completed (moderated grade where moderated)",
                  styles["Heading2"]),
    ]  # fmt: skip
    if by_team:
        story.append(
            _table(
                ["Team", "Month", *GRADE_HEADS, "Audits", "Good or better"],
                [
                    [r.team, f"{r.month:%b %Y}", *r.grades.by_grade, r.grades.total,
                     _percent(r.grades.good_or_better)]
                    for r in by_team
                ],
            )  # fmt: skip
        )
    else:
        story.append(Paragraph("No audit is completed yet.", styles["Normal"]))
    story += [
        Spacer(1, 6 * mm),
        Paragraph("Findings graded good or better, by heading and quarter", styles["Heading2"]),
    ]
    if themes.rows:
        story.append(
            _table(
                ["Heading", *themes.quarter_labels, "All audits"],
                [
                    [row.label,
                     *(f"{_percent(q.good_or_better)} of {q.total}" if q.total else "–"
                       for q in row.quarters),
                     f"{_percent(row.all_time.good_or_better)} of {row.all_time.total}"]
                    for row in themes.rows
                ],
            )  # fmt: skip
        )
    else:
        story.append(Paragraph("No finding is recorded yet.", styles["Normal"]))
    story += [Spacer(1, 6 * mm), Paragraph("Actions set on children's files", styles["Heading2"])]
    if actions:
        story.append(
            _table(
                ["Team", "Set", "Done", "Done late", "Open", "Overdue"],
                [[a.team, a.set, a.done, a.done_late, a.open, a.overdue] for a in actions],
            )
        )
    else:
        story.append(Paragraph("No action has been set.", styles["Normal"]))
    doc.build(story)
    return buffer.getvalue()
