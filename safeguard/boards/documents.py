"""A board pack as PDF (decision 0084): reportlab, as ``performance.documents``. Each section
prints its title, the officer's commentary, its notes and its tables (rows split across
pages); the suppression rule is printed on the first page."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from safeguard.boards import suppression


def _cell(text, style) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _table(table: dict, styles) -> Table:
    small = styles["BodyText"].clone("cell", fontSize=8, leading=10)
    bold = small.clone("head", fontName="Helvetica-Bold")
    rows = [[_cell(h, bold) for h in table["header"]]]
    rows += [[_cell(c, small) for c in row] for row in table["rows"]]
    if not table["rows"]:
        empty = table.get("empty", "Nothing to count in the period.")
        rows.append([_cell(empty, small), *[""] * (len(table["header"]) - 1)])
    full = A4[0] - 36 * mm
    columns = len(table["header"])
    first = full * 0.4 if columns > 1 else full
    widths = [first] + [(full - first) / (columns - 1)] * (columns - 1)
    out = Table(rows, repeatRows=1, hAlign="LEFT", colWidths=widths)
    out.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, "black"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return out


def pack_pdf(pack, built, *, published_at) -> bytes:
    styles = getSampleStyleSheet()
    # A heading, or a table's caption, never ends a page with what it heads on the next.
    for name in ("Heading2", "Heading4"):
        styles[name].keepWithNext = 1
    buffer = io.BytesIO()
    title = f"{pack.body.name}: pack for {pack.period_start:%B %Y}"
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, leftMargin=18 * mm, rightMargin=18 * mm, invariant=1
    )
    story = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(
            f"Period: {pack.period_start:%-d %B %Y} to {pack.period_end:%-d %B %Y}. "
            f"Edition {pack.edition}, published {published_at:%-d %B %Y %H:%M}.",
            styles["Normal"],
        ),
    ]
    if pack.supersedes_id:
        story.append(
            Paragraph(
                f"This edition corrects edition {pack.edition - 1}: "
                f"{escape(pack.correction_reason)}",
                styles["Normal"],
            )
        )
    story += [Spacer(1, 3 * mm), Paragraph(escape(suppression.RULE), styles["Italic"])]
    for part in built:
        story += [Spacer(1, 6 * mm), Paragraph(escape(part.section.title), styles["Heading2"])]
        if part.commentary is not None:
            story.append(
                Paragraph(
                    f"<b>Commentary ({escape(part.commentary.author.get_full_name())}):</b> "
                    + escape(part.commentary.text).replace("\n", "<br/>"),
                    styles["Normal"],
                )
            )
        for note in part.context.get("notes", []):
            story.append(Paragraph(escape(note), styles["Normal"]))
        for table in part.context.get("tables", []):
            story += [
                Spacer(1, 3 * mm),
                Paragraph(escape(table["caption"]), styles["Heading4"]),
            ]
            if table["rows"]:
                story.append(_table(table, styles))
            else:
                story.append(Paragraph("Nothing to count in the period.", styles["Normal"]))
    doc.build(story)
    return buffer.getvalue()
