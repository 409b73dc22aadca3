"""Nominations by Excel: the dry run lists every fault by row and writes nothing; the
confirmed import writes every row or none."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.factories import PrisonBatchFactory
from vokasi.core.models import User
from vokasi.inmates.models import Inmate, Nomination
from vokasi.inmates.spreadsheet import nominations_read, template_xlsx
from vokasi.intake.models import Applicant

pytestmark = pytest.mark.django_db

RELEASE = (dt.date.today() + dt.timedelta(days=500)).strftime("%d-%m-%Y")


def sheet(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["NIK", "Nama", "Tempat", "Tgl", "JK", "Kec", "Pend", "No", "Bebas"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def good(serial: int) -> list[Any]:
    return [
        f"647401120398{serial:04d}",
        f"Warga Binaan {serial}",
        "Bontang",
        "12-03-1998",
        "L",
        "Bontang Selatan",
        "SMP",
        f"B.I-{serial:03d}/2025",
        RELEASE,
    ]


@pytest.fixture
def batch() -> Any:
    return PrisonBatchFactory()


def test_the_dry_run_lists_every_fault_by_row_and_writes_nothing(
    partner_officer: User, batch: Any
) -> None:
    rows = [
        good(1),  # row 2: fine
        ["6474011203980002", "", "Bontang", "12-03-1998", "L", "647401", "SMA", "B-2", ""],  # 3
        [
            6474011203980003,
            "Numeric NIK",
            "Bontang",
            "12-03-1998",
            "L",
            "64.74.01",
            "SMA",
            "B-3",
            "",
        ],
        [*good(1)[:7], "B-4", ""],  # row 5: the NIK of row 2
        [
            "6474011203980005",
            "Bad date",
            "Bontang",
            "31-02-1998",
            "X",
            "Atlantis",
            "PhD",
            "B-5",
            "",
        ],
        [
            "6474011303980006",
            "Wrong birth",
            "Bontang",
            "12-03-1998",
            "L",
            "647401",
            "SMA",
            "B-6",
            "",
        ],
        [],  # an empty row is skipped
        [*good(8)[:7], "B.I-001/2025", ""],  # row 9: the inmate number of row 2
    ]
    result = nominations_read(batch=batch, content=sheet(rows), actor=partner_officer)
    faults = {(e.row, e.column) for e in result.errors}
    assert (3, "Full name as on the KTP") in faults
    assert (4, "NIK") in faults
    assert (5, "NIK") in faults
    assert {(6, "Date of birth (DD-MM-YYYY)"), (6, "Sex (L/P)")} <= faults
    assert {
        (6, "District (kecamatan) of home address"),
        (6, "Schooling (SD/SMP/SMA/SMK/D3/S1)"),
    } <= faults
    assert (7, "Date of birth (DD-MM-YYYY)") in faults  # the NIK says 13-03-1998
    assert (9, "Inmate registration number") in faults
    assert [row for row, _ in result.rows] == [2]
    messages = " ".join(e.message for e in result.errors if e.row == 4)
    assert "apostrophe" in messages
    assert not Applicant.objects.exists() and not Nomination.objects.exists()


def test_a_clean_file_is_checked_then_imported_in_one_go(
    client: Client, partner_officer: User, batch: Any
) -> None:
    client.force_login(partner_officer)
    url = reverse("backoffice:inmate_upload", args=[batch.pk])
    content = sheet([good(n) for n in range(1, 6)])
    response = client.post(
        url, {"action": "check", "file": SimpleUploadedFile("usulan.xlsx", content)}
    )
    assert response.status_code == 200
    assert not Nomination.objects.exists()  # the dry run wrote nothing
    sha = response.context["sha256"]
    response = client.post(url, {"action": "confirm", "sha256": sha})
    assert response.status_code == 302
    assert Nomination.objects.filter(batch=batch).count() == 5
    assert Inmate.objects.filter(prison=batch.venue_partner).count() == 5
    # A second confirm finds nothing to import (the checked file is gone from the session).
    response = client.post(url, {"action": "confirm", "sha256": sha})
    assert "Upload the file again" in response.content.decode()
    assert Nomination.objects.count() == 5


def test_a_file_with_errors_cannot_be_confirmed(
    client: Client, partner_officer: User, batch: Any
) -> None:
    client.force_login(partner_officer)
    url = reverse("backoffice:inmate_upload", args=[batch.pk])
    content = sheet([good(1), good(1)])
    response = client.post(url, {"action": "check", "file": SimpleUploadedFile("u.xlsx", content)})
    assert response.context["result"].errors
    response = client.post(url, {"action": "confirm", "sha256": response.context["sha256"]})
    assert response.status_code == 200
    assert not Nomination.objects.exists()


@pytest.mark.parametrize(
    "content",
    [b"", b"NIK;Nama\n6474011203980001;X\n", b"PK\x03\x04 not really a zip", b"%PDF-1.4"],
)
def test_a_file_that_is_not_excel_gets_a_clear_message(
    client: Client, partner_officer: User, batch: Any, content: bytes
) -> None:
    client.force_login(partner_officer)
    response = client.post(
        reverse("backoffice:inmate_upload", args=[batch.pk]),
        {"action": "check", "file": SimpleUploadedFile("u.xlsx", content)},
    )
    assert response.status_code == 200
    assert "not an Excel file" in response.content.decode() or "Choose the Excel" in (
        response.content.decode()
    )
    assert not Nomination.objects.exists()


def test_a_sheet_with_only_its_header_is_refused(partner_officer: User, batch: Any) -> None:
    from vokasi.inmates.services import NominationError

    with pytest.raises(NominationError, match="no rows"):
        nominations_read(batch=batch, content=sheet([]), actor=partner_officer)


def test_the_template_has_the_columns_in_order_and_nik_as_text() -> None:
    book = load_workbook(io.BytesIO(template_xlsx()))
    ws = book.active
    assert ws is not None
    assert ws["A1"].value == "NIK"
    assert ws.max_column == 9
    assert ws["A2"].number_format == "@"
