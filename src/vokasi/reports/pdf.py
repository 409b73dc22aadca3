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
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
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
from vokasi.reports.tables import Table

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
    row_h = 9 * mm
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


def _pdf_table(table: Table, width: float) -> Flowable:
    styles = getSampleStyleSheet()
    cell = ParagraphStyle("cell", parent=styles["BodyText"], fontSize=7.5, leading=9)
    head = ParagraphStyle("head", parent=cell, fontName="Helvetica-Bold")
    data: list[list[object]] = [[Paragraph(escape(str(h)), head) for h in table.header]]
    for row in table.rows:
        data.append(
            [
                Paragraph(escape(str(v)), cell) if i < table.numeric_from else _number(v)
                for i, v in enumerate(row)
            ]
        )
    if table.footer:
        data.append(
            [
                Paragraph(escape(str(v)), head) if i < table.numeric_from else _number(v)
                for i, v in enumerate(table.footer)
            ]
        )
    columns = len(table.header)
    first = min(60 * mm, width * 0.36) if columns > 4 else width * 0.55
    rest = (width - first) / max(1, columns - 1)
    pdf_table = PdfTable(data, colWidths=[first] + [rest] * (columns - 1), repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 7.5),
        ("ALIGN", (table.numeric_from, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f1f4f8")]),
    ]
    if table.footer:
        style += [
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
            ("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 7.5),
        ]
    pdf_table.setStyle(TableStyle(style))
    return pdf_table


def report_pdf(
    *,
    centre: TrainingCentre | None,
    title: str,
    lines: list[str],
    tables: list[Table],
    chart: list[BarRow] | None = None,
    notes: list[str] | None = None,
    signature: bool = False,
    wide: bool = True,
) -> bytes:
    """A report: letterhead, title, the filters/assumptions, a chart, tables, notes."""
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
    for table in tables:
        story.append(KeepTogether([Paragraph(escape(table.title), h2), _pdf_table(table, inner)]))
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
