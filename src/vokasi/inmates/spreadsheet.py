"""Nominations by Excel: the template, the dry run that lists every fault by row, and the
import, which writes all rows or none.

A prison sends dozens of names at once (60 of 253 at one Lapas); an officer should see every
problem in one pass, fix the sheet, and upload again, without half a list already saved.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from vokasi.catalog.models import Batch, Schooling
from vokasi.core.models import User
from vokasi.core.spreadsheet import (
    UNREADABLE,
    UnreadableWorkbook,
    WorkbookTooLarge,
    append_header,
    open_workbook,
    workbook_bytes,
)
from vokasi.inmates.models import Inmate, Nomination
from vokasi.inmates.selectors import districts_for
from vokasi.inmates.services import (
    NominationError,
    NomineeData,
    check_batch,
    check_existing_person,
    check_nominee,
    nomination_create,
)
from vokasi.intake.models import Applicant
from vokasi.regions.models import Region
from vokasi.regions.nik import normalize_nik

MAX_ROWS = 500
MAX_BYTES = 2 * 1024 * 1024

# Column order of the template; the header row is for people, the order is what counts.
COLUMNS = (
    "nik",
    "full_name",
    "birth_place",
    "birth_date",
    "sex",
    "district",
    "schooling",
    "number",
    "expected_release",
)


def _headers() -> list[str]:
    return [
        "NIK",
        _("Full name as on the KTP"),
        _("Place of birth"),
        _("Date of birth (DD-MM-YYYY)"),
        _("Sex (L/P)"),
        _("District (kecamatan) of home address"),
        _("Schooling (SD/SMP/SMA/SMK/D3/S1)"),
        _("Inmate registration number"),
        _("Expected release date (DD-MM-YYYY)"),
    ]


def template_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Nominations")[:31]
    append_header(sheet, _headers())
    # NIK as text: Excel keeps 15 significant digits, so a 16-digit number loses its last.
    for row in range(2, 202):
        sheet.cell(row=row, column=1).number_format = "@"
        sheet.cell(row=row, column=8).number_format = "@"
    for column, width in zip("ABCDEFGHI", (20, 30, 16, 16, 10, 30, 18, 22, 18), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    return workbook_bytes(book)


@dataclass(frozen=True, slots=True)
class RowError:
    row: int  # as Excel numbers it: the header is row 1
    column: str
    message: str


@dataclass
class ReadResult:
    rows: list[tuple[int, NomineeData]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


_SEX = {"l": "M", "laki-laki": "M", "laki laki": "M", "m": "M", "p": "F", "perempuan": "F"}
_SCHOOLING = {
    "tidak sekolah": Schooling.NONE,
    "none": Schooling.NONE,
    "sd": Schooling.SD,
    "smp": Schooling.SMP,
    "sma": Schooling.SMA,
    "smk": Schooling.SMK,
    "d1": Schooling.D1,
    "d2": Schooling.D2,
    "d3": Schooling.D3,
    "d4": Schooling.D4,
    "s1": Schooling.S1,
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for pattern in ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    raise ValueError(text)


class _Districts:
    """District lookup by code ("64.74.01" or "647401") or by a name unique in the province."""

    def __init__(self, batch: Batch) -> None:
        assert batch.venue_partner is not None
        self.by_code: dict[str, Region] = {}
        self.by_name: dict[str, list[Region]] = {}
        for region in districts_for(batch.venue_partner):
            self.by_code[region.code] = region
            key = region.name.casefold()
            self.by_name.setdefault(key, []).append(region)

    def find(self, text: str) -> Region:
        code = re.sub(r"[.\s]", "", text)
        if code in self.by_code:
            return self.by_code[code]
        found = self.by_name.get(re.sub(r"^(kecamatan|kec\.?)\s+", "", text.casefold()), [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise ValueError(
                _("Several districts are called %(name)s: type its code, e.g. %(code)s.")
                % {"name": text, "code": found[0].code}
            )
        raise ValueError(_("No district %(name)s in the prison's province.") % {"name": text})


def _rows(content: bytes) -> list[tuple[int, list[Any]]]:
    """The non-empty rows below the header, as Excel numbers them, all read inside the
    guard: a read-only sheet parses its XML only while it is iterated."""
    rows: list[tuple[int, list[Any]]] = []
    try:
        book = open_workbook(content, read_only=True)
        if not book.worksheets:
            raise NominationError({"file": [_("The file has no sheet.")]})
        for index, raw in enumerate(
            book.worksheets[0].iter_rows(min_row=2, values_only=True), start=2
        ):
            cells = list(raw)[: len(COLUMNS)] + [None] * (len(COLUMNS) - len(raw))
            if all(_text(c) == "" for c in cells):
                continue
            if index - 1 > MAX_ROWS:
                raise NominationError(
                    {"file": [_("At most %(n)d rows per file.") % {"n": MAX_ROWS}]}
                )
            rows.append((index, cells))
    except WorkbookTooLarge as error:
        raise NominationError({"file": [str(error)]}) from None
    except (UnreadableWorkbook, *UNREADABLE):
        raise NominationError(
            {"file": [_("This is not an Excel file (.xlsx). Use the template.")]}
        ) from None
    return rows


def nominations_read(*, batch: Batch, content: bytes, actor: User) -> ReadResult:
    """The dry run: every row checked, nothing written. Raises NominationError for a file
    that is not a usable spreadsheet at all."""
    check_batch(batch=batch, actor=actor)
    if len(content) > MAX_BYTES:
        raise NominationError({"file": [_("The file is larger than 2 MB.")]})
    rows = _rows(content)
    today = timezone.localdate()
    districts = _Districts(batch)
    labels = dict(zip(COLUMNS, _headers(), strict=True))
    result = ReadResult()
    seen_nik: dict[str, int] = {}
    seen_number: dict[str, int] = {}
    for index, cells in rows:
        values = dict(zip(COLUMNS, cells, strict=True))
        errors: list[RowError] = []

        def fault(
            column: str, message: str, row: int = index, errors: list[RowError] = errors
        ) -> None:
            errors.append(RowError(row, labels[column], message))

        if isinstance(values["nik"], int | float):
            fault(
                "nik",
                _(
                    "Type the NIK as text (start it with an apostrophe): Excel rounds numbers of 16 digits."
                ),
            )
            nik = ""
        else:
            nik = normalize_nik(_text(values["nik"]))
        for column in ("full_name", "birth_place"):
            if not _text(values[column]):
                fault(column, _("This cell is empty."))
        birth_date = release = None
        try:
            birth_date = _date(values["birth_date"])
        except ValueError:
            fault("birth_date", _("Not a date; write it as DD-MM-YYYY."))
        if _text(values["expected_release"]):
            try:
                release = _date(values["expected_release"])
            except ValueError:
                fault("expected_release", _("Not a date; write it as DD-MM-YYYY."))
        sex = _SEX.get(_text(values["sex"]).casefold())
        if sex is None:
            fault("sex", _("Write L (male) or P (female)."))
        schooling = _SCHOOLING.get(_text(values["schooling"]).casefold())
        if schooling is None:
            fault("schooling", _("Write one of SD, SMP, SMA, SMK, D1–D4, S1."))
        district = None
        try:
            district = districts.find(_text(values["district"]))
        except ValueError as error:
            fault("district", str(error))
        number = _text(values["number"])
        if nik and nik in seen_nik:
            fault("nik", _("The same NIK is on row %(row)d.") % {"row": seen_nik[nik]})
        if number and number in seen_number:
            fault(
                "number",
                _("The same inmate number is on row %(row)d.") % {"row": seen_number[number]},
            )
        seen_nik.setdefault(nik, index)
        seen_number.setdefault(number, index)
        if birth_date is None or sex is None or schooling is None or district is None:
            data = None
        else:
            data = NomineeData(
                nik=nik,
                full_name=_text(values["full_name"])[:150],
                birth_place=_text(values["birth_place"])[:80],
                birth_date=birth_date,
                sex=sex,
                domicile=district,
                schooling=int(schooling),
                number=number[:40],
                expected_release=release,
            )
            for name, messages in check_nominee(data, today=today).items():
                for message in messages:
                    fault(name, message)
        if data is not None and nik and not isinstance(values["nik"], int | float):
            _check_existing(batch, data, fault, actor)
        if errors:
            result.errors.extend(errors)
        elif data is not None:
            result.rows.append((index, data))
    if not result.rows and not result.errors:
        raise NominationError({"file": [_("The sheet has no rows below the header.")]})
    return result


def _check_existing(batch: Batch, data: NomineeData, fault: Any, actor: User) -> None:
    assert batch.venue_partner is not None
    applicant = Applicant.objects.filter(nik=data.nik).first()
    existing = check_existing_person(applicant, data, prison=batch.venue_partner, actor=actor)
    for message in existing.get("nik", []):
        fault("nik", message)
    if existing:
        return
    if applicant and Nomination.objects.filter(batch=batch, applicant=applicant).exists():
        fault("nik", _("This person is already nominated for this batch."))
    holder = Inmate.objects.filter(prison=batch.venue_partner, number=data.number).first()
    if holder is not None and (applicant is None or holder.applicant_id != applicant.pk):
        fault("number", _("Another person already has this inmate number in this prison."))


def nominations_import(*, batch: Batch, content: bytes, actor: User) -> list[Nomination]:
    """All rows or none: any fault (found again now, in case something changed since the
    dry run) leaves the database as it was."""
    result = nominations_read(batch=batch, content=content, actor=actor)
    if result.errors:
        raise NominationError({"file": [_("The file has errors; run the check again.")]})
    with transaction.atomic():
        return [
            nomination_create(batch=batch, data=data, actor=actor) for _row, data in result.rows
        ]
