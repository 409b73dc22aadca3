"""Staff issue a batch's training certificates; the PDF downloads; its QR code, read from
the page rendered by pdftoppm, leads a phone to the verification page, which says valid;
staff revoke the certificate and the same page then says revoked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.certificates.test_qrdecode import qr_of_pdf
from tests.e2e.conftest import screenshot
from vokasi.catalog.models import Batch, BatchState
from vokasi.certificates.models import TrainingCertificate
from vokasi.certificates.pdf import QR_BOX
from vokasi.certificates.services import format_code
from vokasi.demo.loader import load_demo

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db: None) -> None:
    from vokasi.regions.services import load_regions

    load_regions(villages=False)
    load_demo(today=timezone.localdate(), say=lambda _: None)


def test_issue_download_scan_verify_and_revoke(
    demo: None, live_server: Any, desktop: Any, phone: Any, tmp_path: Path, settings: Any
) -> None:
    # The QR code points at this test's server.
    settings.SITE_URL = live_server.url
    batch = Batch.objects.get(code="OTO-2025-1")
    assert batch.state == BatchState.COMPLETED
    assert not TrainingCertificate.objects.filter(participant__batch=batch).exists()

    page = desktop
    page.goto(live_server.url + "/login/")
    page.locator("#id_username").fill("staf")
    page.locator("#id_password").fill("bontang2025")
    page.locator(".login-box button[type=submit]").click()
    page.wait_for_url("**/backoffice/")
    page.goto(live_server.url + "/backoffice/sertifikat/")
    screenshot(page, "certificates-batches")
    page.locator(f"a[href='/backoffice/sertifikat/paket/{batch.pk}/']").click()
    page.wait_for_url(f"**/sertifikat/paket/{batch.pk}/")
    with page.expect_navigation():
        page.locator("#issue-certificates").click()
    issued = list(TrainingCertificate.objects.filter(participant__batch=batch).order_by("seq"))
    assert issued and all(c.number.endswith("/BLKI-BTG/OTO/2025") for c in issued)
    assert page.locator(".cert-table").inner_text().count("/BLKI-BTG/OTO/2025") == len(issued)
    screenshot(page, "certificates-batch-issued")

    cert = issued[0]
    with page.expect_download() as got:
        page.locator(".cert-pdf").first.click()
    pdf_path = tmp_path / "sertifikat.pdf"
    got.value.save_as(pdf_path)
    url = qr_of_pdf(pdf_path.read_bytes(), QR_BOX)
    assert url == f"{live_server.url}/verify/{cert.code}"

    phone.goto(url)
    assert phone.locator("[data-status=valid]").is_visible()
    assert cert.holder_name in phone.locator(".cert-holder").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "certificates-verify-valid-phone")

    page.goto(f"{live_server.url}/backoffice/sertifikat/{cert.pk}/")
    page.locator("#revoke-open").click()
    page.locator("#revoke-reason").fill("Diterbitkan untuk peserta yang salah")
    with page.expect_navigation():
        page.locator("#revoke-confirm").click()
    screenshot(page, "certificates-revoked-staff")

    phone.reload()
    assert phone.locator("[data-status=revoked]").is_visible()
    screenshot(phone, "certificates-verify-revoked-phone")

    # Typed by hand, in lower case with dashes, on the public form.
    phone.goto(live_server.url + "/verifikasi/")
    phone.locator("#code").fill(format_code(issued[1].code).lower())
    with phone.expect_navigation():
        phone.locator(".cert-verify-form button[type=submit]").click()
    assert phone.locator("[data-status=valid]").is_visible()
    screenshot(phone, "certificates-verify-form-phone")


def test_a_graduate_sees_both_certificates_and_staff_see_the_bnsp_test(
    demo: None, live_server: Any, desktop: Any, phone: Any
) -> None:
    from vokasi.certificates.models import Candidate
    from vokasi.core.models import User

    holder = (
        Candidate.objects.exclude(certificate_number="")
        .select_related("participant__applicant", "test")
        .first()
    )
    assert holder is not None
    user = User.objects.create_user(
        "lulusan", password="rahasia-lulusan-1", role="applicant", confirmed_at=timezone.now()
    )
    applicant = holder.participant.applicant
    applicant.user = user
    applicant.save()
    phone.goto(live_server.url + "/login/")
    phone.locator("#id_username").fill("lulusan")
    phone.locator("#id_password").fill("rahasia-lulusan-1")
    with phone.expect_navigation():
        phone.locator(".login-box button[type=submit]").click()
    phone.goto(live_server.url + "/sertifikat-saya/")
    text = phone.locator("main").inner_text()
    assert holder.certificate_number in text
    training = TrainingCertificate.objects.get(participant=holder.participant)
    assert training.number in text
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "certificates-mine-phone")

    desktop.goto(live_server.url + "/login/")
    desktop.locator("#id_username").fill("staf")
    desktop.locator("#id_password").fill("bontang2025")
    with desktop.expect_navigation():
        desktop.locator(".login-box button[type=submit]").click()
    desktop.goto(f"{live_server.url}/backoffice/bnsp/uji/")
    screenshot(desktop, "certificates-bnsp-tests")
    desktop.goto(f"{live_server.url}/backoffice/bnsp/uji/{holder.test_id}/")
    assert holder.certificate_number in desktop.locator("main").inner_text()
    screenshot(desktop, "certificates-bnsp-test")
