"""Printable reports as A4 PDFs on the centre's letterhead (the certificates' letterhead
drawing, reused), with tables and a bar chart drawn by reportlab."""

from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable
from reportlab.platypus.doctemplate import NextPageTemplate

from vokasi.catalog.models import TrainingCentre
from vokasi.certificates.models import CertificateSettings
from vokasi.core.letterhead import draw_letterhead, tanggal
from vokasi.reports.charts import COLOURS
from vokasi.reports.tables import Cell, Table

MARGIN = 18 * mm


@dataclass(frozen=True)
class BarRow:
    label: str
    value: int


def _number(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)


def bar_chart(rows: list[BarRow], width: float) -> Drawing:
    row_h = 7.5 * mm
    drawing = Drawing(width, row_h * len(rows) + 2 * mm)
    top = max((r.value for r in rows), default=0) or 1
    label_w = 55 * mm
    for i, r in enumerate(rows):
        y = drawing.height - (i + 1) * row_h
        length = (width - label_w - 22 * mm) * r.value / top
        drawing.add(String(0, y + 2.5 * mm, r.label[:38], fontName="Helvetica", fontSize=8.5))
        drawing.add(
            Rect(
                label_w,
                y + 1.2 * mm,
                length,
                5 * mm,
                fillColor=colors.HexColor(COLOURS[i % 7]),
                strokeColor=None,
            )
        )
        drawing.add(
            String(
                label_w + length + 2 * mm,
                y + 2.5 * mm,
                _number(r.value),
                fontName="Helvetica-Bold",
                fontSize=8.5,
            )
        )
    return drawing


FONT = "Helvetica"
BOLD = "Helvetica-Bold"
SIZE = 7.5
PAD = 3  # each side of a cell, in points
NUMBER_WIDTH = 17 * mm  # a comfortable numeric column, when the page has room
FIRST_WIDTH = 62 * mm  # the most the first (label) column takes
TEXT_WIDTH = 90 * mm  # the most another column of words takes


def _longest_word(text: str, font: str) -> float:
    return max((stringWidth(w, font, SIZE) for w in text.split()), default=0.0)


def column_widths(table: Table, width: float) -> list[float]:
    """Widths that never break a word: each column is at least as wide as its longest
    heading word and its widest number. Each would like more (numbers 17 mm, or enough
    for their heading on two lines; words up to their longest line, capped); when the page
    is too narrow for that, every column gives up the same share of what it has above its
    minimum. Only when even the minimums cannot fit are all columns scaled down."""
    rows = [*table.rows, *([table.footer] if table.footer else [])]
    heads = table.heads
    least: list[float] = []
    wanted: list[float] = []
    for i, head in enumerate(heads):
        cells = [_number(r[i]) if head.numeric else str(r[i] or "") for r in rows]
        word = _longest_word(head.label, BOLD)
        if head.numeric:
            widest = max((stringWidth(c, BOLD, SIZE) for c in cells), default=0.0)
            need = max(word, widest) + 2 * PAD + 1
            least.append(need)
            # Room, when there is some, for a heading on two lines rather than four.
            two_lines = min(stringWidth(head.label, BOLD, SIZE) / 2 + 2 * PAD + 1, 30 * mm)
            wanted.append(max(need, NUMBER_WIDTH, two_lines))
        else:
            words = max((_longest_word(c, FONT) for c in cells), default=0.0)
            line = max((stringWidth(c, FONT, SIZE) for c in cells), default=0.0)
            need = max(word, words) + 2 * PAD + 1
            least.append(need)
            if i == 0 and len(heads) > 5:
                wanted.append(max(need, FIRST_WIDTH))  # the breakdowns line up, page after page
            else:
                cap = FIRST_WIDTH if i == 0 else TEXT_WIDTH
                wanted.append(max(need, min(line + 2 * PAD + 1, cap)))
    if sum(wanted) <= width:
        return wanted
    if sum(least) > width:
        return [w * width / sum(least) for w in least]
    room = width - sum(least)
    slack = sum(wanted) - sum(least)
    return [lo + (hi - lo) * room / slack for lo, hi in zip(least, wanted, strict=True)]


def _pdf_table(table: Table, width: float) -> PdfTable:
    styles = getSampleStyleSheet()
    cell = ParagraphStyle(
        "cell", parent=styles["BodyText"], fontName=FONT, fontSize=SIZE, leading=9
    )
    bold = ParagraphStyle("bold", parent=cell, fontName=BOLD)
    head_right = ParagraphStyle("head_right", parent=bold, alignment=TA_RIGHT)
    heads = table.heads

    def line(values: list[Cell], style: ParagraphStyle) -> list[object]:
        return [
            _number(v) if heads[i].numeric else Paragraph(escape(str(v or "")), style)
            for i, v in enumerate(values)
        ]

    data: list[list[object]] = [
        [Paragraph(escape(h.label), head_right if h.numeric else bold) for h in heads]
    ]
    data += [line(row, cell) for row in table.rows]
    if table.footer:
        data.append(line(table.footer, bold))
    pdf_table = PdfTable(data, colWidths=column_widths(table, width), repeatRows=1, hAlign="LEFT")
    style: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, SIZE),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f1f4f8")]),
    ]
    style += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i, h in enumerate(heads) if h.numeric]
    if table.footer:
        style += [
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
            ("FONT", (0, -1), (-1, -1), BOLD, SIZE),
            ("BACKGROUND", (0, -1), (-1, -1), colors.white),
        ]
    pdf_table.setStyle(TableStyle(style))
    return pdf_table


