"""Reports in a browser, on the demo data: the city's viewer (pemkot) opens the dashboard,
filters it to Kota Bontang, downloads the Excel file and finds the page's numbers in it,
then asks the budget planner what Rp1 billion from the province would buy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.e2e.conftest import screenshot
from vokasi.demo.loader import load_demo
from vokasi.reports.excel import HEADER_ROW

pytestmark = pytest.mark.django_db(transaction=True)


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


def _number(text: str) -> int:
    return int(text.strip().replace(".", "").replace(",", ""))


def _overflowing(page: Any) -> list[str]:
    """The tables wider than their box (the ones that would need an inner scrollbar)."""
    return list(
        page.evaluate(
            """Array.from(document.querySelectorAll('.table-wrap'))
              .filter(w => w.scrollWidth > w.clientWidth + 1)
              .map(w => w.querySelector('table').id)"""
        )
    )


def _funnel(page: Any) -> list[int]:
    return [_number(t) for t in page.locator(".funnel-kpis [data-stage] strong").all_inner_texts()]


def _bontang_count() -> tuple[int, int]:
    """Applications and participants of people living in Kota Bontang, counted directly."""
    from vokasi.intake.models import Application
    from vokasi.training.models import Participant

    applications = sum(
        1
        for a in Application.objects.select_related("applicant").prefetch_related("choices")
        if a.applicant.domicile_id.startswith("6474") and a.choices.all()
    )
    participants = sum(
        1
        for p in Participant.objects.select_related("applicant")
        if p.applicant.domicile_id.startswith("6474")
    )
    return applications, participants


def test_viewer_filters_downloads_and_plans(
    demo: None, live_server: Any, desktop: Any, phone: Any, tmp_path: Path
) -> None:
    page = desktop
    _login(page, live_server, "pemkot")
    page.goto(live_server.url + "/backoffice/")
    with page.expect_navigation():
        page.locator(".subnav a[href='/backoffice/laporan/']").click()
    everyone = _funnel(page)
    # The report's story: demand far above the seats, and 2025's participants from three
    # regencies / cities.
    assert everyone[0] > 10 * everyone[2]
    regencies = page.locator("#table-regency tbody tr > :first-child").all_inner_texts()
    assert {"Kota Bontang", "Kota Samarinda", "Kabupaten Kutai Timur"} <= set(regencies)
    screenshot(page, "reports-dashboard-desktop")
    # At 1280 px every table fits its box: no column hides behind an inner scrollbar.
    assert _overflowing(page) == []
    # The report of 30 July 2025: 192 trained in the six batches closed that day (filled
    # before registration ran in vokasi, so without an intake), from three regencies.
    page.goto(live_server.url + "/backoffice/laporan/?year=2025&intake=0")
    assert _funnel(page)[3] == 192
    assert page.locator("#table-regency tbody tr").count() == 3
    screenshot(page, "reports-dashboard-story")
    with page.expect_navigation():
        page.locator(".report-filters a").click()  # Clear
    assert _funnel(page) == everyone

    page.locator("select[name=regency]").select_option("6474")
    with page.expect_navigation():
        page.locator("#filter-button").click()
    assert "regency=6474" in page.url
    bontang = _funnel(page)
    applications, participants = _bontang_count()
    assert (bontang[0], bontang[3]) == (applications, participants)
    assert bontang[0] < everyone[0]

    with page.expect_download() as info:
        page.locator("#download-excel").click()
    path = tmp_path / "laporan.xlsx"
    info.value.save_as(path)
    book = load_workbook(path)
    funnel = [
        row[1] for row in book.worksheets[0].iter_rows(min_row=HEADER_ROW + 1, values_only=True)
    ]
    assert funnel == bontang
    # The per-programme table on the page and in the workbook agree row by row.
    page_rows = [
        [cell.strip() for cell in row.split("\t")]
        for row in page.locator("#table-programme tbody tr").all_inner_texts()
    ]
    sheet = book.worksheets[2]  # funnel, rates, then the programmes
    excel_rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))[:-1]
    assert [r[0] for r in page_rows] == [r[0] for r in excel_rows]
    assert [[_number(c) for c in r[1:]] for r in page_rows] == [list(r[1:]) for r in excel_rows]

    # The budget planner: Rp1 billion, maximising expected placements.
    with page.expect_navigation():
        page.locator(".report-tabs a[href='/backoffice/laporan/perencana/']").click()
    page.locator("input[name=amount]").fill("1.000.000.000")
    with page.expect_navigation():
        page.locator("#plan-button").click()
    packages = _number(page.locator("#plan-packages strong").inner_text())
    assert packages > 0
    plan_cost = page.locator("#table-plan tfoot td").nth(8).inner_text()
    assert _overflowing(page) == []
    assert _number(plan_cost) <= 1_000_000_000
    screenshot(page, "reports-planner-desktop")
    with page.expect_download() as info:
        page.locator("#plan-pdf").click()
    pdf = tmp_path / "usulan.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    # A negative amount is refused with a message, and the form keeps what was typed.
    page.locator("input[name=amount]").fill("-5")
    with page.expect_navigation():
        page.locator("#plan-button").click()
    assert page.locator("#planner-errors").is_visible()
    assert page.locator("input[name=amount]").input_value() == "-5"

    # On a phone the dashboard fits the screen's width.
    _login(phone, live_server, "pemkot")
    phone.goto(live_server.url + "/backoffice/laporan/?regency=6474")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "reports-dashboard-phone")
    # A breakdown scrolls sideways inside its box, its row labels held in place.
    label = phone.locator("#table-programme tbody tr:first-child > :first-child")
    label.scroll_into_view_if_needed()
    before = label.bounding_box()
    phone.locator("#table-programme").evaluate(
        "t => { t.parentElement.scrollLeft = t.parentElement.scrollWidth; }"
    )
    assert phone.locator("#table-programme").evaluate("t => t.parentElement.scrollLeft") > 0
    assert label.bounding_box()["x"] == before["x"]
    last = phone.locator("#table-programme tbody tr:first-child > :last-child").bounding_box()
    assert last["x"] + last["width"] <= 360
    screenshot(phone, "reports-dashboard-phone-scrolled")
