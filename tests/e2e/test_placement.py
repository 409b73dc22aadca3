"""The inmate programme and the tracer study in a browser: Lapas Bontang's officer nominates
inmates (form and Excel); staff see and enrol them; the public site and its downloads never
show them; a graduate answers a tracer survey from the link on a phone."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import Workbook

from tests.e2e.conftest import screenshot
from vokasi.demo.loader import load_demo

pytestmark = pytest.mark.django_db(transaction=True)

NEW_NAME = "Muhammad Fadli Ramadhan"
EXCEL_NAMES = ("Andi Saputra Lapas", "Budi Hartono Lapas")


@pytest.fixture
def demo(transactional_db: None) -> None:
    from vokasi.regions.services import load_regions

    load_regions(villages=False)
    load_demo(today=timezone.localdate(), say=lambda _: None)


def _login(page: Any, live_server: Any, username: str) -> None:
    page.context.clear_cookies()
    page.goto(live_server.url + "/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("bontang2025")
    with page.expect_navigation():
        page.locator(".login-box button[type=submit]").click()


def _sheet(path: Path, rows: list[list[str]]) -> Path:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(
        ["NIK", "Nama", "Tempat lahir", "Tgl lahir", "JK", "Kecamatan", "Pendidikan", "No", "Bebas"]
    )
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    return path


def test_inmates_nominated_enrolled_and_never_public(
    demo: None, live_server: Any, desktop: Any, tmp_path: Path
) -> None:
    from vokasi.catalog.models import Partner
    from vokasi.inmates.models import Nomination
    from vokasi.selection.models import SelectionRound

    batch = Partner.objects.get(name="Lapas Kelas IIA Bontang").hosted_batches.get()
    page = desktop
    _login(page, live_server, "lapas")
    page.goto(live_server.url + "/backoffice/warga-binaan/")
    page.locator(f"a[href='/backoffice/warga-binaan/{batch.pk}/']").click()
    page.locator(f"a[href='/backoffice/warga-binaan/{batch.pk}/usulkan/']").click()

    # The form: a NIK whose birth date disagrees first, then the right one.
    page.locator("#id_nik").fill("6474 0115 0896 0007")
    page.locator("#id_full_name").fill(NEW_NAME)
    page.locator("#id_birth_place").fill("Bontang")
    page.locator("#id_birth_date").fill("1996-08-16")
    page.locator("input[name=sex][value=M]").check()
    page.locator("#id_district").select_option("647401")
    page.locator("#id_schooling").select_option("20")
    page.locator("#id_number").fill("B.I-412/2024")
    page.locator("#id_expected_release").fill(
        (timezone.localdate() + dt.timedelta(days=300)).isoformat()
    )
    with page.expect_navigation():
        page.locator("main form.card button.btn:not([name=another])").click()
    assert page.locator(".errorlist").count() >= 1
    assert page.locator("#id_full_name").input_value() == NEW_NAME  # nothing typed is lost
    screenshot(page, "inmates-nominate-error")
    page.locator("#id_birth_date").fill("1996-08-15")
    with page.expect_navigation():
        page.locator("main form.card button.btn:not([name=another])").click()
    assert NEW_NAME in page.content()

    # Excel: a faulty sheet is listed by row and saves nothing; the fixed one is imported.
    release = (timezone.localdate() + dt.timedelta(days=400)).strftime("%d-%m-%Y")
    good = [
        [
            "6474012005950003",
            EXCEL_NAMES[0],
            "Bontang",
            "20-05-1995",
            "L",
            "Bontang Utara",
            "SMP",
            "B.I-501/2024",
            release,
        ],
        [
            "6474010211930004",
            EXCEL_NAMES[1],
            "Sangatta",
            "02-11-1993",
            "L",
            "647401",
            "SD",
            "B.I-502/2024",
            release,
        ],
    ]
    bad = [good[0], [*good[1][:3], "31-02-1993", *good[1][4:]]]
    page.goto(live_server.url + f"/backoffice/warga-binaan/{batch.pk}/unggah/")
    page.locator("#id_file").set_input_files(str(_sheet(tmp_path / "bad.xlsx", bad)))
    with page.expect_navigation():
        page.locator("button[value=check]").click()
    assert page.locator("table.rowerrors tbody tr").count() >= 1
    screenshot(page, "inmates-upload-dry-run")
    assert not Nomination.objects.filter(applicant__full_name__in=EXCEL_NAMES).exists()
    page.locator("#id_file").set_input_files(str(_sheet(tmp_path / "good.xlsx", good)))
    with page.expect_navigation():
        page.locator("button[value=check]").click()
    with page.expect_navigation():
        page.locator("button[value=confirm]").click()
    assert Nomination.objects.filter(applicant__full_name__in=EXCEL_NAMES).count() == 2
    screenshot(page, "inmates-officer-batch")

    # Staff see the nominees with their inmate numbers and enrol one.
    _login(page, live_server, "staf")
    page.goto(live_server.url + f"/backoffice/warga-binaan/{batch.pk}/")
    assert NEW_NAME in page.content() and "B.I-412/2024" in page.content()
    row = page.locator("tr", has_text=NEW_NAME)
    with page.expect_navigation():
        row.locator("button[value=accept]").click()
    assert batch.participants.filter(applicant__full_name=NEW_NAME).exists()
    screenshot(page, "inmates-staff-enrolled")

    # The public site and its downloads: no inmate, no prison batch.
    inmates = list(Nomination.objects.values_list("applicant__full_name", "applicant__nik"))
    page.context.clear_cookies()
    public = ["/", "/program/", f"/paket/{batch.code}/"]
    public += [
        f"/program/{pk}/" for pk in batch.programme.centre.programmes.values_list("pk", flat=True)
    ]
    for round_ in SelectionRound.objects.filter(state="published"):
        public += [
            f"/seleksi/{round_.pk}/",
            f"/seleksi/{round_.pk}/input.json",
            f"/seleksi/{round_.pk}/result.json",
        ]
    for url in public:
        response = page.request.get(live_server.url + url)
        text = response.text()
        assert batch.name not in text, url
        # (The 404 page of the batch's own address repeats that address in its language form.)
        assert batch.code not in text or batch.code in url, url
        for name, nik in inmates:
            assert name not in text and nik not in text, url
    assert page.request.get(live_server.url + f"/paket/{batch.code}/").status == 404


def test_a_graduate_answers_the_tracer_survey_on_a_phone(
    demo: None, live_server: Any, phone: Any
) -> None:
    from vokasi.placement.models import PlacementRecord, TracerSurvey
    from vokasi.placement.selectors import token_hash

    survey = (
        TracerSurvey.objects.filter(answered_at__isnull=True)
        .select_related("participant__applicant")
        .order_by("-wave", "pk")
        .first()
    )
    assert survey is not None
    token = "e2e-tracer-link-0123456789abcdef"
    TracerSurvey.objects.filter(pk=survey.pk).update(
        token_hash=token_hash(token), expires_at=timezone.now() + dt.timedelta(days=10)
    )
    before = PlacementRecord.objects.filter(participant=survey.participant).count()
    page = phone
    page.goto(live_server.url + f"/tracer/{token}/")
    assert survey.participant.applicant.full_name.split()[0] in page.content()
    # Fields follow the answer: the employer field shows only once "employed" is chosen.
    assert not page.locator("#id_employer").is_visible()
    page.locator("input[name=outcome][value=employed]").check()
    assert page.locator("#id_employer").is_visible()
    page.locator("#id_employer").fill("PT Badak NGL (kontraktor pemeliharaan)")
    page.locator("#id_position").fill("Welder")
    page.locator("#id_sector").fill("Minyak dan gas")
    page.locator("#id_wage_band").select_option("35to5")
    screenshot(page, "tracer-phone-form")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    with page.expect_navigation():
        page.locator(".tracer button[type=submit]").click()
    screenshot(page, "tracer-phone-thanks")
    latest = PlacementRecord.objects.filter(participant=survey.participant).first()
    assert latest is not None and latest.employer == "PT Badak NGL (kontraktor pemeliharaan)"
    assert PlacementRecord.objects.filter(participant=survey.participant).count() == before + 1
    # The link is spent: opening it again thanks, and records nothing.
    page.goto(live_server.url + f"/tracer/{token}/")
    assert page.locator("input[name=outcome]").count() == 0
    assert PlacementRecord.objects.filter(participant=survey.participant).count() == before + 1


def test_staff_follow_placements_vacancies_and_the_response_rate(
    demo: None, live_server: Any, desktop: Any
) -> None:
    from vokasi.catalog.models import Partner
    from vokasi.placement.models import Vacancy

    page = desktop
    _login(page, live_server, "staf")
    page.goto(live_server.url + "/backoffice/penempatan/")
    assert page.locator("table tbody tr").count() == 50  # a page of graduates
    screenshot(page, "placement-list")
    page.locator("table tbody tr a").first.click()
    assert page.locator("h2").first.is_visible()
    screenshot(page, "placement-graduate")
    vacancy = Vacancy.objects.get(partner__name="PT Badak NGL")
    page.goto(live_server.url + f"/backoffice/lowongan/{vacancy.pk}/")
    assert page.locator("input[name=participant]").count() > 0
    screenshot(page, "placement-vacancy")
    page.goto(live_server.url + "/backoffice/tracer/")
    assert "%" in page.content()
    screenshot(page, "placement-tracer-report")
    partner = Partner.objects.get(name="PT Pupuk Kalimantan Timur")
    page.goto(live_server.url + f"/backoffice/mitra/{partner.pk}/")
    assert "560/041/BLKI-BTG/2025" in page.content()
    screenshot(page, "placement-partner")
