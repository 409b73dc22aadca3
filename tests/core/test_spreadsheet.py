"""Every Excel import opens the upload through one guard: not a workbook, or a workbook
that would unpack to far more than any real sheet (a zip bomb), is refused with a message."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from vokasi.core.spreadsheet import (
    MAX_UNCOMPRESSED,
    UnreadableWorkbook,
    open_workbook,
    read_sheet,
)

COLUMNS = {"number": {"Nomor pendaftaran"}}


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are checked in the source language."""
    with translation.override("en"):
        yield


def _workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Nomor pendaftaran"])
    sheet.append(["REG-1"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _bomb() -> bytes:
    """A sound workbook plus one member of zeros that unpacks past the limit."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_workbook())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/media/padding.bin", b"\0" * (MAX_UNCOMPRESSED + 1))
    return out.getvalue()


def test_a_sound_workbook_is_read() -> None:
    sheet = read_sheet(SimpleUploadedFile("a.xlsx", _workbook()), COLUMNS)
    assert not sheet.errors
    assert sheet.rows == [(2, {"number": "REG-1"})]


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    data = _bomb()
    assert len(data) < 1024 * 1024  # small on the wire
    with pytest.raises(UnreadableWorkbook, match="unpacks to more than"):
        open_workbook(data)
    sheet = read_sheet(SimpleUploadedFile("bom.xlsx", data), COLUMNS)
    assert sheet.errors and "unpacks to more than" in sheet.errors[0].message


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04broken", b"%PDF-1.4", _workbook()[:300]])
def test_not_a_workbook(data: bytes) -> None:
    with pytest.raises(UnreadableWorkbook):
        open_workbook(data, read_only=True)


def test_an_export_keeps_a_typed_formula_as_text() -> None:
    from openpyxl import load_workbook

    from vokasi.core.spreadsheet import workbook_bytes

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(['=HYPERLINK("http://contoh.id","klik")', "Siti"])
    saved = load_workbook(io.BytesIO(workbook_bytes(book)))
    cell = saved.worksheets[0]["A1"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://contoh.id","klik")'
