"""The centre's letterhead (kop surat) on an A4 PDF page, and dates as Indonesian letters
write them. Every PDF the centre signs — receipts, certificates, reports, proposals — draws
its heading here, so they all look like letters from the same office."""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from vokasi.catalog.models import TrainingCentre

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def tanggal(day: dt.date) -> str:
    """30 Juli 2025: the date as written on an Indonesian letter, whatever the UI language."""
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def draw_letterhead(pdf: Canvas, centre: TrainingCentre, width: float, top: float) -> float:
    """Draws the logo, the letterhead lines (the first three bold) and the double rule
    under them, centred on a page `width` wide from `top` down; returns the y below it."""
    y = top
    if centre.logo:
        try:
            with centre.logo.open("rb") as handle:
                pdf.drawImage(
                    ImageReader(io.BytesIO(handle.read())),
                    30 * mm,
                    top - 24 * mm,
                    24 * mm,
                    24 * mm,
                    preserveAspectRatio=True,
                    mask="auto",
                )
        except OSError:
            pass  # a missing logo file must not stop a letter
    pdf.setFillColor(colors.black)
    for i, line in enumerate(centre.letterhead_lines):
        bold = i < 3
        pdf.setFont(
            "Helvetica-Bold" if bold else "Helvetica", 13 if i == 0 else 11 if bold else 8.5
        )
        pdf.drawCentredString(width / 2, y, line)
        y -= 5.2 * mm if bold else 4.2 * mm
    y -= 1 * mm
    pdf.setStrokeColor(colors.black)
    pdf.setLineWidth(1.6)
    pdf.line(25 * mm, y, width - 25 * mm, y)
    pdf.setLineWidth(0.5)
    pdf.line(25 * mm, y - 1.2 * mm, width - 25 * mm, y - 1.2 * mm)
    return float(y - 1.2 * mm)
