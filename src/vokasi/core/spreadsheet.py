"""Reading an uploaded Excel sheet row by row, with every fault reported by row number.

Imports in vokasi are two-step: a dry run lists every error before anything is written,
and nothing is written while any error remains. This module does the part every import
shares: open the file safely, find the columns by their header (in Indonesian or English,
any case, any order), and hand back plain rows.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000


@dataclass(frozen=True)
class RowError:
    row: int  # as Excel numbers it, header = 1
    message: str


@dataclass
class Sheet:
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _header_key(text: object, columns: dict[str, set[str]]) -> str | None:
    label = " ".join(str(text or "").split()).casefold()
    for key, aliases in columns.items():
        if label in {a.casefold() for a in aliases}:
            return key
    return None


# What openpyxl raises on a file that is not a sound workbook: a zip that is not one, a
# missing part, or garbled XML inside (ParseError is a SyntaxError).
_UNREADABLE = (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError, IndexError)


# An .xlsx is a zip: a few MB can expand to gigabytes of XML (a "zip bomb"). A real sheet of
# MAX_ROWS rows stays far below this.
MAX_UNCOMPRESSED = 64 * 1024 * 1024


class UnreadableWorkbook(Exception):
    """The message is for the user."""


class WorkbookTooLarge(UnreadableWorkbook):
    """A workbook that would unpack to more than MAX_UNCOMPRESSED."""


def open_workbook(data: bytes, *, read_only: bool = False) -> Workbook:
    """Opens an uploaded workbook, or raises UnreadableWorkbook: every import goes through
    here, so each refuses a non-workbook and an oversized expansion the same way. A
    read-only workbook parses its sheets while they are read, so callers still catch
    `UNREADABLE` around the rows."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(member.file_size for member in archive.infolist())
    except _UNREADABLE:
        raise UnreadableWorkbook(_("This is not an Excel workbook (.xlsx).")) from None
    if expanded > MAX_UNCOMPRESSED:
        raise WorkbookTooLarge(
            _("This workbook unpacks to more than %(mb)d MB; split it into smaller files.")
            % {"mb": MAX_UNCOMPRESSED // 2**20}
        )
    try:
        return load_workbook(io.BytesIO(data), read_only=read_only, data_only=True)
    except _UNREADABLE:
        raise UnreadableWorkbook(_("This is not an Excel workbook (.xlsx).")) from None


UNREADABLE = _UNREADABLE


def read_sheet(upload: UploadedFile[bytes], columns: dict[str, set[str]]) -> Sheet:
    """Rows of the first sheet as {column key: value}, keyed by the header's aliases.

    A file that is not an .xlsx workbook, too large, without a needed column or with too
    many rows gives one error on row 0 (the file as a whole) and no rows.
    """
    sheet = Sheet()
    if upload.size is not None and upload.size > MAX_BYTES:
        sheet.errors.append(
            RowError(0, _("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // 2**20})
        )
        return sheet
    data = upload.read()
    try:
        # Not read-only: that mode skips empty rows, and the row numbers must match Excel's.
        book = open_workbook(data)
    except UnreadableWorkbook as error:
        sheet.errors.append(RowError(0, str(error)))
        return sheet
    try:
        return _rows(book, columns, sheet)
    except _UNREADABLE:
        sheet.rows.clear()
        sheet.errors.append(RowError(0, _("This is not an Excel workbook (.xlsx).")))
        return sheet
    finally:
        book.close()


def _rows(book: Workbook, columns: dict[str, set[str]], sheet: Sheet) -> Sheet:
    """The header, then the rows under it; may raise any of _UNREADABLE."""
    worksheet = book.worksheets[0]
    lines = worksheet.iter_rows(values_only=True)
    header = next(lines, None) or ()
    positions: dict[str, int] = {}
    for index, text in enumerate(header):
        key = _header_key(text, columns)
        if key is not None and key not in positions:
            positions[key] = index
    missing = [sorted(aliases)[0] for key, aliases in columns.items() if key not in positions]
    if missing:
        sheet.errors.append(
            RowError(
                0,
                _("The first row must name the columns; missing: %(columns)s.")
                % {"columns": ", ".join(missing)},
            )
        )
        return sheet
    for number, line in enumerate(lines, start=2):
        if number > MAX_ROWS + 1:
            sheet.errors.append(
                RowError(0, _("More than %(n)d rows; split the file.") % {"n": MAX_ROWS})
            )
            sheet.rows.clear()
            return sheet
        values = {
            key: line[index] if index < len(line) else None for key, index in positions.items()
        }
        if all(v is None or str(v).strip() == "" for v in values.values()):
            continue  # blank lines between blocks are common in hand-made sheets
        sheet.rows.append((number, values))
    return sheet


def cell_text(value: object) -> str:
    """A cell as text; Excel turns long digit strings into floats, so integral floats lose
    their '.0'."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value if value is not None else "").strip()


def append_header(sheet: Worksheet, titles: Iterable[object]) -> None:
    """Appends an export's column titles as a bold row."""
    sheet.append([str(title) for title in titles])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def workbook_bytes(book: Workbook) -> bytes:
    """Saves an export. Every cell is kept as text, never a formula: openpyxl writes a
    string starting with "=" as a formula, and names, addresses and employers are typed by
    the public (spreadsheet formula injection). Every export goes through here."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
