"""The training certificate as an A4 PDF: the certificate itself on the letterhead, and
the list of competency units on page 2, with a QR code to the public verification page.

The text is bilingual in a fixed form (Bahasa Indonesia, English beneath), whatever the
language of the person who prints it: a certificate is the same document for everyone.
"""

from __future__ import annotations

import io

import segno
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas

from vokasi.certificates.models import CertificateState, TrainingCertificate
from vokasi.certificates.services import format_code, verify_url
from vokasi.core.letterhead import draw_letterhead, tanggal

NAVY = colors.HexColor("#12355b")
GOLD = colors.HexColor("#b08d2f")

# Where the QR code sits on page 1 (from the bottom-left corner), so tests can find it.
QR_BOX = (22 * mm, 20 * mm, 34 * mm)  # x, y, size


def _qr(pdf: Canvas, url: str, x: float, y: float, size: float) -> None:
    image = io.BytesIO()
    segno.make(url, error="m", micro=False).save(image, kind="png", scale=8, border=2)
    image.seek(0)
    pdf.drawImage(ImageReader(image), x, y, size, size)
    pdf.linkURL(url, (x, y, x + size, y + size))


def _frame(pdf: Canvas, width: float, height: float) -> None:
    pdf.setStrokeColor(NAVY)
    pdf.setLineWidth(3)
    pdf.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    pdf.setStrokeColor(GOLD)
    pdf.setLineWidth(0.8)
    pdf.rect(13 * mm, 13 * mm, width - 26 * mm, height - 26 * mm)


def _signature(pdf: Canvas, cert: TrainingCertificate, x: float, y: float) -> None:
    s = cert.signatory
    pdf.setFillColor(colors.black)
    pdf.setFont("Helvetica", 10.5)
    pdf.drawCentredString(x, y, f"{s.get('place', '')}, {tanggal(cert.issued_on)}")
    pdf.drawCentredString(x, y - 5 * mm, str(s.get("title", "")))
    pdf.setFont("Helvetica-Bold", 10.5)
    name = str(s.get("name", "")) or " "
    pdf.drawCentredString(x, y - 27 * mm, name)
    name_width = pdf.stringWidth(name, "Helvetica-Bold", 10.5)
    pdf.setLineWidth(0.6)
    pdf.line(x - name_width / 2, y - 28 * mm, x + name_width / 2, y - 28 * mm)
    pdf.setFont("Helvetica", 10)
    if s.get("nip"):
        pdf.drawCentredString(x, y - 32.5 * mm, f"NIP. {s['nip']}")


def _stamp(pdf: Canvas, cert: TrainingCertificate, width: float, height: float) -> None:
    """Across a revoked or replaced version, so that a print of it never passes for valid."""
    if cert.state == CertificateState.VALID:
        return
    revoked = cert.state == CertificateState.REVOKED
    text = "DICABUT / REVOKED" if revoked else "DIGANTI / REPLACED"
    pdf.saveState()
    pdf.setFillColor(colors.Color(0.75, 0, 0, alpha=0.35))
    pdf.setFont("Helvetica-Bold", 64)
    pdf.translate(width / 2, height / 2)
    pdf.rotate(30)
    pdf.drawCentredString(0, 0, text)
    pdf.restoreState()


