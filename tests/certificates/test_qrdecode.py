"""The tests' QR reader reads what segno writes, in every mode and several sizes."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import segno
from PIL import Image

from tests.certificates.qrdecode import decode_image


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("http://127.0.0.1:8000/verify/9CMXBT2YQSEC1RZA3E5D", "m"),
        ("https://blki.bontangkota.go.id/verify/ABCDEFGHJKMNPQRSTVWX", "h"),
        ("HELLO WORLD 123", "q"),
        ("0123456789012345", "l"),
        ("x" * 300, "m"),  # version 10 and above: 16-bit counts, version information
    ],
)
def test_reads_what_segno_writes(text: str, error: str) -> None:
    out = io.BytesIO()
    segno.make(text, error=error, micro=False, boost_error=False).save(out, kind="png", scale=6)
    assert decode_image(Image.open(io.BytesIO(out.getvalue()))) == text


def test_reads_the_qr_code_of_a_certificate_rendered_by_pdftoppm(db: None) -> None:
    from tests.certificates.conftest import completed_batch
    from vokasi.certificates.pdf import QR_BOX, certificate_pdf
    from vokasi.certificates.services import certificates_issue_for_batch, verify_url

    cert = certificates_issue_for_batch(batch=completed_batch(), actor=None)[0]
    assert qr_of_pdf(certificate_pdf(cert), QR_BOX) == verify_url(cert.code)


def qr_of_pdf(pdf: bytes, box: tuple[float, float, float], dpi: int = 200) -> str:
    """Renders page 1 with pdftoppm and reads the QR code at `box` (x, y, size in points
    from the bottom-left corner, as reportlab places it)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "c.pdf"
        source.write_bytes(pdf)
        pdftoppm = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"
        subprocess.run(  # noqa: S603 - fixed arguments, our own file
            [pdftoppm, "-r", str(dpi), "-f", "1", "-l", "1", "-png", str(source), f"{folder}/p"],
            check=True,
        )
        png = next(Path(folder).glob("p*.png"))
        image = Image.open(png)
        image.load()
    scale = dpi / 72
    x, y, size = box
    height = image.height
    left, right = int((x - 2) * scale), int((x + size + 2) * scale)
    top, bottom = int(height - (y + size + 2) * scale), int(height - (y - 2) * scale)
    return decode_image(image, (left, top, right, bottom))