def _legend(pairs: list[tuple[str, str]], style: ParagraphStyle) -> Flowable:
    text = "; ".join(f"<b>{escape(label)}</b>: {escape(meaning)}" for label, meaning in pairs)
    return Paragraph(escape(_("Columns of the tables below")) + ": " + text + ".", style)


# A short table is kept whole: it moves to the next page rather than leave a row or two
# behind (at most this much of a page stays blank). A longer one starts on a page if this
# much of it fits there (its heading, its header row and a few rows), then splits, its
# header row repeated, rather than leaving most of a page blank.
KEEP_WHOLE = 60 * mm
TABLE_START = 38 * mm


def report_pdf(
    *,
    centre: TrainingCentre | None,
    title: str,
    lines: list[str],
    tables: list[Table],
    chart: list[BarRow] | None = None,
    notes: list[str] | None = None,
    legend: list[tuple[str, str]] | None = None,
    legend_before: str = "",
    signature: bool = False,
    wide: bool = True,
) -> bytes:
    """A report: letterhead, title, the filters/assumptions, a chart, tables, notes.

    `legend` says what the columns count; it is printed before the table whose key is
    `legend_before` (the first of the tables that use those columns)."""
    buffer = io.BytesIO()
    width, height = landscape(A4) if wide else A4
    top = height - 16 * mm
    letterhead_bottom = top
    if centre is not None:
        letterhead_bottom = draw_letterhead(Canvas(io.BytesIO()), centre, width, top)
    first_top = letterhead_bottom - 4 * mm

    def first_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        if centre is not None:
            draw_letterhead(canvas, centre, width, top)
        _footer(canvas, doc)

    def _footer(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(MARGIN, 10 * mm, title)
        canvas.drawRightString(width - MARGIN, 10 * mm, _("Page %(n)d") % {"n": doc.page})

    doc = BaseDocTemplate(
        buffer,
        pagesize=(width, height),
        title=title,
        author=centre.name if centre is not None else "",
        subject=title,
        creator="vokasi",
        lang="id",
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    )
    inner = width - 2 * MARGIN
    doc.addPageTemplates(
        [
            PageTemplate(
                "first",
                [Frame(MARGIN, 16 * mm, inner, first_top - 16 * mm, id="f1")],
                onPage=first_page,
            ),
            PageTemplate(
                "later", [Frame(MARGIN, 16 * mm, inner, height - 32 * mm, id="f2")], onPage=_footer
            ),
        ]
    )
    styles = getSampleStyleSheet()
    h1 = ParagraphStyle("h1", parent=styles["Title"], fontSize=14, leading=17, spaceAfter=4)
    h2 = ParagraphStyle("h2", parent=styles["Heading2"], fontSize=11, leading=13, spaceBefore=8)
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=8.5, leading=11)
    story: list[Flowable] = [NextPageTemplate("later"), Paragraph(escape(title), h1)]
    for line in lines:
        story.append(Paragraph(escape(line), body))
    if chart:
        story += [Spacer(1, 3 * mm), bar_chart(chart, inner)]
    frame_height = height - 32 * mm
    for table in tables:
        if legend and table.key == legend_before:
            story += [Spacer(1, 2 * mm), _legend(legend, body)]
        heading = Paragraph(escape(table.title), h2)
        pdf_table = _pdf_table(table, inner)
        whole = heading.wrap(inner, frame_height)[1] + pdf_table.wrap(inner, frame_height)[1]
        whole += h2.spaceBefore + h2.spaceAfter + 1 * mm  # the heading's spacing, and a hair
        story += [CondPageBreak(whole if whole <= KEEP_WHOLE else TABLE_START), heading, pdf_table]
    for note in notes or []:
        story.append(Paragraph(escape(note), body))
    if signature and centre is not None:
        story.append(Spacer(1, 8 * mm))
        story.append(_signature_block(centre, inner))
    doc.build(story)
    return buffer.getvalue()


def _signature_block(centre: TrainingCentre, width: float) -> Flowable:
    settings = CertificateSettings.objects.filter(centre=centre).first()
    place = settings.signatory_place if settings else ""
    title = settings.signatory_title if settings else ""
    name = settings.signatory_name if settings else ""
    nip = settings.signatory_nip if settings else ""
    styles = getSampleStyleSheet()
    style = ParagraphStyle("sig", parent=styles["BodyText"], fontSize=9.5, leading=12, alignment=1)
    text = [
        Paragraph(escape(f"{place}, {tanggal(timezone.localdate())}"), style),
        Paragraph(escape(title), style),
        Spacer(1, 18 * mm),
        Paragraph(f"<b>{escape(name) or '&nbsp;'}</b>", style),
        Paragraph(escape(f"NIP {nip}") if nip else "", style),
    ]
    block = PdfTable([["", text]], colWidths=[width * 0.5, width * 0.5])
    return KeepTogether([block])