def certificate_pdf(cert: TrainingCertificate) -> bytes:
    buffer = io.BytesIO()
    size = landscape(A4)
    width, height = size
    pdf = Canvas(buffer, pagesize=size)
    pdf.setTitle(f"Sertifikat Pelatihan {cert.number}")
    pdf.setAuthor(cert.centre_name)
    url = verify_url(cert.code)

    # Page 1: the certificate.
    _frame(pdf, width, height)
    y = draw_letterhead(pdf, cert.centre, width, height - 24 * mm) - 13 * mm
    pdf.setFillColor(NAVY)
    pdf.setFont("Times-Bold", 30)
    pdf.drawCentredString(width / 2, y, "SERTIFIKAT PELATIHAN")
    y -= 6.5 * mm
    pdf.setFont("Times-Italic", 12)
    pdf.drawCentredString(width / 2, y, "Training Certificate")
    y -= 7 * mm
    pdf.setFillColor(colors.black)
    pdf.setFont("Helvetica", 11)
    version = f"  (revisi {cert.version - 1})" if cert.version > 1 else ""
    pdf.drawCentredString(width / 2, y, f"Nomor: {cert.number}{version}")
    y -= 10 * mm
    pdf.setFont("Helvetica", 11)
    pdf.drawCentredString(width / 2, y, "Diberikan kepada / This is to certify that")
    y -= 11 * mm
    # The name as large as fits (24 pt down to 16), on two lines if it is longer still.
    name, room, size = cert.holder_name.upper(), width - 50 * mm, 24.0
    while size > 16 and pdf.stringWidth(name, "Times-Bold", size) > room:
        size -= 1
    pdf.setFont("Times-Bold", size)
    for line in simpleSplit(name, "Times-Bold", size, room):
        pdf.drawCentredString(width / 2, y, line)
        y -= size * 0.42 * mm
    y -= 7 * mm - size * 0.42 * mm
    pdf.setFont("Helvetica", 11)
    pdf.drawCentredString(
        width / 2, y, f"Tempat, tanggal lahir: {cert.birth_place}, {tanggal(cert.birth_date)}"
    )
    y -= 10 * mm
    body = (
        f"telah mengikuti Pelatihan Berbasis Kompetensi program {cert.programme_name} "
        f"selama {cert.hours_jp} jam pelajaran (JP), dari tanggal {tanggal(cert.training_starts)} "
        f"sampai dengan {tanggal(cert.training_ends)}, di {cert.centre_name}, "
        "dan dinyatakan LULUS."
    )
    english = (
        f"has completed the competency-based training programme {cert.programme_name} "
        f"({cert.hours_jp} lesson hours, {cert.training_starts:%d/%m/%Y} to "
        f"{cert.training_ends:%d/%m/%Y}) and passed."
    )
    for line in simpleSplit(body, "Helvetica", 11.5, width - 90 * mm):
        pdf.setFont("Helvetica", 11.5)
        pdf.drawCentredString(width / 2, y, line)
        y -= 5.5 * mm
    for line in simpleSplit(english, "Helvetica-Oblique", 9.5, width - 90 * mm):
        pdf.setFont("Helvetica-Oblique", 9.5)
        pdf.drawCentredString(width / 2, y, line)
        y -= 4.6 * mm

    _signature(pdf, cert, width - 75 * mm, 58 * mm)
    x, qy, qsize = QR_BOX
    _qr(pdf, url, x, qy, qsize)
    pdf.setFont("Helvetica", 7.5)
    pdf.drawString(x + qsize + 3 * mm, qy + 24 * mm, "Verifikasi keaslian / Verify:")
    pdf.setFont("Helvetica-Bold", 8.5)
    pdf.drawString(x + qsize + 3 * mm, qy + 19.5 * mm, format_code(cert.code))
    pdf.setFont("Helvetica", 7)
    pdf.drawString(x + qsize + 3 * mm, qy + 15.5 * mm, url.split("/verify/")[0] + "/verifikasi/")
    pdf.drawString(
        x + qsize + 3 * mm,
        qy + 11.5 * mm,
        "Ditandatangani secara elektronik (Ed25519).",
    )
    _stamp(pdf, cert, width, height)
    pdf.showPage()

    # Page 2: the competency units.
    _frame(pdf, width, height)
    y = height - 28 * mm
    pdf.setFillColor(NAVY)
    pdf.setFont("Times-Bold", 18)
    pdf.drawCentredString(width / 2, y, "DAFTAR UNIT KOMPETENSI")
    y -= 5.5 * mm
    pdf.setFont("Times-Italic", 10.5)
    pdf.drawCentredString(width / 2, y, "List of competency units")
    y -= 7 * mm
    pdf.setFillColor(colors.black)
    pdf.setFont("Helvetica", 10)
    pdf.drawCentredString(
        width / 2, y, f"{cert.programme_name} · {cert.holder_name} · Nomor {cert.number}"
    )
    y -= 10 * mm
    left, right = 30 * mm, width - 30 * mm
    columns = (left, left + 12 * mm, left + 62 * mm, right - 18 * mm)

    def header(y: float) -> float:
        pdf.setFillColor(NAVY)
        pdf.rect(left, y - 2 * mm, right - left, 7.5 * mm, stroke=0, fill=1)
        pdf.setFillColor(colors.white)
        pdf.setFont("Helvetica-Bold", 9.5)
        for col, label in zip(
            columns, ("No.", "Kode Unit", "Judul Unit Kompetensi", "JP"), strict=True
        ):
            pdf.drawString(col + 2 * mm, y, label)
        pdf.setFillColor(colors.black)
        return float(y - 8 * mm)

    def continued() -> float:
        _stamp(pdf, cert, width, height)
        pdf.showPage()
        _frame(pdf, width, height)
        pdf.setFont("Helvetica", 10)
        pdf.drawCentredString(
            width / 2,
            height - 28 * mm,
            f"Daftar unit kompetensi (lanjutan) · {cert.holder_name} · Nomor {cert.number}",
        )
        return float(height - 40 * mm)

    y = header(y)
    for i, (code, title, jp) in enumerate(cert.units, start=1):
        lines = simpleSplit(str(title), "Helvetica", 9.5, columns[3] - columns[2] - 4 * mm)
        if y - len(lines) * 4.4 * mm < 25 * mm:
            # More units than a page holds: continue on the next one, never leave any out.
            y = header(continued())
        pdf.setFont("Helvetica", 9.5)
        pdf.drawString(columns[0] + 2 * mm, y, str(i))
        pdf.drawString(columns[1] + 2 * mm, y, str(code))
        for j, line in enumerate(lines):
            pdf.drawString(columns[2] + 2 * mm, y - j * 4.4 * mm, line)
        pdf.drawRightString(right - 4 * mm, y, str(jp or ""))
        y -= max(1, len(lines)) * 4.4 * mm + 2.4 * mm
        pdf.setStrokeColor(colors.lightgrey)
        pdf.setLineWidth(0.4)
        pdf.line(left, y + 3 * mm, right, y + 3 * mm)
    if y < 60 * mm:  # the total and the signature need the foot of a page
        y = continued()
    pdf.setFont("Helvetica-Bold", 9.5)
    pdf.drawString(columns[2] + 2 * mm, y, "Jumlah / Total")
    pdf.drawRightString(right - 4 * mm, y, f"{cert.hours_jp}")
    _signature(pdf, cert, width - 75 * mm, 52 * mm)
    _stamp(pdf, cert, width, height)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
