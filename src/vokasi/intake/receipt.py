"""The printable receipt (tanda terima) of an application, as an A4 PDF on the letterhead."""

from __future__ import annotations

import io

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from vokasi.catalog.models import TrainingCentre
from vokasi.core.letterhead import draw_letterhead
from vokasi.core.masking import mask_nik
from vokasi.intake.models import Application


def receipt_pdf(application: Application, centre: TrainingCentre | None) -> bytes:
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=A4)
    # gettext calls stay outside f-strings, where makemessages cannot see them.
    number_label = _("Registration number")
    pdf.setTitle(_("Registration receipt") + f" {application.number}")
    width, height = A4
    y = height - 20 * mm
    if centre is not None:
        y = draw_letterhead(pdf, centre, width, y) - 12 * mm
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawCentredString(width / 2, y, _("REGISTRATION RECEIPT").upper())
    y -= 7 * mm
    pdf.setFont("Helvetica", 11)
    pdf.drawCentredString(width / 2, y, f"{number_label}: {application.number}")
    y -= 14 * mm
    applicant = application.applicant
    rows = [
        (_("Intake"), application.intake.name),
        (_("Name"), applicant.full_name),
        ("NIK", mask_nik(applicant.nik)),
        (_("Born"), f"{applicant.birth_place}, {formats.date_format(applicant.birth_date)}"),
        (
            _("Submitted"),
            formats.date_format(timezone.localtime(application.submitted_at), "DATETIME_FORMAT"),
        ),
        (_("Status"), str(application.get_status_display())),
    ]
    for label, value in rows:
        pdf.setFont("Helvetica", 10)
        pdf.drawString(25 * mm, y, label)
        pdf.drawString(70 * mm, y, f": {value}")
        y -= 7 * mm
    y -= 4 * mm
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(25 * mm, y, _("Batches chosen, in order of preference"))
    y -= 7 * mm
    pdf.setFont("Helvetica", 10)
    for choice in application.choices.select_related("batch"):
        batch = choice.batch
        pdf.drawString(
            30 * mm,
            y,
            f"{choice.rank}. {batch.name} ({formats.date_format(batch.training_starts)} – {formats.date_format(batch.training_ends)})",
        )
        y -= 6.5 * mm
    y -= 8 * mm
    pdf.setFont("Helvetica-Oblique", 9)
    for line in (
        _(
            "Keep this receipt. Follow your status online with your account, or ask at the counter with this number."
        ),
        _(
            "Selection follows the rules published for this intake; the draw can be checked by anyone."
        ),
    ):
        # Long sentences wrap within the margins (Indonesian runs longer than English).
        for part in simpleSplit(line, "Helvetica-Oblique", 9, width - 50 * mm):
            pdf.drawString(25 * mm, y, part)
            y -= 5 * mm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
