"""On a phone: sign up, confirm with the code from the outbox, apply (a NIK wrong once),
upload documents, see the status; staff ask for a fix; the applicant uploads again; a
second application with the same NIK is refused."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.e2e.conftest import screenshot
from vokasi.demo.loader import load_demo
from vokasi.intake.models import Application, ApplicationStatus
from vokasi.notifications.models import Message

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "kopi-susu-bontang-7"
NIK = "6474011203980007"  # a man born 12 March 1998, registered in Bontang Utara


@pytest.fixture
def demo(transactional_db: None) -> None:
    from vokasi.regions.services import load_regions

    load_regions(villages=False)
    load_demo(today=timezone.localdate(), say=lambda _: None)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    ktp = tmp_path / "ktp.pdf"
    ktp.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    photo = tmp_path / "ktp-baru.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    return {"ktp": ktp, "photo": photo}


def _code() -> str:
    message = Message.objects.order_by("-id").first()
    assert message is not None
    match = re.search(r"\b(\d{6})\b", message.body)
    assert match
    return match.group(1)


def _sign_up(page: Any, url: str, contact: str) -> None:
    page.goto(url + "/akun/daftar/")
    page.locator("#id_contact").fill(contact)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url("**/akun/konfirmasi/")
    page.locator("#id_code").fill(_code())
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url("**/pendaftaran/")


def _fill(page: Any, *, nik: str) -> None:
    page.locator("#id_nik").fill(nik)
    page.locator("#id_full_name").fill("Muhammad Rizky Saputra")
    page.locator("#id_birth_place").fill("Bontang")
    page.locator("#id_birth_date").fill("1998-03-12")
    page.locator("#id_sex_0").check()
    page.locator("#id_regency").select_option("6474")
    page.wait_for_function("document.querySelector('#id_district').options.length > 1")
    page.locator("#id_district").select_option("647401")
    page.locator("#id_address").fill("Jl. Ahmad Yani No. 5, RT 012")
    page.locator("#id_schooling").select_option("31")
    page.locator("#id_phone").fill("0812 3456 7890")
    page.locator("#id_choice_1").select_option(index=1)
    page.locator("#id_consent").check()


def test_an_applicant_registers_on_a_phone(
    demo: None, live_server: Any, phone: Any, browser: Any, files: dict[str, Path]
) -> None:
    from vokasi.core.models import User
    from vokasi.intake.services import application_request_fix

    _sign_up(phone, live_server.url, "0812 3456 7890")
    _fill(phone, nik="6474011203990007")  # the year typed wrong in the NIK
    phone.locator("#id_ktp").set_input_files(str(files["ktp"]))
    phone.locator("form.stack button[type=submit]").click()
    phone.wait_for_load_state()
    error = phone.locator(".has-error .errorlist").first
    assert error.is_visible()
    assert phone.locator("#id_full_name").input_value() == "Muhammad Rizky Saputra"
    assert phone.locator("#id_district").input_value() == "647401"
    screenshot(phone, "registration-nik-mismatch-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.locator("#id_nik").fill(NIK)
    phone.locator("#id_ktp").set_input_files(
        str(files["ktp"])
    )  # a browser never keeps a chosen file
    phone.locator("form.stack button[type=submit]").click()
    phone.wait_for_url("**/pendaftaran/status/")
    application = Application.objects.get(applicant__nik=NIK)
    assert phone.get_by_text(application.number).first.is_visible()
    screenshot(phone, "registration-status-phone")

    staff = User.objects.get(username="staf")
    application_request_fix(
        application=application, reason="Foto KTP buram, mohon unggah ulang", actor=staff
    )
    phone.reload()
    assert phone.get_by_text("Foto KTP buram").is_visible()
    phone.locator("input[name=ktp]").set_input_files(str(files["photo"]))
    phone.locator("form[action$='/dokumen/'] button[type=submit]").click()
    phone.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    screenshot(phone, "registration-reuploaded-phone")

    # Someone else tries to apply with the same NIK: refused, and still one application.
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    other = context.new_page()
    _sign_up(other, live_server.url, "rina@example.id")
    _fill(other, nik=NIK)
    other.locator("#id_ktp").set_input_files(str(files["ktp"]))
    other.locator("form.stack button[type=submit]").click()
    other.wait_for_load_state()
    assert other.locator(".errorlist").first.is_visible()
    screenshot(other, "registration-duplicate-nik-phone")
    context.close()
    assert Application.objects.filter(applicant__nik=NIK).count() == 1


def test_the_batch_chosen_on_the_home_page_is_the_first_choice_after_sign_up(
    demo: None, live_server: Any, phone: Any
) -> None:
    from vokasi.catalog.models import Batch

    phone.goto(live_server.url + "/")
    # The latest selection announcements are linked from the home page.
    announcements = phone.locator("ul.announcements a")
    assert announcements.count() >= 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "portal-home-announcements-phone")

    card = phone.locator("article.batch-card", has=phone.locator("a[href*='paket=ALB-']")).first
    code = card.locator("a[href*='paket=']").get_attribute("href").split("paket=")[1]
    batch = Batch.objects.get(code=code)
    card.locator("a.btn").click()
    phone.wait_for_url("**/login/**")
    phone.locator(".login-box a[href^='/akun/daftar/?next=']").click()
    phone.wait_for_url("**/akun/daftar/**")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.locator("#id_contact").fill("0813 5000 1234")
    phone.locator("#id_password").fill(PASSWORD)
    phone.locator("#id_password2").fill(PASSWORD)
    phone.locator("form.stack button[type=submit]").click()
    phone.wait_for_url("**/akun/konfirmasi/")
    phone.locator("#id_code").fill(_code())
    phone.locator("form.stack button[type=submit]").click()
    phone.wait_for_url(f"**/pendaftaran/?paket={code}")
    assert phone.locator("#id_choice_1").input_value() == str(batch.pk)
    assert phone.locator("#id_schooling").input_value() == ""  # no default: a real choice
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "registration-batch-preselected-phone")


def test_staff_cannot_verify_without_a_ktp_and_can_with_the_demo_scans(
    demo: None, live_server: Any, phone: Any
) -> None:
    from vokasi.catalog.models import Intake
    from vokasi.intake.selectors import batches_open_in
    from vokasi.intake.services import ApplicantData, application_submit
    from vokasi.regions.models import Region

    intake = Intake.objects.get(code=f"REG-{timezone.localdate().year}")
    bare = application_submit(
        data=ApplicantData(
            nik=NIK,
            full_name="Muhammad Rizky Saputra",
            birth_place="Bontang",
            birth_date=dt.date(1998, 3, 12),
            sex="M",
            domicile=Region.objects.get(code="647401"),
            schooling=31,
            phone="081234567890",
        ),
        intake=intake,
        batches=[batches_open_in(intake, today=timezone.localdate()).first()],
        user=None,
    )
    phone.goto(live_server.url + "/login/")
    phone.locator("#id_username").fill("staf")
    phone.locator("#id_password").fill("bontang2025")
    phone.locator("form.stack button[type=submit]").click()
    phone.wait_for_load_state()
    phone.goto(f"{live_server.url}/backoffice/pendaftaran/{bare.pk}/")
    assert phone.locator("button[value=verify]").count() == 0
    assert phone.locator(".actions .msg.warning").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "backoffice-application-no-ktp-phone")

    waiting = (
        Application.objects.filter(intake=intake, status=ApplicationStatus.SUBMITTED)
        .exclude(pk=bare.pk)
        .first()
    )
    assert waiting is not None
    phone.goto(f"{live_server.url}/backoffice/pendaftaran/{waiting.pk}/")
    assert phone.locator("a[href*='/backoffice/dokumen/']").count() == 2  # KTP and diploma
    screenshot(phone, "backoffice-application-demo-scans-phone")
    phone.locator("button[value=verify]").click()
    phone.wait_for_load_state()
    waiting.refresh_from_db()
    assert waiting.status in (ApplicationStatus.ELIGIBLE, ApplicationStatus.INELIGIBLE)
